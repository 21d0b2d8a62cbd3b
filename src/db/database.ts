// Row types of the tables, as the drivers return them (see connection.ts for the parsers).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<string, string | undefined, string>;
type Json = ColumnType<unknown, string | undefined, string>;

export type Scheme = 'employee_pension' | 'resident_pension' | 'unemployment' | 'injury';
export type EnrolmentKind = 'employee' | 'flexible' | 'resident';
export type EnrolmentStatus = 'active' | 'suspended' | 'ended';
export type EndReason = 'voluntary' | 'involuntary' | 'retirement' | 'death';
/** Why an enrolment ended (migration 0002). */
export type EnrolmentEndReason = 'employment_ended' | 'death' | 'retirement' | 'became_employee' | 'switched_scheme' | 'moved' | 'other';
export type Role = 'citizen' | 'employer' | 'clerk' | 'reviewer' | 'supervisor' | 'admin';

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
}

export interface UserSessionTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: string;
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

export interface Database {
  platform_meta: PlatformMetaTable;
  region: RegionTable;
  person: PersonTable;
  employer: EmployerTable;
  employment: EmploymentTable;
  enrolment: EnrolmentTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  audit_log: AuditLogTable;
  job_run: JobRunTable;
  outbox: OutboxTable;
  ledger_account: LedgerAccountTable;
  journal_entry: JournalEntryTable;
  journal_line: JournalLineTable;
}
