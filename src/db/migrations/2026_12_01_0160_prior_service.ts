// Service before the electronic record, kept compactly per person (one row, not bill lines):
// 视同缴费 — deemed service before personal accounts were set up (in Anhui before 1996-01), taken from
// the personnel file — and the paper archive (档案) of contribution years between the personal
// account and the platform's first month: months, average contribution index (in ten-thousandths,
// an integer) and the account balance carried over; and for the residents' scheme, the paid years
// (as months) and account balance from the paper records of 新农保/城居保 before the platform. Retirement cases read it as the record's
// defaults; a clerk may still correct a figure on the case. Frozen: never import app code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE prior_service (
    person_id bigint PRIMARY KEY REFERENCES person(id),
    region char(6) NOT NULL REFERENCES region(code),
    deemed_months integer NOT NULL DEFAULT 0 CHECK (deemed_months BETWEEN 0 AND 600),
    deemed_through date,
    archived_months integer NOT NULL DEFAULT 0 CHECK (archived_months BETWEEN 0 AND 600),
    archived_index_bp integer CHECK (archived_index_bp BETWEEN 0 AND 100000),
    archived_account_fen bigint NOT NULL DEFAULT 0 CHECK (archived_account_fen >= 0),
    archived_through char(7) CHECK (archived_through ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    resident_months integer NOT NULL DEFAULT 0 CHECK (resident_months BETWEEN 0 AND 600),
    resident_account_fen bigint NOT NULL DEFAULT 0 CHECK (resident_account_fen >= 0),
    source text NOT NULL,
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CHECK (archived_months = 0 OR archived_index_bp IS NOT NULL)
  )`.execute(db);
  await sql`CREATE INDEX prior_service_region_idx ON prior_service (region)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS prior_service`.execute(db);
}
