// Issue 16: the central adjustment of the pension fund settled across the federation. At the national
// exchange: a run per year (requested once), each province's reported figures for it, and the result
// of the `central-adjustment-national` rule with each province's share and when the province confirmed
// its posting. At a province: one posting per year (the ledger entries carry idempotency keys too).
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE fed_central_run (
    year integer PRIMARY KEY CHECK (year BETWEEN 1990 AND 2100),
    requested_by text NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now(),
    computed_at timestamptz,
    result jsonb,
    trace jsonb,
    error text
  )`.execute(db);
  await sql`CREATE TABLE fed_central_figures (
    year integer NOT NULL REFERENCES fed_central_run(year),
    province char(6) NOT NULL,
    annual_average_wage_fen bigint,
    insured_count integer NOT NULL CHECK (insured_count >= 0),
    retiree_count integer NOT NULL CHECK (retiree_count >= 0),
    reported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, province)
  )`.execute(db);
  await sql`CREATE TABLE fed_central_share (
    year integer NOT NULL REFERENCES fed_central_run(year),
    province char(6) NOT NULL,
    contribution_fen bigint NOT NULL,
    allocation_fen bigint NOT NULL,
    net_fen bigint NOT NULL,
    posted_at timestamptz,
    PRIMARY KEY (year, province)
  )`.execute(db);
  await sql`CREATE TABLE fed_central_posting (
    year integer PRIMARY KEY CHECK (year BETWEEN 1990 AND 2100),
    contribution_fen bigint NOT NULL,
    allocation_fen bigint NOT NULL,
    net_fen bigint NOT NULL,
    per_capita_fen bigint NOT NULL,
    msg_id text NOT NULL,
    posted_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE fed_central_posting`.execute(db);
  await sql`DROP TABLE fed_central_share`.execute(db);
  await sql`DROP TABLE fed_central_figures`.execute(db);
  await sql`DROP TABLE fed_central_run`.execute(db);
}
