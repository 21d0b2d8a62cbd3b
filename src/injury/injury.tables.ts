// Row types of the work-injury capability's tables (migration 0400 and later), merged into the one
// Database type.
import type { ColumnType, Generated } from 'kysely';
import type {
  AppraisalKind,
  BenefitPayer,
  InjuryBenefitKind,
  InjuryBenefitStatus,
  InjuryCaseStatus,
  InjuryDocumentKind,
  InjuryKind,
  NursingLevel,
  RecognitionOutcome,
} from './injury-codes.rules.ts';

export type {
  InjuryBenefitKind,
  InjuryBenefitStatus,
  InjuryCaseStatus,
  InjuryDocumentKind,
  InjuryKind,
  NursingLevel,
};

type Timestamp = ColumnType<string, string | undefined, string>;

export type InjuryReporterKind = 'employer' | 'worker' | 'family' | 'clerk';

export interface InjuryCaseTable {
  id: Generated<number>;
  person_id: number;
  employer_id: number;
  region_code: string;
  kind: InjuryKind;
  accident_date: string;
  description: string;
  status: InjuryCaseStatus;
  reported_by: string;
  reporter_kind: InjuryReporterKind;
  reported_date: string;
  late_days: Generated<number>;
  employer_insured: boolean;
  accepted_date: string | null;
  simple_case: Generated<boolean>;
  proposed_by: string | null;
  proposed_outcome: RecognitionOutcome | null;
  decision_note: string | null;
  decided_by: string | null;
  reviewed_by: string | null;
  decided_date: string | null;
  delivered_date: string | null;
  created_at: Timestamp;
  decided_at: string | null;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface InjuryCaseEventTable {
  id: Generated<number>;
  case_id: number;
  from_status: InjuryCaseStatus | null;
  to_status: InjuryCaseStatus;
  kind: string;
  note: string | null;
  actor: string;
  at: Timestamp;
}

export interface InjuryCaseSuspensionTable {
  id: Generated<number>;
  case_id: number;
  from_date: string;
  to_date: string | null;
  reason: string;
  created_by: string;
  created_at: Timestamp;
}

export interface InjuryBlobTable {
  sha256: string;
  media_type: 'application/pdf' | 'image/jpeg' | 'image/png';
  size_bytes: number;
  content: Uint8Array;
  created_at: Timestamp;
}

export interface InjuryDocumentTable {
  id: Generated<number>;
  case_id: number;
  sha256: string;
  kind: InjuryDocumentKind;
  filename: string;
  uploaded_by: string;
  uploaded_at: Timestamp;
}

declare module '../db/database.ts' {
  interface Database {
    injury_case: InjuryCaseTable;
    injury_case_event: InjuryCaseEventTable;
    injury_case_suspension: InjuryCaseSuspensionTable;
    injury_blob: InjuryBlobTable;
    injury_document: InjuryDocumentTable;
  }
}

// ---- migration 0401: appraisals, benefits, the allowance payroll, recoveries ----

export interface InjuryAppraisalTable {
  id: Generated<number>;
  case_id: number;
  kind: AppraisalKind;
  received_date: string;
  conclusion_date: string | null;
  grade: number | null;
  nursing_level: Generated<NursingLevel>;
  status: Generated<'pending' | 'concluded'>;
  recorded_by: string;
  created_at: Timestamp;
}

type Json = ColumnType<unknown, string | undefined, string>;

export interface InjuryBenefitTable {
  id: Generated<number>;
  case_id: number;
  person_id: number;
  employer_id: number;
  region_code: string;
  kind: InjuryBenefitKind;
  payer: BenefitPayer;
  advanced: Generated<boolean>;
  monthly: boolean;
  amount_fen: number;
  from_period: string | null;
  to_period: string | null;
  status: InjuryBenefitStatus;
  appraisal_id: number | null;
  approval_id: number | null;
  inputs: Json;
  trace: Json;
  proposed_by: string;
  reviewed_by: string;
  journal_entry_id: number | null;
  created_at: Timestamp;
}

export interface InjuryPayrollRunTable {
  id: Generated<number>;
  period: string;
  region_code: string;
  status: 'running' | 'done';
  chunk_size: number;
  chunk_bounds: Json;
  chunks_total: number;
  chunks_done: Generated<number>;
  payments: Generated<number>;
  total_fen: Generated<number>;
  started_by: string;
  started_at: Timestamp;
  finished_at: string | null;
}

export interface InjuryPayrollChunkTable {
  run_id: number;
  chunk_no: number;
  payments: number;
  total_fen: number;
  done_at: Timestamp;
}

export interface InjuryPaymentTable {
  benefit_id: number;
  period: string;
  person_id: number;
  amount_fen: number;
  run_id: number;
  chunk_no: number;
}

export interface InjuryRecoveryTable {
  id: Generated<number>;
  case_id: number;
  benefit_id: number;
  employer_id: number;
  region_code: string;
  amount_fen: number;
  recovered_fen: Generated<number>;
  status: Generated<'open' | 'recovered' | 'written_off'>;
  notice_date: string;
  pay_by_date: string;
  journal_entry_id: number | null;
  created_by: string;
  created_at: Timestamp;
}

declare module '../db/database.ts' {
  interface Database {
    injury_appraisal: InjuryAppraisalTable;
    injury_benefit: InjuryBenefitTable;
    injury_payroll_run: InjuryPayrollRunTable;
    injury_payroll_chunk: InjuryPayrollChunkTable;
    injury_payment: InjuryPaymentTable;
    injury_recovery: InjuryRecoveryTable;
  }
}
