// Annual pension adjustment (`shebao adjust --region --year`): the region's rule (pension-adjustment)
// is resolved once in JS and translated into one SQL expression per component; each chunk of awards
// then gets, in one statement, its new pension_amount (effective January of the year, with the
// per-person components) and the arrears for the months already paid since January, carried on that
// amount row for the next payroll (arrears_fen; no arrears row of its own since issue #18's fifth
// pass). Idempotent: an award with its (award, adjustment_year) row already written is left out (the
// unique index stands behind it), so a second run changes nothing.
// adjustment-sql.db.test.ts checks the SQL against the JS rule for every encoded region and year,
// adjustment-death.db.test.ts person by person through the job.
// One row per award and one event per chunk (issue #18, fourth and fifth passes): the award row is not
// touched — the amount in force is pension_amount's (currentAmountSql in pension.repository.ts) —
// and the hall expands the chunk's `pension.adjusted` event into each pensioner's message.
// One adjustment at a time, its chunks on `workers` connections at once (issue #18, seventeenth pass):
// the run holds a session lock for its whole length, so the chunks of two adjustments (other years,
// overlapping regions) never interleave, while a run's own chunks — disjoint award ranges, one amount
// row per award — need no order among themselves. That keeps the two things the serial chunks gave:
//   - an award's amounts with arrears commit in id order (the payroll's watermark,
//     arrears_through_amount_id): an award gets one amount per run, and a run's ids are all drawn after
//     the previous run has committed and released the lock;
//   - the hall's event names the chunk's amounts as its award range with the chunk's amount id range:
//     another chunk of the run has its awards outside the range, another run its ids outside.
import { sql, type RawBuilder } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { SbError } from '../core/errors.ts';
import { fractionOf } from '../core/fraction.ts';
import { fen, yuanToFen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import { Trace } from '../core/trace.ts';
import { parameterVersions, type ParameterVersion } from './decision-trace.ts';
import { badTable, tableArray, tableNumber, tableObject, tableOptionalNumber } from '../core/rule-support.ts';
import {
  ADJUSTMENT_RULES as RULES,
  adjustmentRuleInForce,
  componentTables,
  computePensionAdjustment,
} from './pension-adjustment.rules.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import type { MonthlyRunHooks } from '../ledger/monthly-run.ts';
import { regionCoversSql } from './pension.repository.ts';

export const ADJUST_CHUNK = 100_000;
/** First key of the advisory lock that serialises the adjustments, whole runs (726354xxx: Shebao's). */
const ADJUST_LOCK = 726354103;

export interface AdjustmentOptions {
  region: string;
  year: number;
  chunkSize?: number;
  /** chunks adjusted at once, each on its own connection (PAYROLL_WORKERS; default 1; one on PGlite) */
  workers?: number;
  /** crash points for tests */
  hooks?: MonthlyRunHooks;
  onProgress?: (done: number, total: number, stage: string) => void;
}

export interface AdjustmentResult {
  region: string;
  year: number;
  effectivePeriod: string;
  adjusted: number;
  increaseFen: number;
  arrearsQueued: number;
  arrearsFen: number;
  parameterVersions: ParameterVersion[];
}

/** A rule's number as an exact decimal: units ÷ 10^scale (fractionOf reads it; its denominator is a power of ten). */
interface ExactDecimal {
  units: bigint;
  scale: number;
}

function exactDecimal(n: number, what: string): ExactDecimal {
  const f = fractionOf(n, what);
  return { units: BigInt(f.num), scale: String(f.den).length - 1 };
}

const big = (n: bigint): RawBuilder<number> => sql<number>`${sql.raw(n.toString())}::bigint`;

/**
 * n ÷ d rounded half away from zero (the rule's ROUND_HALF_UP) in bigint arithmetic, d > 0: the
 * integer division truncates toward zero, so the half is added to the magnitude. `nonNegative` when
 * n cannot be negative (the pensions and months it is made of cannot: CHECK constraints), which
 * spares the sign test per row.
 */
function roundDivSql(n: RawBuilder<unknown>, d: bigint, nonNegative: boolean): RawBuilder<number> {
  const up = (x: RawBuilder<unknown>): RawBuilder<unknown> => sql`((${x}) * 2 + ${big(d)}) / ${big(2n * d)}`;
  return nonNegative
    ? sql<number>`(${up(n)})`
    : sql<number>`(CASE WHEN ${n} < 0 THEN -${up(sql`-(${n})`)} ELSE ${up(n)} END)`;
}

/**
 * One SQL expression (in fen) per component, over base columns before_fen, months, birth_year. Exact
 * integer (bigint) arithmetic: each rule number is scaled to an integer by its own decimals, and the
 * one division of a component is rounded half away from zero — the value of the rule's decimal
 * arithmetic (pension-adjustment.rules.ts), which adjustment-sql.db.test.ts checks for every encoded
 * rule over a grid of pensions, months and birth years.
 */
export function componentSql(
  params: ParamStore,
  region: string,
  year: number,
): Array<{ kind: string; expr: RawBuilder<number> }> {
  const out: Array<{ kind: string; expr: RawBuilder<number> }> = [];
  for (const c of componentTables(adjustmentRuleInForce(params, region, year))) {
    const kind = String(c['kind']);
    const soFar =
      out.length === 0
        ? sql<number>`0`
        : sql.join(
            out.map((o) => sql`(${o.expr})`),
            sql` + `,
          );
    switch (kind) {
      case 'fixed':
        out.push({
          kind,
          expr: sql<number>`${sql.raw(String(yuanToFen(tableNumber(RULES, c, 'amount'))))}::bigint`,
        });
        break;
      case 'percentOfOwn': {
        // before × percent ÷ 100, percent = units ÷ 10^scale
        const p = exactDecimal(tableNumber(RULES, c, 'percent'), 'percentOfOwn.percent');
        out.push({
          kind,
          expr: roundDivSql(
            sql`b.before_fen * ${big(p.units)}`,
            100n * 10n ** BigInt(p.scale),
            p.units >= 0n,
          ),
        });
        break;
      }
      case 'perYearBanded': {
        const partYear = c['partYear'];
        // Counted in months so that the one division (÷ 12) comes last, before the rounding to the fen.
        const months =
          partYear === 'up'
            ? sql`((b.months::bigint + 11) / 12 * 12)`
            : partYear === 'down'
              ? sql`(b.months::bigint / 12 * 12)`
              : partYear === 'exact'
                ? sql`b.months::bigint`
                : null;
        if (months === null) throw badTable(RULES, 'perYearBanded.partYear must be up, down or exact');
        // the bands up to the first without an upper limit (the rule reads no further)
        const bands: Array<{ perYear: ExactDecimal; upTo: ExactDecimal | undefined }> = [];
        for (const rawBand of tableArray(RULES, c['bands'], 'perYearBanded.bands')) {
          const band = tableObject(RULES, rawBand, 'a band');
          const upTo = tableOptionalNumber(RULES, band, 'upToYears');
          bands.push({
            perYear: exactDecimal(tableNumber(RULES, band, 'perYear'), 'perYearBanded.perYear'),
            upTo: upTo === undefined ? undefined : exactDecimal(upTo, 'perYearBanded.upToYears'),
          });
          if (upTo === undefined) break;
        }
        // Months are scaled by 10^ms (band limits in years with decimals), yuan per year by 10^ys.
        const ms = Math.max(0, ...bands.map((b) => b.upTo?.scale ?? 0));
        const ys = Math.max(0, ...bands.map((b) => b.perYear.scale));
        const scaleTo = (d: ExactDecimal, to: number): bigint => d.units * 10n ** BigInt(to - d.scale);
        const scaledMonths = sql`(${months} * ${big(10n ** BigInt(ms))})`;
        const parts: RawBuilder<unknown>[] = [];
        let previous = 0n;
        for (const b of bands) {
          const limit = b.upTo === undefined ? undefined : scaleTo(b.upTo, ms) * 12n;
          const top = limit === undefined ? scaledMonths : sql`least(${scaledMonths}, ${big(limit)})`;
          parts.push(sql`greatest(0, ${top} - ${big(previous)}) * ${big(scaleTo(b.perYear, ys))}`);
          previous = limit ?? previous;
        }
        // Σ months × yuan a year × 100 ÷ 12, in units of 10^-ms months and 10^-ys yuan
        let expr = roundDivSql(
          sql`((${parts.length ? sql.join(parts, sql` + `) : sql`0`}) * 100)`,
          12n * 10n ** BigInt(ms + ys),
          bands.every((b) => b.perYear.units >= 0n),
        );
        const min = tableOptionalNumber(RULES, c, 'minTotal');
        if (min !== undefined)
          expr = sql<number>`greatest(${expr}, ${sql.raw(String(yuanToFen(min)))}::bigint)`;
        out.push({ kind, expr });
        break;
      }
      case 'ageTilt': {
        if (c['ageAsOf'] !== 'prior-year-end')
          throw badTable(RULES, 'ageTilt.ageAsOf must be prior-year-end');
        // Age in whole years on 31 December of the prior year = (year − 1) − birth year.
        const age = sql`(${year - 1} - b.birth_year)`;
        const whens = tableArray(RULES, c['bands'], 'ageTilt.bands').map((rawBand) => {
          const band = tableObject(RULES, rawBand, 'a band');
          const maxAge = tableOptionalNumber(RULES, band, 'maxAge');
          const cond =
            maxAge === undefined
              ? sql`${age} >= ${tableNumber(RULES, band, 'minAge')}`
              : sql`${age} BETWEEN ${tableNumber(RULES, band, 'minAge')} AND ${maxAge}`;
          return sql`WHEN ${cond} THEN ${sql.raw(String(yuanToFen(tableNumber(RULES, band, 'amount'))))}`;
        });
        out.push({ kind, expr: sql<number>`(CASE ${sql.join(whens, sql` `)} ELSE 0 END)::bigint` });
        break;
      }
      case 'pensionBand': {
        const whens: RawBuilder<unknown>[] = [];
        let last: number | undefined;
        for (const rawBand of tableArray(RULES, c['bands'], 'pensionBand.bands')) {
          const band = tableObject(RULES, rawBand, 'a band');
          const below = tableOptionalNumber(RULES, band, 'below');
          const amount = yuanToFen(tableNumber(RULES, band, 'amount'));
          if (below === undefined) {
            last = amount;
            break;
          }
          whens.push(
            sql`WHEN b.before_fen < ${sql.raw(String(yuanToFen(below)))} THEN ${sql.raw(String(amount))}`,
          );
        }
        if (last === undefined) throw badTable(RULES, 'pensionBand needs a last band without "below"');
        out.push({
          kind,
          expr: sql<number>`(CASE ${sql.join(whens, sql` `)} ELSE ${sql.raw(String(last))} END)::bigint`,
        });
        break;
      }
      case 'floor':
        out.push({
          kind,
          expr: sql<number>`greatest(0, ${sql.raw(String(yuanToFen(tableNumber(RULES, c, 'amount'))))} - (b.before_fen + ${soFar}))::bigint`,
        });
        break;
      default:
        throw badTable(RULES, `unknown component kind ${kind}`);
    }
  }
  return out;
}

export async function runAdjustment(
  ctx: AppContext,
  actor: Actor,
  opts: AdjustmentOptions,
): Promise<AdjustmentResult> {
  const { region, year } = opts;
  authorize(actor, 'adjustment.run', { region });
  if (!Number.isSafeInteger(year) || year < 2000 || year > 2100)
    throw new SbError('SB_ERR_OUT_OF_RANGE', { field: 'year', zh: String(year), en: String(year) });
  const db = ctx.db;
  // The JS rule once, for its validation and its parameter versions (stored with the run).
  const trace = new Trace();
  computePensionAdjustment(
    {
      region,
      year,
      monthlyPensionFen: fen(300000),
      contributionMonths: 360,
      birthDate: `${year - 70}-06-15`,
      retirementDate: `${year - 10}-06-15`,
    },
    ctx.params,
    trace,
  );
  const versions = parameterVersions(trace.steps);
  const comps = componentSql(ctx.params, region, year);
  const needsBirth = comps.some((c) => c.kind === 'ageTilt');
  const effective = `${year}-01`;
  const retiredBy = `${year - 1}-12-31`;
  const chunkSize = opts.chunkSize ?? ADJUST_CHUNK;
  const ids = await sql<{ lo: number | null; hi: number | null }>`
    SELECT min(id) AS lo, max(id) AS hi FROM pension_award a WHERE ${regionCoversSql(sql`a.region`, region)}`.execute(
    db,
  );
  const lo = ids.rows[0]?.lo ?? 0;
  const hi = ids.rows[0]?.hi ?? -1;
  const chunks = hi >= lo ? Math.ceil((hi - lo + 1) / chunkSize) : 0;
  const job = await db
    .insertInto('job_run')
    .values({
      kind: 'adjustment',
      key: `${region}:${year}`,
      status: 'running',
      total: chunks,
      detail: JSON.stringify({ region, year }),
      started_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    })
    .onConflict((oc) =>
      oc.columns(['kind', 'key']).doUpdateSet({
        status: 'running',
        done: 0,
        total: chunks,
        updated_at: new Date().toISOString(),
        finished_at: null,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  // The components' JSON as text cast once to jsonb (the same jsonb value): a third of the cost of
  // building it with jsonb_build_object per component per row.
  const componentsJson = comps.length
    ? sql`(${sql.join(
        comps.map(
          (c, i) =>
            sql`${`${i === 0 ? '[' : ','}{"kind":${JSON.stringify(c.kind)},"amountFen":`}::text || c.c${sql.raw(String(i))}::text || '}'`,
        ),
        sql` || `,
      )} || ']')::jsonb`
    : sql`'[]'::jsonb`;
  const increase = comps.length
    ? sql.join(
        comps.map((_, i) => sql`i.c${sql.raw(String(i))}`),
        sql` + `,
      )
    : sql`0`;
  const compCols = comps.length
    ? sql.join(
        comps.map((c, i) => sql`${c.expr} AS c${sql.raw(String(i))}`),
        sql`, `,
      )
    : sql`0 AS c_none`;
  let adjusted = 0;
  let increaseFen = 0;
  let arrearsQueued = 0;
  let arrearsFen = 0;
  const adjustChunk = async (exec: Db, k: number): Promise<void> => {
    const from = lo + k * chunkSize;
    const to = Math.min(hi, from + chunkSize - 1);
    const r = await exec.transaction().execute(async (tx) => {
      // No JIT: with the awards' region statistics (migration 2026_12_03_1580) the chunk's estimated
      // cost passes jit_above_cost, and compiling its expressions took ~0.2 s of CPU a chunk for nothing.
      await sql`SET LOCAL jit = off`.execute(tx);
      // Per chunk: the amount before the adjustment for each of the chunk's awards in one ordered range
      // scan (DISTINCT ON in the index's order, read backwards: no sort, where two ordered array_agg
      // sorted per award), then the awards in the same order — no probe per award. An award already
      // adjusted this year is left out by an anti-join on the unique key (award_id, adjustment_year),
      // bounded to the chunk: only this job writes adjustment rows, one run at a time (the run's lock),
      // and no other chunk of the run has an award in this range, so no row of the year can appear in
      // between; a plain INSERT then spares
      // ON CONFLICT's speculative insertion per row (its pre-check, token and confirmation record: 7 %
      // of the statement's WAL). The unique key still stands behind it.
      const res = await sql<{ adjusted: unknown; increase: unknown; arrears: unknown; arrears_fen: unknown }>`
        WITH am AS (
          SELECT DISTINCT ON (pa.award_id) pa.award_id, pa.monthly_fen AS before_fen, pa.account_fen AS before_account_fen
          FROM pension_amount pa
          WHERE pa.award_id BETWEEN ${from} AND ${to} AND pa.effective_period <= ${effective}
            AND NOT (pa.reason = 'adjustment' AND pa.adjustment_year >= ${year})
          ORDER BY pa.award_id DESC, pa.effective_period DESC, pa.id DESC
        ), b AS MATERIALIZED (
          SELECT a.id, a.contribution_months AS months, ${needsBirth ? sql`extract(year FROM p.birth_date)::int` : sql`0`} AS birth_year, am.before_fen, am.before_account_fen
          FROM pension_award a JOIN am ON am.award_id = a.id
          ${needsBirth ? sql`JOIN person p ON p.id = a.person_id` : sql``}
          WHERE a.id BETWEEN ${from} AND ${to} AND ${regionCoversSql(sql`a.region`, region)}
            AND a.retirement_date <= ${retiredBy}::date
            AND NOT (a.status = 'stopped' AND a.stopped_from_period <= ${effective})
            AND NOT EXISTS (SELECT 1 FROM pension_amount x WHERE x.award_id BETWEEN ${from} AND ${to} AND x.award_id = a.id
              AND x.reason = 'adjustment' AND x.adjustment_year = ${year})
          -- in award order (am is read backwards): the amounts are inserted with ascending keys
          ORDER BY a.id
        ), c AS MATERIALIZED (
          -- the components once per award: inlined, each was computed again wherever it is named (the
          -- new amount, the arrears per paid month, the JSON) (OFFSET 0: the subquery is not flattened,
          -- so the sum below adds its columns, not the expressions again)
          SELECT i.*, i.before_fen + ${increase} AS new_fen FROM (SELECT b.*, ${compCols} FROM b OFFSET 0) AS i
        ), o AS (
          -- what the new amount owes for the months already paid at the old one: a probe per award of
          -- the payments' key (the only plan a lateral aggregate has), carried on the amount row itself
          -- (migration 2026_12_01_1260) instead of an arrears row of its own; the next payroll pays it
          SELECT c.*, ow.from_period, ow.to_period, ow.owed
          FROM c LEFT JOIN LATERAL (
            SELECT min(pp.period) AS from_period, max(pp.period) AS to_period, sum(c.new_fen - pp.amount_fen)::bigint AS owed
            FROM pension_payment pp
            WHERE pp.award_id = c.id AND pp.award_id BETWEEN ${from} AND ${to} AND pp.period >= ${effective} AND pp.kind = 'regular'
          ) ow ON true
        ), ins AS (
          -- the increase raises the basic part; the personal-account part stays what its rule computed
          INSERT INTO pension_amount (award_id, effective_period, monthly_fen, account_fen, previous_fen, components, reason, adjustment_year, created_by,
            arrears_fen, arrears_from_period, arrears_to_period)
          SELECT c.id, ${effective}, c.new_fen, least(c.new_fen, c.before_account_fen), c.before_fen, ${componentsJson}, 'adjustment', ${year}::smallint, ${actor.username},
            CASE WHEN c.owed > 0 THEN c.owed ELSE 0 END, CASE WHEN c.owed > 0 THEN c.from_period END, CASE WHEN c.owed > 0 THEN c.to_period END
          FROM o AS c
          RETURNING id, award_id, monthly_fen, previous_fen, arrears_fen
        ), told AS (
          -- The online hall tells each pensioner of the new amount: one event for the chunk, which the
          -- hall expands from the amounts it names (src/hall/events.job.ts). The chunk's amounts are the
          -- adjustment rows of the year of its award range with ids in [fromAmountId, toAmountId]: the
          -- run's other chunks have their awards outside the range, other runs their ids outside.
          INSERT INTO outbox (topic, payload)
          SELECT 'pension.adjusted', jsonb_build_object('year', ${year}::int, 'effectivePeriod', ${effective}::text,
            'region', ${region}::text, 'fromAwardId', ${from}::bigint, 'toAwardId', ${to}::bigint,
            'fromAmountId', min(ins.id), 'toAmountId', max(ins.id), 'awards', count(*))
          FROM ins HAVING count(*) > 0
          RETURNING 1
        )
        SELECT count(*) AS adjusted, coalesce(sum(monthly_fen - previous_fen), 0)::bigint AS increase,
          count(*) FILTER (WHERE arrears_fen > 0) AS arrears, coalesce(sum(arrears_fen), 0)::bigint AS arrears_fen
        FROM ins`.execute(tx);
      opts.hooks?.insideChunk?.(k + 1);
      await sql`UPDATE job_run SET done = done + 1, updated_at = now() WHERE id = ${job.id}`.execute(tx);
      return res.rows[0];
    });
    adjusted += int(r?.adjusted);
    increaseFen += int(r?.increase);
    arrearsQueued += int(r?.arrears);
    arrearsFen += int(r?.arrears_fen);
    done += 1;
    opts.onProgress?.(done, chunks, 'adjustment');
    opts.hooks?.afterChunk?.(k + 1);
  };
  // One adjustment at a time, whatever the region and the year (see the head of this file): a session
  // lock on a connection held for the run, on which the first worker adjusts; the others take their
  // own from the pool (K connections in all), each the next chunk, the first failure stopping the
  // others (a rerun resumes: every award already adjusted is left out). PGlite has one connection.
  const workers = ctx.dbKind === 'pglite' ? 1 : Math.max(1, Math.min(opts.workers ?? 1, chunks));
  let done = 0;
  let next = 0;
  let failure: { error: unknown } | undefined;
  await db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${sql.lit(ADJUST_LOCK)}, 0)`.execute(conn);
    try {
      const worker = async (exec: Db): Promise<void> => {
        for (let k = next++; k < chunks && failure === undefined; k = next++)
          await adjustChunk(exec, k).catch((error: unknown) => {
            failure ??= { error };
          });
      };
      await Promise.all(Array.from({ length: workers }, (_, i) => worker(i === 0 ? conn : db)));
    } finally {
      await sql`SELECT pg_advisory_unlock(${sql.lit(ADJUST_LOCK)}, 0)`.execute(conn);
    }
  });
  if (failure) throw failure.error;
  const result: AdjustmentResult = {
    region,
    year,
    effectivePeriod: effective,
    adjusted,
    increaseFen,
    arrearsQueued,
    arrearsFen,
    parameterVersions: versions,
  };
  await db.transaction().execute(async (tx) => {
    await sql`UPDATE job_run SET status = 'done', finished_at = now(), updated_at = now(), detail = ${JSON.stringify(result)}::jsonb WHERE id = ${job.id}`.execute(
      tx,
    );
    await appendAudit(tx, actor, {
      action: 'pension.adjust',
      entityType: 'job_run',
      entityId: job.id,
      region,
      after: result,
    });
  });
  // Statistics for what the adjustment has just written (one amount row per award, its arrears on
  // it): the next payroll plans over them, and autovacuum may not have sampled them yet. Only the
  // columns statements select or join by: the statistics of the components' JSON were two thirds of
  // the ANALYZE (0.77–0.86 s → 0.23–0.33 s at 200,000 adjusted) and no statement filters on them.
  if (adjusted > 0)
    await sql`ANALYZE pension_amount (id, award_id, effective_period, reason, adjustment_year, monthly_fen, arrears_fen)`.execute(
      db,
    );
  return result;
}
