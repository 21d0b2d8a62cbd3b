// Issue 16: the national figures — each province's fund income, expenditure and balance for a
// period, as the province reported them to the national exchange. Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE fed_national_figures (
    period char(7) NOT NULL,
    province char(6) NOT NULL,
    fund text NOT NULL,
    income_fen bigint NOT NULL,
    expenditure_fen bigint NOT NULL,
    balance_fen bigint NOT NULL,
    personal_account_fen bigint NOT NULL,
    reported_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (period, province, fund)
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE fed_national_figures`.execute(db);
}
