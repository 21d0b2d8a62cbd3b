// The SQL of the unemployment benefit payroll (benefit-payroll.job.ts): a chunk's ends, re-employment
// stops, payments, the preview and the bank file's rows. The job owns the transactions, the ledger
// postings, the recovery cases and the order. Executor first.
import { sql, type RawBuilder } from 'kysely';
import { today } from '../core/clock.ts';
import { periodStart, type Period } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int, monthsFromTo } from '../db/values.ts';
import { caseStatusInsert } from '../hall/case-status.event.ts';
import type { BankRow, ChunkBounds } from '../ledger/monthly-run.ts';

/** A chunk of claim ids of a payroll run in a region. */
export interface ClaimChunk {
  bounds: ChunkBounds;
  region: string;
}

/** The claims that may be paid or stopped: approved ones (the run's chunks are cut over these ids). */
export function payableClaimIds(region: string): RawBuilder<unknown> {
  return sql`SELECT c.id FROM unemployment_claim c WHERE c.status = 'approved' AND ${regionCoversSql(sql`c.region`, region)}`;
}

function idRange(b: ChunkBounds): RawBuilder<unknown> {
  return b.to === null ? sql`c.id >= ${b.from}` : sql`c.id BETWEEN ${b.from} AND ${b.to}`;
}

function approvedInChunk(c: ClaimChunk): RawBuilder<unknown> {
  return sql`${idRange(c.bounds)} AND c.status = 'approved' AND ${regionCoversSql(sql`c.region`, c.region)}`;
}

/** The hall's `completed` for each claim of `from` (rows of id, person_id, region) that the chunk ended. */
function claimEnded(
  username: string,
  note: RawBuilder<unknown>,
  from: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return caseStatusInsert(
    {
      service: sql`'unemployment-benefit'`,
      ref: sql`'unemployment_claim:' || id`,
      personId: sql`person_id`,
      status: 'completed',
      actor: sql`${username}::text`,
      regionCode: sql`region`,
      note,
      on: sql`${today()}::text`,
      citizenPath: sql`'/citizen/unemployment'`,
    },
    from,
  );
}

const RAN_ITS_COURSE = sql`jsonb_build_object('zh', '失业保险金领取期满', 'en', 'the unemployment benefit has run its course')`;

/** Ends the chunk's approved claims whose last benefit month is before `period`, with their hall lines. */
export async function endClaimsRunTheirCourse(
  tx: Db,
  c: ClaimChunk,
  period: Period,
  username: string,
): Promise<void> {
  await sql`
      WITH ended AS (
        UPDATE unemployment_claim c SET status = 'ended', remaining_months = 0, updated_at = now(), version = version + 1
        WHERE ${approvedInChunk(c)} AND c.last_period < ${period}
        RETURNING c.id, c.person_id, c.region
      )
      ${claimEnded(username, RAN_ITS_COURSE, sql`FROM ended`)}`.execute(tx);
}

export interface ReemploymentStop {
  id: number;
  person_id: number;
  region: string;
  event_date: string;
  source: 'employment' | 'contribution';
  stopped_from: string;
}

/**
 * Stops the chunk's approved claims whose holder is working again — a new employment or a contribution
 * after the separation — from the month after the event, with their stop register and hall lines.
 */
export async function stopReemployedClaims(
  tx: Db,
  c: ClaimChunk,
  keepRemaining: boolean,
  username: string,
): Promise<ReemploymentStop[]> {
  const inChunk = approvedInChunk(c);
  const stopped = await sql<ReemploymentStop>`
      WITH ev AS MATERIALIZED (
        SELECT x.claim_id, min(x.d) AS event_date, (array_agg(x.src ORDER BY x.d, x.src))[1] AS source FROM (
          SELECT c.id AS claim_id, em.start_date AS d, 'employment' AS src
          FROM unemployment_claim c JOIN employment em ON em.person_id = c.person_id AND em.start_date > c.separation_date
          WHERE ${inChunk}
          UNION ALL
          SELECT c.id, to_date(l.period || '-01', 'YYYY-MM-DD'), 'contribution'
          FROM unemployment_claim c
          JOIN contribution_bill_line l ON l.person_id = c.person_id AND l.period > to_char(c.separation_date, 'YYYY-MM')
          JOIN contribution_bill cb ON cb.id = l.bill_id AND cb.status <> 'cancelled' AND cb.payer_kind <> 'resident'
          WHERE ${inChunk}
        ) x GROUP BY x.claim_id
      ), upd AS (
        UPDATE unemployment_claim c SET status = 'stopped', stop_event = 'reemployment', stop_date = ev.event_date,
          stopped_from_period = to_char(ev.event_date + interval '1 month', 'YYYY-MM'),
          remaining_months = greatest(0, c.max_months - greatest(0, least(
            ${monthsFromTo(sql`c.first_period`, sql`to_char(ev.event_date, 'YYYY-MM')`)} + 1, c.max_months))),
          carry_forward = ${keepRemaining}, updated_at = now(), version = c.version + 1
        FROM ev WHERE c.id = ev.claim_id
        RETURNING c.id, c.person_id, c.region, ev.event_date::text AS event_date, ev.source, c.stopped_from_period AS stopped_from
      ), logged AS (
        INSERT INTO unemployment_stop_event (claim_id, event, event_date, source, action, stopped_from_period, note, created_by)
        SELECT id, 'reemployment', event_date::date, source, 'stop', stopped_from, '再就业（系统比对）', ${username} FROM upd
        RETURNING claim_id
      ), hall AS (
        ${claimEnded(
          username,
          sql`jsonb_build_object('zh', '已重新就业，自' || stopped_from || '起停发失业保险金，未领月数保留',
            'en', 'back in work: the benefit stops from ' || stopped_from || '; the months not drawn are kept')`,
          sql`FROM upd RETURNING id`,
        )}
      )
      SELECT id, person_id, region, event_date, source, stopped_from FROM upd`.execute(tx);
  return stopped.rows;
}

export interface PaidAfterStop {
  claim_id: number;
  person_id: number;
  region: string;
  total: unknown;
  first: string;
  last: string;
}

/** Per stopped claim, the months already paid from its stop on (not due): total, first and last month. */
export async function paidAfterStop(tx: Db, claimIds: number[]): Promise<PaidAfterStop[]> {
  const over = await sql<PaidAfterStop>`
        SELECT pm.claim_id, pm.person_id, pm.region, sum(pm.amount_fen)::bigint AS total, min(pm.period) AS first, max(pm.period) AS last
        FROM unemployment_payment pm JOIN unemployment_claim c ON c.id = pm.claim_id
        WHERE pm.claim_id IN (${sql.join(claimIds.map((id) => int(id)))}) AND pm.period >= c.stopped_from_period
        GROUP BY pm.claim_id, pm.person_id, pm.region`.execute(tx);
  return over.rows;
}

/**
 * Pays every payable claim of the chunk for the period (one payment per person and month: ON CONFLICT
 * DO NOTHING); answers what was written per claim region, in region order.
 */
export async function payClaims(
  tx: Db,
  c: ClaimChunk,
  q: { period: Period; runId: number; chunkNo: number },
): Promise<{ region: string; n: unknown; benefit: unknown; medical: unknown }[]> {
  const { period, runId, chunkNo } = q;
  const paid = await sql<{ region: string; n: unknown; benefit: unknown; medical: unknown }>`
      WITH src AS MATERIALIZED (
        SELECT c.id, c.person_id, c.region, c.monthly_fen, c.medical_fen FROM unemployment_claim c
        WHERE ${idRange(c.bounds)} AND ${regionCoversSql(sql`c.region`, c.region)}
          -- approved, or stopped after this month (the event month is the last one paid)
          AND (c.status = 'approved' OR (c.status = 'stopped' AND c.stopped_from_period > ${period}))
          AND c.first_period <= ${period} AND c.last_period >= ${period} AND c.monthly_fen IS NOT NULL
          -- the dead are one hashed set (few), not a probe per claim
          AND c.person_id NOT IN (SELECT p.id FROM person p WHERE p.death_date < ${periodStart(period)}::date)
      ), paid AS (
        INSERT INTO unemployment_payment (person_id, claim_id, region, period, amount_fen, medical_fen, run_id, chunk_no)
        SELECT person_id, id, region, ${period}, monthly_fen, medical_fen, ${runId}, ${chunkNo} FROM src
        ON CONFLICT DO NOTHING
        RETURNING region, amount_fen, medical_fen
      )
      SELECT region, count(*) AS n, coalesce(sum(amount_fen), 0)::bigint AS benefit, coalesce(sum(medical_fen), 0)::bigint AS medical
      FROM paid GROUP BY region ORDER BY region`.execute(tx);
  return paid.rows;
}

/** What a run of the period would pay now: the claims payable and not yet paid for it. */
export async function payableTotals(
  db: Db,
  period: Period,
  region: string,
): Promise<{ n: unknown; benefit: unknown; medical: unknown } | undefined> {
  const r = await sql<{ n: unknown; benefit: unknown; medical: unknown }>`
    SELECT count(*) AS n, coalesce(sum(c.monthly_fen), 0)::bigint AS benefit, coalesce(sum(c.medical_fen), 0)::bigint AS medical
    FROM unemployment_claim c
    WHERE (c.status = 'approved' OR (c.status = 'stopped' AND c.stopped_from_period > ${period}))
      AND ${regionCoversSql(sql`c.region`, region)} AND c.first_period <= ${period}
      AND c.last_period >= ${period} AND c.monthly_fen IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM unemployment_payment pm WHERE pm.person_id = c.person_id AND pm.period = ${period})`.execute(
    db,
  );
  return r.rows[0];
}

/** The bank file's lines of one chunk of a run, in claim order. */
export async function bankRowsOfChunk(
  db: Db,
  runId: number,
  chunkNo: number,
): Promise<(Omit<BankRow, 'ref'> & { claim_id: unknown })[]> {
  const rows = await sql<Omit<BankRow, 'ref'> & { claim_id: unknown }>`
        SELECT p.id_number, p.name, p.bank_name, p.bank_account, pm.amount_fen AS amount, pm.claim_id
        FROM unemployment_payment pm JOIN person p ON p.id = pm.person_id
        WHERE pm.run_id = ${runId} AND pm.chunk_no = ${chunkNo} ORDER BY pm.claim_id`.execute(db);
  return rows.rows;
}
