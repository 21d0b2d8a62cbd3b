// Row types of the tables, as the drivers return them (see connection.ts for the parsers).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<string, string | undefined, string>;
type Json = ColumnType<unknown, string | undefined, string>;

export type Scheme = 'employee_pension' | 'resident_pension' | 'unemployment' | 'injury';
export type EnrolmentKind = 'employee' | 'flexible' | 'resident';
export type EnrolmentStatus = 'active' | 'suspended' | 'ended';
export type EndReason = 'voluntary' | 'involuntary' | 'retirement' | 'death';
/** Why an enrolment ended (migration 0002). */
export type EnrolmentEndReason =
  'employment_ended' | 'death' | 'retirement' | 'became_employee' | 'switched_scheme' | 'moved' | 'other';
export type Role =
  'citizen' | 'employer' | 'clerk' | 'reviewer' | 'supervisor' | 'admin' | 'hospital' | 'policy';

export interface PlatformMetaTable {
  key: string;
  value: Json;
}

export interface RegionTable {
  code: string;
  name_zh: string;
  name_en: string;
  parent_code: string | null;
}

export interface PersonTable {
  id: Generated<number>;
  id_number: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: string;
  hukou_region: string;
  region: string;
  phone: string | null;
  address: string | null;
  bank_name: string | null;
  bank_account: string | null;
  hardship_group: 'dibao' | 'tekun' | 'disabled' | 'poverty' | null;
  death_date: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface EmployerTable {
  id: Generated<number>;
  credit_code: string;
  name: string;
  region: string;
  industry_class: number;
  size: 'large' | 'sme';
  address: string | null;
  contact_phone: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface EmploymentTable {
  id: Generated<number>;
  person_id: number;
  employer_id: number;
  start_date: string;
  end_date: string | null;
  end_reason: EndReason | null;
  monthly_wage_fen: number | null;
  created_at: Timestamp;
}

export interface EnrolmentTable {
  id: Generated<number>;
  person_id: number;
  scheme: Scheme;
  kind: EnrolmentKind;
  region: string;
  employer_id: number | null;
  start_date: string;
  end_date: string | null;
  status: EnrolmentStatus;
  /** migration 0002; null while open */
  end_reason: EnrolmentEndReason | null;
  created_at: Timestamp;
}

export interface AppUserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  person_id: number | null;
  employer_id: number | null;
  region: string | null;
  disabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: string | null;
  created_at: Timestamp;
  /** SHA-256 of the one-time set-password token of a new staff account (migration 0140) */
  set_password_token_hash: ColumnType<string | null, string | null | undefined, string | null>;
  set_password_expires_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A prepared money action waiting for (or decided by) a second person (migration 0140). */
export interface ApprovalTable {
  id: Generated<number>;
  kind: string;
  dedupe_key: string;
  region: string;
  subject_person_id: number | null;
  payload: Json;
  summary: Json;
  status: Generated<'prepared' | 'released' | 'returned'>;
  maker_user_id: number | null;
  maker_username: string;
  maker_person_id: number | null;
  prepared_at: Generated<string>;
  checker_user_id: number | null;
  checker_username: string | null;
  checker_person_id: number | null;
  decided_at: string | null;
  note: string | null;
  result: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface UserSessionTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: string;
  last_seen_at: Timestamp;
}

export interface LoginThrottleTable {
  key: string;
  failures: Generated<number>;
  /** attempts whose password is being checked (not failures until it proves wrong) */
  in_flight: Generated<number>;
  window_start: string;
  locked_until: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: number | null;
  actor_username: string;
  actor_role: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  region: string | null;
  subject_person_id: number | null;
  before: Json | null;
  after: Json | null;
  reason: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface JobRunTable {
  id: Generated<number>;
  kind: string;
  key: string;
  status: 'running' | 'done' | 'failed';
  done: Generated<number>;
  total: Generated<number>;
  detail: Json;
  started_at: Timestamp;
  updated_at: Timestamp;
  finished_at: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  payload: Json;
  created_at: Timestamp;
  processed_at: string | null;
}

export type Fund = 'employee_pension' | 'resident_pension' | 'unemployment' | 'injury';

export interface LedgerAccountTable {
  code: string;
  name_zh: string;
  name_en: string;
  kind: 'asset' | 'liability' | 'net_assets' | 'income' | 'expense';
}

export interface JournalEntryTable {
  id: Generated<number>;
  fund: Fund;
  region: string;
  period: string;
  entry_date: string;
  kind: string;
  description: string;
  idempotency_key: string;
  source_type: string | null;
  source_id: string | null;
  reverses_entry_id: number | null;
  created_by: string;
  created_at: Timestamp;
}

export interface JournalLineTable {
  entry_id: number;
  line_no: number;
  account_code: string;
  debit_fen: Generated<number>;
  credit_fen: Generated<number>;
}

// ---- contributions (migration 0004) ----

export interface ContributionUploadTable {
  id: Generated<number>;
  kind: 'declarations' | 'bank_receipts' | 'bank_returns';
  scope: string;
  content_hash: string;
  filename: string | null;
  line_count: number;
  result: Json;
  created_by: string;
  created_at: Timestamp;
}

export interface ContributionDeclarationTable {
  id: Generated<number>;
  kind: 'employee' | 'flexible';
  region: string;
  period: string;
  employer_id: number | null;
  person_id: number;
  wage_fen: number;
  upload_id: number | null;
  source: string;
  created_by: string;
  created_at: Timestamp;
}

export interface ResidentTierChoiceTable {
  person_id: number;
  year: number;
  region: string;
  tier_fen: number;
  subsidy_fen: number;
  government_paid_fen: number;
  bill_id: number | null;
  created_by: string;
  created_at: Timestamp;
}

export interface ContributionAssessmentTable {
  id: Generated<number>;
  region: string;
  period: string;
  run_no: number;
  bills: Generated<number>;
  lines: Generated<number>;
  total_fen: Generated<number>;
  created_by: string;
  created_at: Timestamp;
}

export type BillStatus = 'open' | 'paid' | 'cancelled';
export type PayerKind = 'employer' | 'flexible' | 'resident';

export interface ContributionBillTable {
  id: Generated<number>;
  assessment_id: number | null;
  region: string;
  period: string;
  payer_kind: PayerKind;
  employer_id: number | null;
  person_id: number | null;
  back_payment: Generated<boolean>;
  due_date: string;
  average_wage_fen: Generated<number>;
  lines: number;
  pension_employer_fen: Generated<number>;
  pension_employee_fen: Generated<number>;
  personal_account_fen: Generated<number>;
  unemployment_employer_fen: Generated<number>;
  unemployment_employee_fen: Generated<number>;
  injury_fen: Generated<number>;
  subsidy_fen: Generated<number>;
  waived_fen: Generated<number>;
  total_fen: number;
  status: Generated<BillStatus>;
  paid_date: string | null;
  created_at: Timestamp;
}

export interface ContributionBillLineTable {
  bill_id: number;
  person_id: number;
  period: string;
  base_fen: number;
  pension_employer_fen: number;
  pension_employee_fen: number;
  personal_account_fen: number;
  unemployment_employer_fen: number;
  unemployment_employee_fen: number;
  injury_fen: number;
  waived_fen: number;
}

export interface ContributionPaymentTable {
  id: Generated<number>;
  region: string;
  bill_id: number | null;
  employer_id: number | null;
  person_id: number | null;
  amount_fen: number;
  contribution_fen: Generated<number>;
  late_fee_fen: Generated<number>;
  late_fee_pension_fen: Generated<number>;
  late_fee_unemployment_fen: Generated<number>;
  late_fee_injury_fen: Generated<number>;
  late_days: Generated<number>;
  paid_date: string;
  bank_ref: string | null;
  source: string;
  status: 'matched' | 'unallocated' | 'reversed';
  upload_id: number | null;
  created_by: string;
  created_at: Timestamp;
  /** why it was reversed (null while not reversed, and for reversals before 2026-12-07) */
  reason_kind: 'bank_return' | 'wrong_bill' | 'duplicate' | 'keying_error' | 'refund' | null;
}

export interface AccountInterestCreditTable {
  person_id: number;
  fund: 'employee_pension' | 'resident_pension';
  year: number;
  region: string;
  rate_percent: string;
  opening_fen: number;
  contributions_fen: number;
  interest_fen: number;
  /** account moved in (+) or out (−) with the pension relation during the year (migration 1190) */
  moved_fen: Generated<number>;
  created_at: Timestamp;
}

// ---- pensions (migration 0005; docs/pension-schema.md) ----

export type PensionScheme = 'employee_pension' | 'resident_pension';
export type RetirementCaseStatus =
  'draft' | 'pending_review' | 'approved' | 'returned' | 'rejected' | 'withdrawn';
export type AwardStatus = 'active' | 'suspended' | 'stopped';
/** Why a pension is suspended: the certification sweep's, or a clerk's own reason in words. */
export type SuspendReasonCode = 'not_certified' | 'other';
export type ArrearsReason = 'initial' | 'adjustment' | 'restoration' | 'correction';

export interface RetirementCaseTable {
  id: Generated<number>;
  person_id: number;
  scheme: PensionScheme;
  region: string;
  retirement_kind: Generated<'statutory' | 'early' | 'late'>;
  retirement_date: string;
  status: Generated<RetirementCaseStatus>;
  eligible: boolean | null;
  missing_months: number | null;
  options: Json;
  inputs: Json;
  parameter_versions: Json;
  trace: Json;
  result: Json | null;
  monthly_fen: number | null;
  computed_at: string | null;
  created_by_user_id: number | null;
  created_by: string;
  submitted_at: string | null;
  reviewed_by_user_id: number | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  award_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

/** Service before the electronic record (migration 0160): deemed months and the paper archive, one row per person. */
export interface PriorServiceTable {
  person_id: number;
  region: string;
  deemed_months: Generated<number>;
  deemed_through: string | null;
  archived_months: Generated<number>;
  /** average contribution index of the archived months × 10,000 */
  archived_index_bp: number | null;
  archived_account_fen: Generated<number>;
  archived_through: string | null;
  resident_months: Generated<number>;
  resident_account_fen: Generated<number>;
  source: string;
  recorded_by: string;
  recorded_at: Generated<Timestamp>;
}

export interface PensionAwardTable {
  id: Generated<number>;
  person_id: number;
  scheme: PensionScheme;
  region: string;
  decision_id: number | null;
  source: Generated<'decision' | 'demo' | 'import'>;
  retirement_date: string;
  start_period: string;
  contribution_months: number;
  status: Generated<AwardStatus>;
  suspended_from_period: string | null;
  /** why it is suspended (migration 0370); a clerk's own words in suspend_reason when 'other' */
  suspend_reason_code: SuspendReasonCode | null;
  suspend_reason: string | null;
  stop_reason: 'death' | 'other' | null;
  stopped_from_period: string | null;
  monthly_fen: number;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface PensionAmountTable {
  id: Generated<number>;
  award_id: number;
  effective_period: string;
  monthly_fen: number;
  /** of which the personal-account pension (drawn down from the account; residents) */
  account_fen: Generated<number>;
  previous_fen: number | null;
  components: Json;
  reason: 'initial' | 'adjustment' | 'correction';
  adjustment_year: number | null;
  created_by: string;
  created_at: Timestamp;
  /** what an adjustment owed for the months already paid at the old amount; paid by the next payroll */
  arrears_fen: Generated<number>;
  arrears_from_period: string | null;
  arrears_to_period: string | null;
}

/** The columns every chunked payroll run shares (a region's month, paid in resumable chunks). */
export interface ChunkedPayrollRunColumns {
  id: Generated<number>;
  period: string;
  region: string;
  status: 'running' | 'done' | 'failed';
  job_run_id: number | null;
  chunk_size: number;
  chunk_bounds: Json;
  chunks_total: Generated<number>;
  chunks_done: Generated<number>;
  payments: Generated<number>;
}

export interface PayrollRunTable extends ChunkedPayrollRunColumns {
  regular_fen: Generated<number>;
  arrears_fen: Generated<number>;
  total_fen: Generated<number>;
  started_by: string;
  started_at: Timestamp;
  updated_at: Timestamp;
  finished_at: string | null;
}

export interface PayrollChunkTable {
  run_id: number;
  chunk_no: number;
  from_award_id: number;
  to_award_id: number | null;
  payments: number;
  regular_fen: number;
  arrears_fen: number;
  total_fen: number;
  done_at: Timestamp;
}

export interface PensionArrearsTable {
  id: Generated<number>;
  award_id: number;
  reason: ArrearsReason;
  from_period: string;
  to_period: string;
  amount_fen: number;
  /** of which personal-account pension */
  account_fen: Generated<number>;
  idempotency_key: string;
  detail: Json;
  created_by: string;
  created_at: Timestamp;
}

/** The payment of one arrears row (migration 2026_12_01_1260): an arrears row without one is unpaid. */
export interface PensionArrearsPaidTable {
  award_id: number;
  arrears_id: number;
  paid_in_period: string;
  payroll_run_id: number;
}

export interface OnlinePaymentOrderTable {
  id: Generated<number>;
  order_no: string;
  bill_id: number;
  person_id: number;
  region: string;
  amount_fen: number;
  status: Generated<'pending' | 'paid' | 'refund_due' | 'refunded' | 'failed' | 'expired'>;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  gateway_ref: string | null;
  paid_at: Timestamp | null;
  payment_id: number | null;
  notices: Generated<number>;
  failure: string | null;
}

export interface PensionPaymentTable {
  award_id: number;
  period: string;
  kind: 'regular' | 'arrears';
  amount_fen: number;
  /** of which drawn down from the personal account */
  account_fen: Generated<number>;
  /** of which kept back against a recovery case (the bank pays amount − offset) */
  offset_fen: Generated<number>;
  payroll_run_id: number;
  chunk_no: number;
  /** an arrears payment: the newest adjustment amount whose arrears it settles (migration 2026_12_03_1480) */
  arrears_through_amount_id: Generated<number | null>;
}

export interface RecoveryCollectionTable {
  id: Generated<number>;
  case_id: number;
  kind: 'repayment' | 'offset';
  amount_fen: number;
  received_date: string | null;
  bank_ref: string | null;
  award_id: number | null;
  period: string | null;
  status: 'recorded' | 'scheduled' | 'applied';
  payroll_run_id: number | null;
  journal_entry_id: number | null;
  approval_id: number | null;
  note: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface RecoveryCaseTable {
  id: Generated<number>;
  person_id: number;
  award_id: number | null;
  region: string;
  reason: 'death' | 'ineligible' | 'correction' | 'other';
  from_period: string | null;
  to_period: string | null;
  amount_fen: number;
  recovered_fen: Generated<number>;
  status: Generated<'open' | 'recovered' | 'written_off'>;
  idempotency_key: string;
  detail: Json;
  journal_entry_id: number | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface PensionDeathCaseTable {
  person_id: number;
  death_date: string;
  source: 'registry' | 'certification' | 'manual';
  outbox_id: number | null;
  stopped_from_period: string;
  overpayment_fen: Generated<number>;
  recovery_case_id: number | null;
  survivor_benefit_id: number | null;
  detail: Json;
  created_by: string;
  created_at: Timestamp;
}

export interface SurvivorBenefitTable {
  id: Generated<number>;
  person_id: number;
  award_id: number | null;
  region: string;
  death_date: string;
  retired: boolean;
  contribution_months: number;
  pension_months_received: Generated<number>;
  funeral_grant_fen: number;
  survivor_pension_fen: number;
  account_balance_fen: Generated<number>;
  total_fen: number;
  inputs: Json;
  parameter_versions: Json;
  trace: Json;
  status: Generated<'decided' | 'paid'>;
  benefit_entry_id: number | null;
  account_entry_id: number | null;
  created_by: string;
  created_at: Timestamp;
}

export interface Database {
  platform_meta: PlatformMetaTable;
  region: RegionTable;
  person: PersonTable;
  employer: EmployerTable;
  employment: EmploymentTable;
  enrolment: EnrolmentTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  login_throttle: LoginThrottleTable;
  approval: ApprovalTable;
  audit_log: AuditLogTable;
  job_run: JobRunTable;
  outbox: OutboxTable;
  ledger_account: LedgerAccountTable;
  journal_entry: JournalEntryTable;
  journal_line: JournalLineTable;
  contribution_upload: ContributionUploadTable;
  contribution_declaration: ContributionDeclarationTable;
  resident_tier_choice: ResidentTierChoiceTable;
  contribution_assessment: ContributionAssessmentTable;
  contribution_bill: ContributionBillTable;
  contribution_bill_line: ContributionBillLineTable;
  contribution_payment: ContributionPaymentTable;
  account_interest_credit: AccountInterestCreditTable;
  prior_service: PriorServiceTable;
  retirement_case: RetirementCaseTable;
  pension_award: PensionAwardTable;
  pension_amount: PensionAmountTable;
  payroll_run: PayrollRunTable;
  payroll_chunk: PayrollChunkTable;
  pension_arrears: PensionArrearsTable;
  pension_arrears_paid: PensionArrearsPaidTable;
  pension_payment: PensionPaymentTable;
  online_payment_order: OnlinePaymentOrderTable;
  recovery_collection: RecoveryCollectionTable;
  recovery_case: RecoveryCaseTable;
  pension_death_case: PensionDeathCaseTable;
  survivor_benefit: SurvivorBenefitTable;
}

// ---- certification and personal pension (migration 0006) ----

export type CertificationChannel = 'self' | 'visit' | 'data' | 'counter';
export type CertificationImportKind = 'death' | 'hospital' | 'transit' | 'card';

export interface CertificationCampaignTable {
  id: Generated<number>;
  region: string;
  year: number;
  window_start: string;
  deadline: string;
  suspend_from_period: string;
  status: Generated<'open' | 'swept'>;
  swept_at: string | null;
  suspended: Generated<number>;
  created_by: string;
  created_at: Timestamp;
}

export interface CertificationTable {
  id: Generated<number>;
  person_id: number;
  certified_on: string;
  channel: CertificationChannel;
  source_ref: string;
  evidence: Json;
  created_by: string;
  created_at: Timestamp;
}

export interface CertificationAttemptTable {
  id: Generated<number>;
  person_id: number;
  channel: string;
  outcome: 'accepted' | 'refused';
  reason: string;
  vendor: string | null;
  nonce: string | null;
  at: Timestamp;
}

export interface LivenessNonceTable {
  nonce: string;
  person_id: number;
  issued_at: Timestamp;
  expires_at: string;
  used_at: string | null;
  certification_id: number | null;
}

export interface HomeVisitRegisterTable {
  id: Generated<number>;
  person_id: number;
  region: string;
  reason: 'very_old' | 'bedridden' | 'disabled' | 'other';
  note: string | null;
  added_by: string;
  added_at: Timestamp;
  removed_by: string | null;
  removed_at: string | null;
  removal_reason: string | null;
}

export interface HomeVisitTable {
  id: Generated<number>;
  person_id: number;
  region: string;
  visited_on: string;
  outcome: 'alive' | 'deceased' | 'not_met';
  death_date: string | null;
  note: string | null;
  certification_id: number | null;
  visited_by: string;
  created_at: Timestamp;
}

export interface CertificationImportTable {
  id: Generated<number>;
  kind: CertificationImportKind;
  region: string;
  content_hash: string;
  filename: string | null;
  line_count: number;
  result: Json;
  status: Generated<'loaded' | 'matched'>;
  created_by: string;
  created_at: Timestamp;
}

export interface CertificationImportRowTable {
  import_id: number;
  line_no: number;
  id_number: string;
  event_date: string;
}

export interface CertificationDeathMatchTable {
  import_id: number;
  person_id: number;
  death_date: string;
  line_no: number;
  status: Generated<'pending' | 'recorded' | 'already_recorded' | 'conflict'>;
  detail: string | null;
  updated_at: Timestamp;
}

export interface CertificationSuspensionTable {
  id: Generated<number>;
  campaign_id: number;
  award_id: number;
  person_id: number;
  region: string;
  suspended_from_period: string;
  created_at: Timestamp;
  restored_at: string | null;
  restored_by_certification_id: number | null;
  restored_from_period: string | null;
  arrears_key: string | null;
  /** The id of its (derived) suspension notice, from certification_notice's sequence. */
  notice_id: Generated<number>;
}

/** Restoration notices; suspension notices are derived from certification_suspension. */
export interface CertificationNoticeTable {
  id: Generated<number>;
  person_id: number;
  kind: 'restoration';
  campaign_id: number | null;
  suspension_id: number | null;
  detail: Json;
  created_at: Timestamp;
}

export interface PersonalPensionAccountTable {
  id: Generated<number>;
  person_id: number;
  region: string;
  opened_on: string;
  bank_name: string | null;
  status: Generated<'open' | 'closed'>;
  created_by: string;
  created_at: Timestamp;
  version: Generated<number>;
}

export interface PersonalPensionYearTable {
  account_id: number;
  year: number;
  cap_fen: number;
  contributed_fen: number;
}

export interface PersonalPensionContributionTable {
  id: Generated<number>;
  account_id: number;
  year: number;
  paid_on: string;
  amount_fen: number;
  idempotency_key: string;
  created_by: string;
  created_at: Timestamp;
}

export interface PersonalPensionWithdrawalTable {
  id: Generated<number>;
  account_id: number;
  reason: string;
  withdrawn_on: string;
  gross_fen: number;
  tax_rate_percent: string;
  tax_fen: number;
  net_fen: number;
  evidence: string | null;
  trace: Json;
  idempotency_key: string;
  created_by: string;
  created_at: Timestamp;
}

/** Merged into Database above (declaration merging keeps this block a pure append). */
export interface Database {
  certification_campaign: CertificationCampaignTable;
  certification: CertificationTable;
  certification_attempt: CertificationAttemptTable;
  liveness_nonce: LivenessNonceTable;
  home_visit_register: HomeVisitRegisterTable;
  home_visit: HomeVisitTable;
  certification_import: CertificationImportTable;
  certification_import_row: CertificationImportRowTable;
  certification_death_match: CertificationDeathMatchTable;
  certification_suspension: CertificationSuspensionTable;
  certification_notice: CertificationNoticeTable;
  personal_pension_account: PersonalPensionAccountTable;
  personal_pension_year: PersonalPensionYearTable;
  personal_pension_contribution: PersonalPensionContributionTable;
  personal_pension_withdrawal: PersonalPensionWithdrawalTable;
}

/** Migration 0120: why a replaced enrolment ended, in words (merged into EnrolmentTable above). */
export interface EnrolmentTable {
  end_note: string | null;
}

/** Migration 0120: a hire dated before last month (补录), pending until a reviewer decides. */
export interface EmploymentBackEntryTable {
  id: Generated<number>;
  region: string;
  person_id: number;
  employer_id: number;
  start_date: string;
  monthly_wage_fen: number;
  reason: string;
  status: 'pending' | 'approved' | 'returned';
  requested_by: string;
  requested_by_user_id: number | null;
  requested_at: Timestamp;
  decided_by: string | null;
  decided_by_user_id: number | null;
  decided_at: string | null;
  decision_note: string | null;
  employment_id: number | null;
}

/** Merged into Database above (declaration merging keeps this block a pure append). */
export interface Database {
  employment_back_entry: EmploymentBackEntryTable;
}

// ---- unemployment claims, stop events, benefit payroll, one-off grants (migration 0300) ----

export type UnemploymentClaimStatus =
  'submitted' | 'ineligible' | 'approved' | 'rejected' | 'interrupted' | 'stopped' | 'ended';
export type UnemploymentStopEvent =
  'reemployment' | 'pension' | 'enlistment' | 'emigration' | 'imprisonment' | 'refusal' | 'death' | 'release';

export interface UnemploymentClaimTable {
  id: Generated<number>;
  person_id: number;
  region: string;
  employment_id: number;
  employer_id: number;
  separation_date: string;
  separation_reason: string;
  registration_date: string;
  decision_deadline: string;
  contribution_months: number;
  carried_months: Generated<number>;
  eligible: boolean;
  max_months: number;
  monthly_fen: number | null;
  medical_fen: Generated<number>;
  entitlement_start: string | null;
  entitlement_end: string | null;
  first_period: string | null;
  last_period: string | null;
  status: UnemploymentClaimStatus;
  reason_code: string | null;
  reason_zh: string | null;
  reason_en: string | null;
  inputs: Json;
  trace: Json;
  decided_by: string | null;
  reviewed_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  stop_event: UnemploymentStopEvent | null;
  stop_date: string | null;
  stopped_from_period: string | null;
  interrupted_from_period: string | null;
  remaining_months: number | null;
  carry_forward: Generated<boolean>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface UnemploymentStopEventTable {
  id: Generated<number>;
  claim_id: number;
  event: UnemploymentStopEvent;
  event_date: string;
  source: 'employment' | 'contribution' | 'clerk';
  action: 'stop' | 'interrupt' | 'resume' | 'recorded';
  stopped_from_period: string | null;
  note: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface UnemploymentPayrollRunTable extends ChunkedPayrollRunColumns {
  benefit_fen: Generated<number>;
  medical_fen: Generated<number>;
  stopped: Generated<number>;
  started_by: string;
  started_at: Timestamp;
  updated_at: Timestamp;
  finished_at: string | null;
}

export interface UnemploymentPayrollChunkTable {
  run_id: number;
  chunk_no: number;
  from_claim_id: number;
  to_claim_id: number | null;
  payments: number;
  benefit_fen: number;
  medical_fen: number;
  stopped: number;
  done_at: Timestamp;
}

export interface UnemploymentPaymentTable {
  id: Generated<number>;
  person_id: number;
  claim_id: number;
  region: string;
  period: string;
  amount_fen: number;
  medical_fen: number;
  run_id: number;
  chunk_no: number;
}

export interface UnemploymentGrantTable {
  id: Generated<number>;
  kind: 'subsidy' | 'migrant' | 'death';
  person_id: number;
  claim_id: number | null;
  region: string;
  eligible: boolean;
  months: Generated<number>;
  amount_fen: number;
  status: 'submitted' | 'ineligible' | 'paid' | 'rejected';
  reason_zh: string | null;
  reason_en: string | null;
  inputs: Json;
  trace: Json;
  journal_entry_id: number | null;
  created_by: string;
  decided_by: string | null;
  created_at: Timestamp;
  decided_at: string | null;
}

/** Merged into Database above (declaration merging keeps this block a pure append). */
export interface Database {
  unemployment_claim: UnemploymentClaimTable;
  unemployment_stop_event: UnemploymentStopEventTable;
  unemployment_payroll_run: UnemploymentPayrollRunTable;
  unemployment_payroll_chunk: UnemploymentPayrollChunkTable;
  unemployment_payment: UnemploymentPaymentTable;
  unemployment_grant: UnemploymentGrantTable;
}

// Policy simulator (src/simulation/, migration 0670): stored projection runs.
export interface SimulationRunTable {
  id: Generated<number>;
  region: string;
  name: string;
  scenario: Json;
  snapshot: Json;
  result: Json;
  created_by: string;
  created_by_user_id: number | null;
  duration_ms: number;
  created_at: Generated<Timestamp>;
}

export interface Database {
  simulation_run: SimulationRunTable;
}

/** Staff reads waiting to be chained into audit_log (issue 18, migration 0620): audit_log's columns without the hashes. */
export type AuditQueueTable = Omit<AuditLogTable, 'prev_hash' | 'hash'>;

/** Merged into Database above (declaration merging keeps this block a pure append). */
export interface Database {
  audit_queue: AuditQueueTable;
}

/** Long jobs queued by a request and run by the server's worker (issue 18, migration 0621). */
export interface BackgroundJobTable {
  id: Generated<number>;
  kind: string;
  key: string;
  params: Json;
  actor: Json;
  region: string | null;
  status: ColumnType<
    'queued' | 'running' | 'done' | 'failed',
    'queued' | 'running' | 'done' | 'failed' | undefined
  >;
  attempts: Generated<number>;
  result: Json | null;
  error: Json | null;
  created_at: Generated<string>;
  started_at: string | null;
  heartbeat_at: string | null;
  finished_at: string | null;
  /** the job's own progress while it runs (migration 0880) */
  progress_done: number | null;
  progress_total: number | null;
  progress_stage: string | null;
}

/** Merged into Database above (declaration merging keeps this block a pure append). */
export interface Database {
  background_job: BackgroundJobTable;
}
