// Issue 18 (ninth pass): a suspension's notice is no longer a row of certification_notice, written by
// the sweep beside each suspension (205 bytes and three index entries per suspended award: about a
// seventh of what a 200,000-pensioner sweep writes), but derived from the suspension and its campaign
// when the person's notices are read. Every fact of it is already there: the person, the campaign, the
// time (the same statement's now()), and the detail the sweep built from the campaign's year, window
// and deadline and the suspension's first period (campaigns are never edited after they are created).
// What the row had that the suspension did not is its id, which the person's notice list shows and
// orders by: the suspension takes it as `notice_id`, drawn from certification_notice's own sequence,
// so a derived notice keeps the id it had as a row, new ones interleave with the restoration notices
// (still rows: their back-pay figures are known only when the restoration runs) exactly as before, and
// no two notices share an id.
// The person's suspensions were indexed only while open (certification_suspension_open_idx); the notice
// list reads them all, so the index covers every suspension of a person instead. The sweep writes the
// same number of index entries (its suspensions are open), and a restoration's update of restored_at no
// longer touches an index predicate.
// `down` writes the suspension notices back as rows with their ids.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

const SEQUENCE = sql`pg_get_serial_sequence('certification_notice', 'id')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE certification_suspension ADD COLUMN notice_id bigint`.execute(db);
  await sql`
    UPDATE certification_suspension s SET notice_id = n.id
    FROM certification_notice n WHERE n.suspension_id = s.id AND n.kind = 'suspension'`.execute(db);
  // A suspension without its notice row cannot come from the sweep; give it a fresh id all the same.
  await sql`UPDATE certification_suspension SET notice_id = nextval(${SEQUENCE}) WHERE notice_id IS NULL`.execute(
    db,
  );
  const seq = await sql<{ name: string }>`SELECT ${SEQUENCE} AS name`.execute(db);
  const name = seq.rows[0]?.name;
  if (!name) throw new Error('certification_notice.id has no sequence');
  await sql`ALTER TABLE certification_suspension ALTER COLUMN notice_id SET DEFAULT nextval(${sql.lit(name)}::regclass)`.execute(
    db,
  );
  await sql`ALTER TABLE certification_suspension ALTER COLUMN notice_id SET NOT NULL`.execute(db);
  await sql`DELETE FROM certification_notice WHERE kind = 'suspension'`.execute(db);
  await sql`ALTER TABLE certification_notice DROP CONSTRAINT certification_notice_kind_check`.execute(db);
  await sql`ALTER TABLE certification_notice ADD CONSTRAINT certification_notice_kind_check CHECK (kind = 'restoration')`.execute(
    db,
  );
  await sql`CREATE INDEX certification_suspension_person_idx ON certification_suspension (person_id)`.execute(
    db,
  );
  await sql`DROP INDEX certification_suspension_open_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX certification_suspension_open_idx ON certification_suspension (person_id) WHERE restored_at IS NULL`.execute(
    db,
  );
  await sql`DROP INDEX certification_suspension_person_idx`.execute(db);
  await sql`ALTER TABLE certification_notice DROP CONSTRAINT certification_notice_kind_check`.execute(db);
  await sql`ALTER TABLE certification_notice ADD CONSTRAINT certification_notice_kind_check CHECK (kind IN ('suspension', 'restoration'))`.execute(
    db,
  );
  await sql`
    INSERT INTO certification_notice (id, person_id, kind, campaign_id, suspension_id, detail, created_at)
    OVERRIDING SYSTEM VALUE
    SELECT s.notice_id, s.person_id, 'suspension', s.campaign_id, s.id,
      jsonb_build_object('year', c.year, 'windowStart', c.window_start::text, 'deadline', c.deadline::text,
        'suspendedFromPeriod', s.suspended_from_period::text),
      s.created_at
    FROM certification_suspension s JOIN certification_campaign c ON c.id = s.campaign_id`.execute(db);
  await sql`ALTER TABLE certification_suspension DROP COLUMN notice_id`.execute(db);
}
