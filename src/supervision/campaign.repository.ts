// SQL of the inspection campaigns (campaign.service.ts): a scope's candidates, the campaign with its
// seeded sample (md5(seed:id), the same on PGlite and PostgreSQL), the list with its progress, the
// worklist and an item's versioned check. Executor first; the service owns the transactions, the
// region checks and the audit.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';

export type Population = 'person' | 'employer';
export type PopulationFilter = 'all' | 'pensioners' | 'unemployment_recipients';

/** The candidates of a scope, as a SQL subquery of ids. */
export function candidatesSql(
  region: string,
  population: Population,
  detectors: string[],
  filter: PopulationFilter,
) {
  if (detectors.length > 0) {
    const col = population === 'person' ? sql.ref('f.person_id') : sql.ref('f.employer_id');
    return sql`SELECT DISTINCT ${col} AS id FROM supervision_finding f
      WHERE ${regionCoversSql(sql.ref('f.region'), region)} AND f.detector IN (${sql.join(detectors)})
        AND f.status <> 'dismissed' AND ${col} IS NOT NULL`;
  }
  if (population === 'employer')
    return sql`SELECT e.id FROM employer e WHERE ${regionCoversSql(sql.ref('e.region'), region)}`;
  const extra =
    filter === 'pensioners'
      ? sql`AND EXISTS (SELECT 1 FROM pension_award a WHERE a.person_id = p.id AND a.status = 'active')`
      : filter === 'unemployment_recipients'
        ? sql`AND EXISTS (SELECT 1 FROM unemployment_claim c WHERE c.person_id = p.id AND c.status = 'approved')`
        : sql``;
  return sql`SELECT p.id FROM person p WHERE ${regionCoversSql(sql.ref('p.region'), region)} AND p.death_date IS NULL ${extra}`;
}

/** How many candidates the scope holds. */
export async function countCandidates(tx: Db, cand: RawBuilder<unknown>): Promise<number> {
  const count = await sql<{ n: unknown }>`SELECT count(*)::bigint AS n FROM (${cand}) c`.execute(tx);
  return int(count.rows[0]?.n);
}

export async function insertCampaign(
  tx: Db,
  c: {
    region: string;
    name: string;
    population: Population;
    scope: { detectors: string[]; filter: PopulationFilter };
    sampleSize: number;
    seed: string;
    candidates: number;
    createdBy: string;
  },
): Promise<number> {
  const row = await sql<{ id: number }>`
    INSERT INTO supervision_campaign (region, name, population, scope, sample_size, seed, candidates, created_by)
    VALUES (${c.region}, ${c.name}, ${c.population}, ${JSON.stringify(c.scope)}::jsonb,
            ${c.sampleSize}, ${c.seed}, ${c.candidates}, ${c.createdBy}) RETURNING id`.execute(tx);
  return int(row.rows[0]?.id);
}

/** The sample: the first `sampleSize` candidates in md5(seed:id) order, numbered from 1. */
export async function drawSample(
  tx: Db,
  campaignId: number,
  cand: RawBuilder<unknown>,
  s: { population: Population; seed: string; sampleSize: number },
): Promise<void> {
  const col = s.population === 'person' ? sql.raw('person_id') : sql.raw('employer_id');
  await sql`INSERT INTO supervision_campaign_item (campaign_id, seq, ${col})
    SELECT ${campaignId}, row_number() OVER (ORDER BY s.k, s.id), s.id FROM (
      SELECT c.id, md5(${s.seed} || ':' || c.id::text) AS k FROM (${cand}) c
      ORDER BY k, c.id LIMIT ${s.sampleSize}) s`.execute(tx);
}

/** The campaigns of the region (or the one `id`), newest first, each with its items' progress. */
export async function campaignRows(db: Db, region: string, id: number | undefined) {
  const rows = await sql<{
    id: number;
    name: string;
    region: string;
    population: Population;
    scope: { detectors: string[]; filter: PopulationFilter };
    sample_size: number;
    seed: string;
    candidates: number;
    created_by: string;
    created_at: string;
    todo: unknown;
    clear: unknown;
    flagged: unknown;
  }>`
    SELECT c.*, 
      (SELECT count(*) FROM supervision_campaign_item i WHERE i.campaign_id = c.id AND i.status = 'todo')::bigint AS todo,
      (SELECT count(*) FROM supervision_campaign_item i WHERE i.campaign_id = c.id AND i.status = 'clear')::bigint AS clear,
      (SELECT count(*) FROM supervision_campaign_item i WHERE i.campaign_id = c.id AND i.status = 'flagged')::bigint AS flagged
    FROM supervision_campaign c
    WHERE ${regionCoversSql(sql.ref('c.region'), region)} ${id !== undefined ? sql`AND c.id = ${id}` : sql``}
    ORDER BY c.id DESC LIMIT 200`.execute(db);
  return rows.rows;
}

/** A campaign's worklist in draw order, with each item's person or employer and its open findings. */
export async function campaignItems(db: Db, id: number) {
  const items = await sql<{
    seq: number;
    person_id: unknown;
    employer_id: unknown;
    name: string | null;
    id_number: string | null;
    status: 'todo' | 'clear' | 'flagged';
    note: string | null;
    checked_by: string | null;
    checked_by_name: string | null;
    checked_at: string | null;
    version: number;
    open_findings: unknown;
  }>`
    SELECT i.seq, i.person_id, i.employer_id, coalesce(p.name, e.name) AS name, coalesce(p.id_number, e.credit_code) AS id_number,
           i.status, i.note, i.checked_by, u.display_name AS checked_by_name, i.checked_at, i.version,
           (SELECT count(*) FROM supervision_finding f WHERE f.status = 'open'
              AND (f.person_id = i.person_id OR f.employer_id = i.employer_id))::bigint AS open_findings
    FROM supervision_campaign_item i LEFT JOIN person p ON p.id = i.person_id LEFT JOIN employer e ON e.id = i.employer_id
      -- the checker by name, as the other pages show staff; the login stays beside it
      LEFT JOIN app_user u ON u.username = i.checked_by
    WHERE i.campaign_id = ${id} ORDER BY i.seq`.execute(db);
  return items.rows;
}

/** An item checked if still at `version`; its person (null for an employer), or undefined if not. */
export async function markItem(
  tx: Db,
  campaignId: number,
  seq: number,
  m: { status: 'clear' | 'flagged'; note: string | null; by: string; version: number },
): Promise<{ personId: number | null } | undefined> {
  const r = await sql<{ person_id: unknown; status: string }>`
    UPDATE supervision_campaign_item SET status = ${m.status}, note = ${m.note},
      checked_by = ${m.by}, checked_at = now(), version = version + 1
    WHERE campaign_id = ${campaignId} AND seq = ${seq} AND version = ${m.version}
    RETURNING person_id, status`.execute(tx);
  const row = r.rows[0];
  return row && { personId: row.person_id === null ? null : int(row.person_id) };
}

export async function itemExists(tx: Db, campaignId: number, seq: number): Promise<boolean> {
  const exists =
    await sql`SELECT 1 FROM supervision_campaign_item WHERE campaign_id = ${campaignId} AND seq = ${seq}`.execute(
      tx,
    );
  return exists.rows.length > 0;
}

export async function campaignRegionRow(db: Db, id: number): Promise<{ region: string } | undefined> {
  const r = await sql<{ region: string }>`SELECT region FROM supervision_campaign WHERE id = ${id}`.execute(
    db,
  );
  return r.rows[0];
}
