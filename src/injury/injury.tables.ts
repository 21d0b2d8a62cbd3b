// Row types of the work-injury capability's tables (migration 0400 and later), merged into the one
// Database type.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<string, string | undefined, string>;

export type InjuryKind = 'injury' | 'occupational_disease';
export type InjuryCaseStatus =
  'reported' | 'accepted' | 'suspended' | 'proposed' | 'recognised' | 'not_recognised' | 'withdrawn';
export type InjuryReporterKind = 'employer' | 'worker' | 'family' | 'clerk';
export type InjuryDocumentKind = 'medical' | 'labour_relation' | 'accident' | 'identity' | 'other';

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
  proposed_outcome: 'recognised' | 'not_recognised' | null;
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
