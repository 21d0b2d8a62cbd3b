// Issue 18: the certification sweep benchmark (a death file, a travel file of life signs, the deadline
// sweep), measured per statement on PostgreSQL 15 at 200,000 pensioners (auto_explain, log_analyze):
// - The life-sign match inserted 138,388 certifications in 15.7 s, of which 3.7 s were the per-row
//   foreign-key checks of certification.person_id (each a locking read of the person row) run after the
//   statement, and each row went into three indexes: the primary key, UNIQUE (person_id, channel,
//   certified_on) and certification_person_idx (person_id, certified_on).
// - The sweep's insert of a suspension and a notice per suspended award took 7.1 s for 49,504 awards,
//   of which 5 s were the six per-row foreign-key checks (suspension: campaign, award, person; notice:
//   person, campaign, suspension) run after the statement.
// - Staging the file's lines checked certification_import_row.import_id against the import row once
//   per line.
// Every writer proves these keys itself, and none of the parents is ever deleted:
// - certification.person_id: the three writers take it from the person they have just read (the
//   import joins person in the same statement; a home visit reads the person; self-service reads the
//   pensioner it certifies). Persons are never deleted.
// - certification_suspension: written by the sweep only, from the award (joined to its person) it has
//   just selected and locked, and the campaign it has read. Awards and campaigns are never deleted.
// - certification_notice: the sweep takes the suspension id from the suspension the same statement
//   inserts; a restoration from the suspension row it holds locked.
// - certification_import_row: the import stages its lines under the import row it inserted in the same
//   transaction.
// The per-row checks go, as pension_payment's (migration 0600) and pension_amount's (0850) did.
// The unique key of certification is the same set of columns in the order (person_id, certified_on,
// channel): it enforces the same rule, is the arbiter of the same ON CONFLICT (person_id, channel,
// certified_on) (PostgreSQL infers an arbiter by its set of columns), and serves the window lookups
// (person_id, certified_on range) that certification_person_idx served, which goes.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

const DROPPED_KEYS: ReadonlyArray<[table: string, constraint: string]> = [
  ['certification', 'certification_person_id_fkey'],
  ['certification_suspension', 'certification_suspension_campaign_id_fkey'],
  ['certification_suspension', 'certification_suspension_award_id_fkey'],
  ['certification_suspension', 'certification_suspension_person_id_fkey'],
  ['certification_notice', 'certification_notice_person_id_fkey'],
  ['certification_notice', 'certification_notice_campaign_id_fkey'],
  ['certification_notice', 'certification_notice_suspension_id_fkey'],
  ['certification_import_row', 'certification_import_row_import_id_fkey'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, constraint] of DROPPED_KEYS)
    await sql`ALTER TABLE ${sql.id(table)} DROP CONSTRAINT IF EXISTS ${sql.id(constraint)}`.execute(db);
  await sql`ALTER TABLE certification ADD CONSTRAINT certification_person_day_channel_key UNIQUE (person_id, certified_on, channel)`.execute(
    db,
  );
  await sql`ALTER TABLE certification DROP CONSTRAINT IF EXISTS certification_person_id_channel_certified_on_key`.execute(
    db,
  );
  await sql`DROP INDEX IF EXISTS certification_person_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS certification_person_idx ON certification (person_id, certified_on)`.execute(
    db,
  );
  await sql`ALTER TABLE certification ADD CONSTRAINT certification_person_id_channel_certified_on_key UNIQUE (person_id, channel, certified_on)`.execute(
    db,
  );
  await sql`ALTER TABLE certification DROP CONSTRAINT IF EXISTS certification_person_day_channel_key`.execute(
    db,
  );
  const parents: Record<string, string> = {
    certification_person_id_fkey: 'person_id) REFERENCES person(id',
    certification_suspension_campaign_id_fkey: 'campaign_id) REFERENCES certification_campaign(id',
    certification_suspension_award_id_fkey: 'award_id) REFERENCES pension_award(id',
    certification_suspension_person_id_fkey: 'person_id) REFERENCES person(id',
    certification_notice_person_id_fkey: 'person_id) REFERENCES person(id',
    certification_notice_campaign_id_fkey: 'campaign_id) REFERENCES certification_campaign(id',
    certification_notice_suspension_id_fkey: 'suspension_id) REFERENCES certification_suspension(id',
    certification_import_row_import_id_fkey: 'import_id) REFERENCES certification_import(id',
  };
  for (const [table, constraint] of DROPPED_KEYS)
    await sql`ALTER TABLE ${sql.id(table)} ADD CONSTRAINT ${sql.id(constraint)} FOREIGN KEY (${sql.raw(parents[constraint] ?? '')})`.execute(
      db,
    );
}
