// The SQL of silent certification by data comparison (data-import.service.ts): the import's row, the
// set-based matches of its staged lines, and the death matches recorded chunk by chunk. The service
// owns the transactions, the checks and the audit. Executor first.
import { sql, type Insertable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { CertificationImportKind, CertificationImportTable } from '../db/database.ts';
import { regionCoversSql } from './certification.repository.ts';

/** Without JIT: once the tables have statistics the match's estimated cost passes the JIT thresholds. */
export async function disableJit(tx: Db): Promise<void> {
  await sql`SET LOCAL jit = off`.execute(tx);
}

export async function insertImport(
  tx: Db,
  row: Insertable<CertificationImportTable>,
): Promise<{ id: number }> {
  return tx.insertInto('certification_import').values(row).returning('id').executeTakeFirstOrThrow();
}

/** Statistics for the lines staged in this transaction (ANALYZE counts its own rows). */
export async function analyzeStagedRows(tx: Db): Promise<void> {
  await sql`ANALYZE certification_import_row`.execute(tx);
}

/** An earlier import of the same kind, region and content, if any. */
export async function importOfContent(
  tx: Db,
  kind: CertificationImportKind,
  region: string,
  contentHash: string,
) {
  return tx
    .selectFrom('certification_import')
    .select(['id', 'result'])
    .where('kind', '=', kind)
    .where('region', '=', region)
    .where('content_hash', '=', contentHash)
    .executeTakeFirst();
}

export async function markMatched(
  tx: Db,
  importId: number,
  q: { contentHash: string; lineCount: number; counts: object },
): Promise<void> {
  await tx
    .updateTable('certification_import')
    .set({
      content_hash: q.contentHash,
      line_count: q.lineCount,
      result: JSON.stringify(q.counts),
      status: 'matched',
    })
    .where('id', '=', importId)
    .execute();
}

/**
 * Life signs: certifies each pensioner of the region once, dated the latest sign in the file; answers
 * the counts (persons, unknown, out_of_region, matched, not_pensioners, after_death, eligible, certified).
 */
export async function certifyLifeSigns(
  tx: Db,
  importId: number,
  region: string,
  username: string,
): Promise<Record<string, number | string>> {
  const r = await sql<Record<string, number | string>>`
    WITH latest AS (
      SELECT r.id_number, max(r.event_date) AS d, min(r.line_no) AS line_no
      FROM certification_import_row r WHERE r.import_id = ${importId} GROUP BY r.id_number
    ), m AS (
      SELECT l.id_number, l.d, l.line_no, p.id AS person_id, p.death_date,
        (p.id IS NOT NULL AND ${regionCoversSql(sql.ref('p.region'), region)}) AS in_region,
        EXISTS (SELECT 1 FROM pension_award a WHERE a.person_id = p.id AND a.status <> 'stopped') AS pensioner
      FROM latest l LEFT JOIN person p ON p.id_number = l.id_number
    ), ins AS (
      INSERT INTO certification (person_id, certified_on, channel, source_ref, created_by)
      SELECT person_id, d, 'data', 'import:' || ${importId}::text || ':' || line_no, ${username}
      FROM m WHERE in_region AND pensioner AND (death_date IS NULL OR d <= death_date)
      ON CONFLICT (person_id, channel, certified_on) DO NOTHING
      RETURNING person_id
    )
    SELECT
      count(*) AS persons,
      count(*) FILTER (WHERE person_id IS NULL) AS unknown,
      count(*) FILTER (WHERE person_id IS NOT NULL AND NOT in_region) AS out_of_region,
      count(*) FILTER (WHERE in_region) AS matched,
      count(*) FILTER (WHERE in_region AND NOT pensioner) AS not_pensioners,
      count(*) FILTER (WHERE in_region AND pensioner AND death_date IS NOT NULL AND d > death_date) AS after_death,
      count(*) FILTER (WHERE in_region AND pensioner AND (death_date IS NULL OR d <= death_date)) AS eligible,
      (SELECT count(*) FROM ins) AS certified
    FROM m`.execute(tx);
  return r.rows[0] ?? {};
}

/** The suspended persons of the region the import's data certifications lift, with their latest one. */
export async function suspensionsLiftedByImport(
  tx: Db,
  importId: number,
  region: string,
): Promise<{ person_id: number; id: number; certified_on: string }[]> {
  const lifted = await sql<{ person_id: number; id: number; certified_on: string }>`
    SELECT DISTINCT ON (s.person_id) s.person_id, x.id, x.certified_on
    FROM certification_suspension s
    JOIN certification_campaign c ON c.id = s.campaign_id
    JOIN certification x ON x.person_id = s.person_id AND x.channel = 'data' AND x.certified_on >= c.window_start
    WHERE s.restored_at IS NULL AND ${regionCoversSql(sql.ref('s.region'), region)}
      AND x.source_ref LIKE ${`import:${importId}:%`}
    ORDER BY s.person_id, x.certified_on DESC`.execute(tx);
  return lifted.rows;
}

/**
 * Death records: stages a match per line of a person of the region (pending, already_recorded or
 * conflict); answers the counts (persons, unknown, out_of_region, matched, already, conflicts).
 */
export async function stageDeathMatches(
  tx: Db,
  importId: number,
  region: string,
): Promise<Record<string, number | string>> {
  const r = await sql<Record<string, number | string>>`
    WITH m AS (
      SELECT r.line_no, r.event_date, p.id AS person_id, p.death_date,
        (p.id IS NOT NULL AND ${regionCoversSql(sql.ref('p.region'), region)}) AS in_region
      FROM certification_import_row r LEFT JOIN person p ON p.id_number = r.id_number
      WHERE r.import_id = ${importId}
    ), ins AS (
      INSERT INTO certification_death_match (import_id, person_id, death_date, line_no, status, detail)
      SELECT ${importId}, person_id, event_date, line_no,
        CASE WHEN death_date IS NULL THEN 'pending' WHEN death_date = event_date THEN 'already_recorded' ELSE 'conflict' END,
        CASE WHEN death_date IS NOT NULL AND death_date <> event_date THEN 'registry has ' || death_date::text END
      FROM m WHERE in_region
      RETURNING status
    )
    SELECT
      (SELECT count(*) FROM m) AS persons,
      (SELECT count(*) FROM m WHERE person_id IS NULL) AS unknown,
      (SELECT count(*) FROM m WHERE person_id IS NOT NULL AND NOT in_region) AS out_of_region,
      (SELECT count(*) FROM ins) AS matched,
      (SELECT count(*) FROM ins WHERE status = 'already_recorded') AS already,
      (SELECT count(*) FROM ins WHERE status = 'conflict') AS conflicts`.execute(tx);
  return r.rows[0] ?? {};
}

/** Up to `limit` death matches of the import still to record, in person order. */
export async function pendingDeathMatches(tx: Db, importId: number, limit: number) {
  return tx
    .selectFrom('certification_death_match')
    .select(['person_id', 'death_date', 'line_no'])
    .where('import_id', '=', importId)
    .where('status', '=', 'pending')
    .orderBy('person_id')
    .limit(limit)
    .execute();
}

/** What the registry made of each death (recorded, already recorded, conflict), one statement. */
export async function setDeathMatchOutcomes(
  tx: Db,
  importId: number,
  o: { personIds: number[]; statuses: string[]; details: (string | null)[] },
): Promise<void> {
  await sql`UPDATE certification_death_match m SET status = u.status, detail = u.detail, updated_at = now()
          FROM unnest(${o.personIds}::bigint[], ${o.statuses}::text[], ${o.details}::text[]) AS u(person_id, status, detail)
          WHERE m.import_id = ${importId} AND m.person_id = u.person_id`.execute(tx);
}

export async function setImportResult(db: Db, importId: number, counts: object): Promise<void> {
  await db
    .updateTable('certification_import')
    .set({ result: JSON.stringify(counts) })
    .where('id', '=', importId)
    .execute();
}

export async function importById(db: Db, importId: number) {
  return db.selectFrom('certification_import').selectAll().where('id', '=', importId).executeTakeFirst();
}

/** The import's death matches in line order (the first `limit`). */
export async function deathMatchesOfImport(db: Db, importId: number, limit: number) {
  return db
    .selectFrom('certification_death_match')
    .select(['person_id', 'death_date', 'line_no', 'status', 'detail'])
    .where('import_id', '=', importId)
    .orderBy('line_no')
    .limit(limit)
    .execute();
}
