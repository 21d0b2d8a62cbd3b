// The central adjustment (基本养老保险基金中央调剂, 国发〔2018〕18号) settled across the federation by
// exactly-once messages (fed.messaging.ts):
//
//   exchange: run(year) ── central.request ──▶ every province
//   province: its year-end figures (average wage, insured employees, retirees) ── central.figures ──▶ exchange
//   exchange: when every province answered, the `central-adjustment-national` rule (central.rules.ts);
//             each province's share ── central.post ──▶ province
//   province: posts 上解 out of and 下拨 into its pension fund (two journal entries, idempotency keys per
//             year) ── central.posted ──▶ exchange
//
// Idempotent per year: a second run of a year returns the first (only a run that failed, e.g. with no
// retirees anywhere, may be asked again); a province posts a year once (fed_central_posting and the
// entries' idempotency keys), whatever the broker redelivers.
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { systemActor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { periodOf } from '../core/dates.ts';
import { isSbError, SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import { Trace, type TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { retirees } from '../ledger/fund-report.repository.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { enqueue, NATIONAL, type Handler } from './fed.messaging.ts';
import { nationalCentralAdjustment, type NationalAdjustment } from './central.rules.ts';

export interface CentralFiguresBody {
  year: number;
  province: string;
  annualAverageWageFen: number | null;
  insuredCount: number;
  retireeCount: number;
}
export interface CentralPostBody {
  year: number;
  contributionFen: number;
  allocationFen: number;
  netFen: number;
  perCapitaAllocationFen: number;
  ratePercent: number;
}

const validYear = (y: unknown): y is number =>
  Number.isInteger(y) && (y as number) >= 1990 && (y as number) <= 2100;

/** A province's year-end figures for the adjustment, from its own database and parameters. */
async function provinceCentralFigures(
  db: Db,
  params: ParamStore,
  province: string,
  year: number,
): Promise<CentralFiguresBody> {
  const end = `${year}-12-31`;
  // 在职应参保人数: employees (not retirees) insured in the employee pension scheme at the year's end.
  const insured = await sql<{ n: unknown }>`
    SELECT count(DISTINCT person_id)::bigint AS n FROM enrolment
    WHERE scheme = 'employee_pension' AND kind = 'employee' AND start_date <= ${end} AND (end_date IS NULL OR end_date >= ${end})`.execute(
    db,
  );
  const ret = [...(await retirees(db, `${year}-12`)).values()].reduce((s, n) => s + n, 0);
  const wage = params.tryResolve<number>('contributions/average-wage', province, `${year}-01-01`);
  return {
    year,
    province,
    annualAverageWageFen: wage && typeof wage.value === 'number' ? wage.value * 12 : null,
    insuredCount: int(insured.rows[0]?.n),
    retireeCount: ret,
  };
}

export interface CentralRunView {
  year: number;
  requestedBy: string;
  requestedAt: string;
  status: 'requested' | 'computed' | 'posted' | 'failed';
  error: string | null;
  answered: string[];
  waitingFor: string[];
  ratePercent: number | null;
  raisedFen: number | null;
  retirees: number | null;
  perCapitaAllocationFen: number | null;
  allocatedFen: number | null;
  residualFen: number | null;
  provinces: Array<{
    province: string;
    annualAverageWageFen: number | null;
    insuredCount: number;
    retireeCount: number;
    contributionFen: number | null;
    allocationFen: number | null;
    netFen: number | null;
    postedAt: string | null;
  }>;
  trace: TraceStep[];
}

const iso = (v: unknown): string | null =>
  v instanceof Date ? v.toISOString() : typeof v === 'string' ? new Date(v).toISOString() : null;

/** The exchange's side: start a year's run (once), and show it. */
export class CentralAdjustmentService {
  /** The messages the exchange takes in for the central adjustment: the provinces' figures (then the settlement) and their confirmations. */
  static nationalHandlers(provinces: readonly string[], params: ParamStore): Record<string, Handler> {
    return {
      'central.figures': async (tx, env) => {
        const b = env.body as CentralFiguresBody;
        if (b.province !== env.from || !provinces.includes(b.province) || !validYear(b.year)) return;
        if (!Number.isSafeInteger(b.insuredCount) || !Number.isSafeInteger(b.retireeCount)) return;
        const run = await sql<{ computed_at: unknown }>`
          SELECT computed_at FROM fed_central_run WHERE year = ${b.year} FOR UPDATE`.execute(tx);
        if (run.rows.length === 0 || run.rows[0]?.computed_at !== null) return;
        await sql`INSERT INTO fed_central_figures (year, province, annual_average_wage_fen, insured_count, retiree_count)
          VALUES (${b.year}, ${b.province}, ${b.annualAverageWageFen}, ${b.insuredCount}, ${b.retireeCount})
          ON CONFLICT (year, province) DO NOTHING`.execute(tx);
        const got = await sql<{
          province: string;
          annual_average_wage_fen: unknown;
          insured_count: unknown;
          retiree_count: unknown;
        }>`SELECT province, annual_average_wage_fen, insured_count, retiree_count FROM fed_central_figures WHERE year = ${b.year}`.execute(
          tx,
        );
        if (!provinces.every((p) => got.rows.some((r) => r.province.trim() === p))) return;
        const trace = new Trace();
        let result: NationalAdjustment;
        try {
          const noWage = got.rows
            .filter((r) => r.annual_average_wage_fen === null)
            .map((r) => r.province.trim());
          if (noWage.length > 0)
            throw new SbError('SB_ERR_VALIDATION', {
              field: 'annualAverageWageFen',
              zh: `以下省份未报平均工资：${noWage.join('、')}`,
              en: `no average wage reported by ${noWage.join(', ')}`,
            });
          result = nationalCentralAdjustment(
            b.year,
            got.rows.map((r) => ({
              province: r.province.trim(),
              annualAverageWageFen: int(r.annual_average_wage_fen),
              insuredCount: int(r.insured_count),
              retireeCount: int(r.retiree_count),
            })),
            params,
            trace,
          );
        } catch (e) {
          if (!isSbError(e)) throw e;
          await sql`UPDATE fed_central_run SET computed_at = now(), error = ${e.message}, trace = ${JSON.stringify(trace.steps)}::jsonb
            WHERE year = ${b.year}`.execute(tx);
          return;
        }
        await sql`UPDATE fed_central_run SET computed_at = now(), result = ${JSON.stringify(result)}::jsonb, trace = ${JSON.stringify(trace.steps)}::jsonb
          WHERE year = ${b.year}`.execute(tx);
        for (const p of result.provinces) {
          await sql`INSERT INTO fed_central_share (year, province, contribution_fen, allocation_fen, net_fen)
            VALUES (${b.year}, ${p.province}, ${p.contributionFen}, ${p.allocationFen}, ${p.netFen})`.execute(
            tx,
          );
          const post: CentralPostBody = {
            year: b.year,
            contributionFen: p.contributionFen,
            allocationFen: p.allocationFen,
            netFen: p.netFen,
            perCapitaAllocationFen: result.perCapitaAllocationFen,
            ratePercent: result.ratePercent,
          };
          await enqueue(tx, p.province, 'central.post', post);
        }
      },
      'central.posted': async (tx, env) => {
        const b = env.body as { year?: unknown; province?: unknown };
        if (b.province !== env.from || !validYear(b.year)) return;
        await sql`UPDATE fed_central_share SET posted_at = coalesce(posted_at, now())
          WHERE year = ${b.year} AND province = ${env.from}`.execute(tx);
      },
    };
  }

  /** The messages a province takes in for the central adjustment. */
  static provinceHandlers(self: string, params: ParamStore): Record<string, Handler> {
    const actor = systemActor(`federation:${self}`);
    return {
      'central.request': async (tx, env) => {
        const b = env.body as { year?: unknown };
        if (env.from !== NATIONAL || !validYear(b.year)) return;
        await enqueue(
          tx,
          NATIONAL,
          'central.figures',
          await provinceCentralFigures(tx, params, self, b.year),
        );
      },
      'central.post': async (tx, env) => {
        const b = env.body as CentralPostBody;
        if (env.from !== NATIONAL || !validYear(b.year)) return;
        for (const k of ['contributionFen', 'allocationFen', 'perCapitaAllocationFen'] as const)
          if (!Number.isSafeInteger(b[k]) || b[k] < 0) return;
        const first = await sql<{ year: number }>`
          INSERT INTO fed_central_posting (year, contribution_fen, allocation_fen, net_fen, per_capita_fen, msg_id)
          VALUES (${b.year}, ${b.contributionFen}, ${b.allocationFen}, ${b.allocationFen - b.contributionFen}, ${b.perCapitaAllocationFen}, ${env.id})
          ON CONFLICT (year) DO NOTHING RETURNING year`.execute(tx);
        if (first.rows.length > 0) {
          const on = today();
          const base = {
            fund: 'employee_pension' as const,
            region: self,
            period: periodOf(on),
            entryDate: on,
            source: { type: 'fed_central_posting', id: b.year },
          };
          if (b.contributionFen > 0)
            await postEntry(tx, actor, {
              ...base,
              kind: 'central-adjustment-out',
              description: `${b.year}年基本养老保险基金中央调剂上解 / ${b.year} central adjustment: contribution paid up`,
              idempotencyKey: `central-adjustment:${b.year}:out`,
              lines: [
                { account: ACCOUNTS.centralAdjustmentExpenditure, debitFen: b.contributionFen },
                { account: ACCOUNTS.bank, creditFen: b.contributionFen },
              ],
            });
          if (b.allocationFen > 0)
            await postEntry(tx, actor, {
              ...base,
              kind: 'central-adjustment-in',
              description: `${b.year}年基本养老保险基金中央调剂下拨 / ${b.year} central adjustment: allocation received`,
              idempotencyKey: `central-adjustment:${b.year}:in`,
              lines: [
                { account: ACCOUNTS.bank, debitFen: b.allocationFen },
                { account: ACCOUNTS.centralAdjustmentIncome, creditFen: b.allocationFen },
              ],
            });
          await appendAudit(tx, actor, {
            action: 'central-adjustment.post',
            entityType: 'fed_central_posting',
            entityId: b.year,
            region: self,
            after: { ...b, netFen: b.allocationFen - b.contributionFen },
          });
        }
        // Confirm every time (a confirmation lost with a crashed exchange is sent again on redelivery).
        await enqueue(tx, NATIONAL, 'central.posted', { year: b.year, province: self });
      },
    };
  }

  constructor(
    private readonly db: Db,
    private readonly provinces: readonly string[],
  ) {}

  async run(actor: Actor, year: number): Promise<{ view: CentralRunView; started: boolean }> {
    authorize(actor, 'central-adjustment.run', { region: '000000' });
    const started = await this.db.transaction().execute(async (tx) => {
      const had = await sql<{ error: string | null; computed_at: unknown }>`
        SELECT error, computed_at FROM fed_central_run WHERE year = ${year} FOR UPDATE`.execute(tx);
      const prev = had.rows[0];
      if (prev && prev.error === null) return false;
      if (prev) {
        // Only a failed run is asked again: its figures are asked afresh.
        await sql`DELETE FROM fed_central_figures WHERE year = ${year}`.execute(tx);
        await sql`UPDATE fed_central_run SET requested_by = ${actor.username}, requested_at = now(), computed_at = NULL,
          error = NULL, result = NULL, trace = NULL WHERE year = ${year}`.execute(tx);
      } else
        await sql`INSERT INTO fed_central_run (year, requested_by) VALUES (${year}, ${actor.username})`.execute(
          tx,
        );
      for (const p of this.provinces) await enqueue(tx, p, 'central.request', { year });
      await appendAudit(tx, actor, {
        action: 'central-adjustment.run',
        entityType: 'fed_central_run',
        entityId: year,
        region: '000000',
        after: { year, provinces: [...this.provinces], retry: prev !== undefined },
      });
      return true;
    });
    return { view: await this.get(actor, year), started };
  }

  async get(actor: Actor, year: number): Promise<CentralRunView> {
    authorize(actor, 'federation.read', { region: '000000' });
    const r = await sql<{
      year: number;
      requested_by: string;
      requested_at: unknown;
      computed_at: unknown;
      result: NationalAdjustment | null;
      trace: TraceStep[] | null;
      error: string | null;
    }>`SELECT * FROM fed_central_run WHERE year = ${year}`.execute(this.db);
    const run = r.rows[0];
    if (!run)
      throw new SbError('SB_ERR_NOT_FOUND', {
        zh: `${year}年中央调剂尚未发起`,
        en: `no central adjustment run for ${year}`,
      });
    const figures = await sql<{
      province: string;
      annual_average_wage_fen: unknown;
      insured_count: unknown;
      retiree_count: unknown;
    }>`SELECT * FROM fed_central_figures WHERE year = ${year} ORDER BY province`.execute(this.db);
    const shares = await sql<{
      province: string;
      contribution_fen: unknown;
      allocation_fen: unknown;
      net_fen: unknown;
      posted_at: unknown;
    }>`SELECT * FROM fed_central_share WHERE year = ${year} ORDER BY province`.execute(this.db);
    const share = new Map(shares.rows.map((s) => [s.province.trim(), s]));
    const answered = figures.rows.map((f) => f.province.trim());
    const res = run.result;
    const n = (v: unknown) => (v === null || v === undefined ? null : int(v));
    const status: CentralRunView['status'] =
      run.error !== null
        ? 'failed'
        : run.computed_at === null
          ? 'requested'
          : shares.rows.length > 0 && shares.rows.every((s) => s.posted_at !== null)
            ? 'posted'
            : 'computed';
    return {
      year: int(run.year),
      requestedBy: run.requested_by,
      requestedAt: iso(run.requested_at) ?? '',
      status,
      error: run.error,
      answered,
      waitingFor: this.provinces.filter((p) => !answered.includes(p)),
      ratePercent: res?.ratePercent ?? null,
      raisedFen: res?.raisedFen ?? null,
      retirees: res?.retirees ?? null,
      perCapitaAllocationFen: res?.perCapitaAllocationFen ?? null,
      allocatedFen: res?.allocatedFen ?? null,
      residualFen: res?.residualFen ?? null,
      provinces: figures.rows.map((f) => {
        const s = share.get(f.province.trim());
        return {
          province: f.province.trim(),
          annualAverageWageFen: n(f.annual_average_wage_fen),
          insuredCount: int(f.insured_count),
          retireeCount: int(f.retiree_count),
          contributionFen: n(s?.contribution_fen),
          allocationFen: n(s?.allocation_fen),
          netFen: n(s?.net_fen),
          postedAt: iso(s?.posted_at),
        };
      }),
      trace: run.trace ?? [],
    };
  }

  async list(actor: Actor): Promise<number[]> {
    authorize(actor, 'federation.read', { region: '000000' });
    const r = await sql<{ year: unknown }>`SELECT year FROM fed_central_run ORDER BY year DESC`.execute(
      this.db,
    );
    return r.rows.map((x) => int(x.year));
  }
}
