// Row types of the hall's own tables (migration 0220), added to the shared Database type here so
// that the hall stays in its own folder: `hallDb(db)` is the same connection, typed for them too.
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Database } from '../db/database.ts';

type Timestamp = ColumnType<string, string | undefined, string>;
type Json = ColumnType<unknown, string | undefined, string>;

export type CodePurpose = 'register-citizen' | 'register-employer' | 'reset-password';
export type Channel = 'online' | 'counter' | 'mobile' | 'home' | 'system';
export type ApplicationStatus =
  'submitted' | 'accepted' | 'returned' | 'approved' | 'rejected' | 'completed' | 'withdrawn';

export interface HallCodeTable {
  id: Generated<number>;
  purpose: CodePurpose;
  phone: string;
  source: string;
  person_id: number | null;
  employer_id: number | null;
  user_id: number | null;
  code_hash: string;
  salt: string;
  attempts: Generated<number>;
  expires_at: string;
  consumed_at: string | null;
  created_at: Timestamp;
}

export interface HallMessageOutboxTable {
  id: Generated<number>;
  channel: 'sms';
  recipient: string;
  body: string;
  status: Generated<'pending' | 'sent' | 'failed'>;
  sender: string | null;
  sent_at: string | null;
  error: string | null;
  created_at: Timestamp;
}

export interface HallApplicationTable {
  id: Generated<number>;
  service_code: string;
  person_id: number | null;
  employer_id: number | null;
  region: string;
  channel: Channel;
  status: ApplicationStatus;
  source_ref: string | null;
  submitted_on: string;
  time_limit_wd: number | null;
  deadline: string | null;
  detail: Json;
  closed_on: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface HallApplicationEventTable {
  id: Generated<number>;
  application_id: number;
  status: string;
  /** a Note (src/core/bilingual.ts) since migration 1581; a plain string in rows before it */
  note: ColumnType<unknown, string | null, string | null>;
  actor_username: string;
  actor_role: string;
  at: Timestamp;
}

export interface HallCertificateTable {
  code: string;
  kind: 'insurance' | 'record' | 'receipt';
  person_id: number | null;
  region: string;
  issued_on: string;
  content: Json;
  pdf_sha256: string;
  issued_by: string;
  created_at: Timestamp;
}

export interface HallMessageTable {
  id: Generated<number>;
  person_id: number | null;
  employer_id: number | null;
  staff_region: string | null;
  topic: string;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  link: string | null;
  outbox_id: number | null;
  read_at: string | null;
  created_at: Timestamp;
}

export interface HallConsumedEventTable {
  outbox_id: number;
  /** the handler's error when the event could not be handled (migration 0360) */
  error?: string | null;
  consumed_at: Timestamp;
}

export interface HallServiceUseTable {
  id: Generated<number>;
  service_code: string;
  channel: string;
  region: string | null;
  on_day: string;
  created_at: Timestamp;
}

export type HomeVisitStatus = 'booked' | 'assigned' | 'done' | 'cancelled' | 'refused';
export type HomeGroup = 'elderly' | 'disabled' | 'bedridden';
export type HomeOutcome = 'served' | 'not-home' | 'referred';

export interface HallHomeVisitTable {
  id: Generated<number>;
  application_id: number;
  person_id: number;
  region: string;
  booked_by_user_id: number;
  booked_for: 'self' | 'family';
  relation: string | null;
  grp: HomeGroup;
  service_wanted: string;
  address: string;
  contact_phone: string;
  preferred_date: string;
  preferred_slot: 'am' | 'pm';
  status: HomeVisitStatus;
  assigned_to: string | null;
  visit_date: string | null;
  outcome: HomeOutcome | null;
  outcome_note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface HallHomeMatchFailureTable {
  id: Generated<number>;
  user_id: number;
  at: Timestamp;
}

export interface HallDatabase extends Omit<Database, 'employer'> {
  employer: Database['employer'] & { legal_rep_name: string | null; legal_rep_id_number: string | null };
  hall_code: HallCodeTable;
  hall_message_outbox: HallMessageOutboxTable;
  hall_application: HallApplicationTable;
  hall_application_event: HallApplicationEventTable;
  hall_certificate: HallCertificateTable;
  hall_message: HallMessageTable;
  hall_consumed_event: HallConsumedEventTable;
  hall_service_use: HallServiceUseTable;
  hall_home_visit: HallHomeVisitTable;
  hall_home_match_failure: HallHomeMatchFailureTable;
}

export type HallDb = Kysely<HallDatabase>;

/** The same connection or transaction, typed with the hall's tables as well. */
export function hallDb(db: Db | Transaction<Database>): HallDb {
  return db as unknown as HallDb;
}
