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
import type { Actor } from '../auth/actor.ts';
import { systemActor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { periodOf } from '../core/dates.ts';
import { isSbError, SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import { storedTrace, Trace, type TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { retirees } from '../ledger/fund-report.repository.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { enqueue, NATIONAL, type Handler } from './fed.messaging.ts';
import { nationalCentralAdjustment, type NationalAdjustment } from './central.rules.ts';
import {
  figuresByProvince,
  findRun,
  insertFigures,
  insertPosting,
  insertRun,
  insertShare,
  insuredEmployeesOn,
  markSharePosted,
  recordComputed,
  restartRun,
  runForUpdate,
  runYears,
  sharesByProvince,
  yearFigures,
} from './central.repository.ts';

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
  const insured = await insuredEmployeesOn(db, end);
  const ret = [...(await retirees(db, `${year}-12`)).values()].reduce((s, n) => s + n, 0);
  const wage = params.tryResolve<number>('contributions/average-wage', province, `${year}-01-01`);
  return {
    year,
    province,
    annualAverageWageFen: wage && typeof wage.value === 'number' ? wage.value * 12 : null,
    insuredCount: insured,
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
        const run = await runForUpdate(tx, b.year);
        if (run === undefined || run.computed_at !== null) return;
        await insertFigures(tx, b);
        const got = await yearFigures(tx, b.year);
        if (!provinces.every((p) => got.some((r) => r.province.trim() === p))) return;
        const trace = new Trace();
        let result: NationalAdjustment;
        try {
          const noWage = got.filter((r) => r.annual_average_wage_fen === null).map((r) => r.province.trim());
          if (noWage.length > 0)
            throw new SbError('SB_ERR_VALIDATION', {
              field: 'annualAverageWageFen',
              zh: `以下省份未报平均工资：${noWage.join('、')}`,
              en: `no average wage reported by ${noWage.join(', ')}`,
            });
          result = nationalCentralAdjustment(
            b.year,
            got.map((r) => ({
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
          await recordComputed(tx, b.year, { error: e.message }, trace.steps);
          return;
        }
        await recordComputed(tx, b.year, { result }, trace.steps);
        for (const p of result.provinces) {
          await insertShare(tx, b.year, p);
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
        await markSharePosted(tx, b.year, env.from);
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
        const first = await insertPosting(tx, {
          year: b.year,
          contributionFen: b.contributionFen,
          allocationFen: b.allocationFen,
          perCapitaFen: b.perCapitaAllocationFen,
          msgId: env.id,
        });
        if (first) {
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
      const prev = await runForUpdate(tx, year);
      if (prev && prev.error === null) return false;
      if (prev) {
        // Only a failed run is asked again: its figures are asked afresh.
        await restartRun(tx, year, actor.username);
      } else await insertRun(tx, year, actor.username);
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
    const run = await findRun(this.db, year);
    if (!run)
      throw new SbError('SB_ERR_NOT_FOUND', {
        zh: `${year}年中央调剂尚未发起`,
        en: `no central adjustment run for ${year}`,
      });
    const figures = await figuresByProvince(this.db, year);
    const shares = await sharesByProvince(this.db, year);
    const share = new Map(shares.map((s) => [s.province.trim(), s]));
    const answered = figures.map((f) => f.province.trim());
    const res = run.result;
    const n = (v: unknown) => (v === null || v === undefined ? null : int(v));
    const status: CentralRunView['status'] =
      run.error !== null
        ? 'failed'
        : run.computed_at === null
          ? 'requested'
          : shares.length > 0 && shares.every((s) => s.posted_at !== null)
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
      provinces: figures.map((f) => {
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
      trace: storedTrace(run.trace),
    };
  }

  async list(actor: Actor): Promise<number[]> {
    authorize(actor, 'federation.read', { region: '000000' });
    return runYears(this.db);
  }
}
