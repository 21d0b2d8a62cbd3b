// Fund reports in the article's form — "总收入 … 总支出 … 累计结余 …" — per fund, region and period,
// the insured counts per scheme, and the central adjustment between the regions present (the
// `central-adjustment` rule over the regions' data, 2018–2021).
import type { Actor } from '../auth/actor.ts';
import { authorize, regionCovers } from '../auth/policy.ts';
import { regionName } from '../core/regions.ts';
import { addPeriods, type Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { fen, formatMoney, roundFen, type Fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import { Trace } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { computeCentralAdjustment } from './central-adjustment.rules.ts';
import {
  fundMonths,
  fundStatements,
  insuredCounts,
  retirees,
  type FundMonth,
  type FundStatement,
} from './fund-report.repository.ts';
import type { Words } from '../core/bilingual.ts';

const FUND_ZH = {
  employee_pension: '企业职工基本养老保险基金',
  resident_pension: '城乡居民基本养老保险基金',
  unemployment: '失业保险基金',
  injury: '工伤保险基金',
} as const;

interface RegionNames {
  regionNameZh: string;
  regionNameEn: string;
}

export interface FundsReport {
  period: Period;
  region: string | null;
  regionNameZh: string | null;
  regionNameEn: string | null;
  month: Array<FundStatement & RegionNames & { summaryZh: string }>;
  yearToDate: Array<FundStatement & RegionNames & { summaryZh: string }>;
  /** each fund's twelve months up to the period: the funds over time */
  months: FundMonth[];
  insured: Array<{ region: string; scheme: string; count: number } & RegionNames>;
  /** figures that do not hang together, e.g. personal accounts above the balance they are part of (空账) */
  warnings: Array<
    Words & {
      fund: string;
      region: string;
      code: 'personal-accounts-exceed-balance';
      shortfallFen: number;
    }
  >;
  centralAdjustment: null | {
    year: number;
    perCapitaAllocationFen: number;
    regions: Array<
      RegionNames & {
        region: string;
        annualAverageWageFen: number;
        insuredCount: number;
        retireeCount: number;
        contributionFen: number;
        allocationFen: number;
        netFen: number;
      }
    >;
    note: string;
  };
}

/** A region's names beside its code, for pages and reports (core/regions.ts). */
const named = <T extends { region: string }>(x: T): T & RegionNames => ({
  ...x,
  regionNameZh: regionName(x.region, 'zh'),
  regionNameEn: regionName(x.region, 'en'),
});

function withSummary(s: FundStatement): FundStatement & RegionNames & { summaryZh: string } {
  return {
    ...named(s),
    summaryZh: `${FUND_ZH[s.fund]}（${regionName(s.region)}）：总收入 ${formatMoney(s.incomeFen)}，总支出 ${formatMoney(s.expenditureFen)}，累计结余 ${formatMoney(s.balanceFen)}`,
  };
}

/** Personal accounts are part of a fund's balance: more in the accounts than in the fund is an unfunded (空账) part. */
function accountWarnings(statements: FundStatement[]): FundsReport['warnings'] {
  return statements
    .filter((s) => s.personalAccountFen > s.balanceFen)
    .map((s) => {
      const shortfallFen = s.personalAccountFen - s.balanceFen;
      return {
        fund: s.fund,
        region: s.region,
        code: 'personal-accounts-exceed-balance' as const,
        shortfallFen,
        zh: `${FUND_ZH[s.fund]}（${s.region}）：个人账户 ${formatMoney(s.personalAccountFen)} 超过累计结余 ${formatMoney(s.balanceFen)}，差额 ${formatMoney(shortfallFen)} 未有基金资产对应（空账）`,
        en: `${s.fund} (${s.region}): personal accounts ${formatMoney(s.personalAccountFen)} exceed the balance ${formatMoney(s.balanceFen)} by ${formatMoney(shortfallFen)}, not backed by fund assets`,
      };
    });
}

export class FundReportService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  async fundsReport(actor: Actor, q: { period: Period; region?: string }): Promise<FundsReport> {
    const region = q.region ?? (actor.role === 'system' ? undefined : (actor.region ?? undefined));
    authorize(actor, 'report.read', region === undefined ? undefined : { region });
    if (region === undefined && actor.role !== 'system' && actor.region !== '000000')
      throw new SbError('SB_ERR_FORBIDDEN', { zh: '需指定地区', en: 'a region is required' });
    const base = region === undefined ? {} : { region };
    const year = q.period.slice(0, 4);
    const month = (
      await fundStatements(this.db, { ...base, fromPeriod: q.period, throughPeriod: q.period })
    ).map(withSummary);
    const ytd = (
      await fundStatements(this.db, { ...base, fromPeriod: `${year}-01`, throughPeriod: q.period })
    ).map(withSummary);
    const months = await fundMonths(this.db, {
      ...base,
      fromPeriod: addPeriods(q.period, -11),
      throughPeriod: q.period,
    });
    const insured = await insuredCounts(this.db, q.period, region);
    // Central adjustment: every region present in the data takes part; the report shows the asked region.
    let centralAdjustment: FundsReport['centralAdjustment'] = null;
    const table = this.params.tryResolve('ledger/central-adjustment', '000000', `${year}-12-31`);
    if (table && table.value !== null) {
      const all = await insuredCounts(this.db, q.period);
      const ret = await retirees(this.db, q.period);
      const regions = [...new Set(all.filter((x) => x.scheme === 'employee_pension').map((x) => x.region))];
      const inputs = regions.flatMap((r) => {
        const wage = this.params.tryResolve<number>('contributions/average-wage', r, `${year}-01-01`);
        if (!wage || wage.value === null) return [];
        const insuredCount = all
          .filter((x) => x.region === r && x.scheme === 'employee_pension')
          .reduce((s, x) => s + x.count, 0);
        return [
          {
            region: r,
            annualAverageWageFen: fen(wage.value * 12),
            insuredCount,
            retireeCount: ret.get(r) ?? 0,
          },
        ];
      });
      const first = inputs.map((i) => ({
        i,
        c: computeCentralAdjustment(
          { year: Number(year), ...i, perCapitaAllocationFen: fen(0) },
          this.params,
          new Trace(),
        ),
      }));
      const raised = first.reduce((s, x) => s + x.c.contributionFen, 0);
      const totalRetirees = inputs.reduce((s, i) => s + i.retireeCount, 0);
      const perCapita: Fen = totalRetirees > 0 ? roundFen(raised / totalRetirees) : fen(0);
      const rows = inputs.map((i) => ({
        ...i,
        ...computeCentralAdjustment(
          { year: Number(year), ...i, perCapitaAllocationFen: perCapita },
          this.params,
          new Trace(),
        ),
      }));
      centralAdjustment = {
        year: Number(year),
        perCapitaAllocationFen: perCapita,
        regions: rows
          .filter(
            (r) => region === undefined || regionCovers(region, r.region) || regionCovers(r.region, region),
          )
          .map((r) => ({
            ...named({ region: r.region }),
            annualAverageWageFen: r.annualAverageWageFen,
            insuredCount: r.insuredCount,
            retireeCount: r.retireeCount,
            contributionFen: r.contributionFen,
            allocationFen: r.allocationFen,
            netFen: r.netFen,
          })),
        note: '全国人均拨付额 = 在场各地区上解总额 ÷ 离退休总人数；在职应参保人数取参保人数 / per-capita allocation = contributions raised by the regions present ÷ their retirees; the insured count stands for the should-be-insured count',
      };
    }
    return {
      period: q.period,
      region: region ?? null,
      regionNameZh: region === undefined ? null : regionName(region, 'zh'),
      regionNameEn: region === undefined ? null : regionName(region, 'en'),
      month,
      yearToDate: ytd,
      months,
      insured: insured.map(named),
      centralAdjustment,
      warnings: accountWarnings(month),
    };
  }
}
