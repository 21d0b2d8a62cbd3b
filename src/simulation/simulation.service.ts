// The policy simulator's use cases: run a scenario on the region's own population (read now from
// the database) and the live rules, store the run, list, read and export runs.
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { computeContribution, resolveContributionRates } from '../contributions/contribution.rules.ts';
import { today } from '../core/clock.ts';
import { csvNumber, csvText } from '../core/csv.ts';
import { periodOf, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { fen, formatYuan, mulDiv } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import { regionContains } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import { fundStatements } from '../ledger/fund-report.repository.ts';
import {
  projectFund,
  type ContributorGroup,
  type PensionerGroup,
  type Snapshot,
} from './projection.rules.ts';
import type { Scenario } from './scenario-params.rules.ts';
import { validateScenario } from './scenario.rules.ts';
import type { ScenarioBody, SimulationRun, SimulationSummary } from './simulation.schema.ts';
import {
  contributorGroups,
  findRun,
  insertRun,
  listRuns,
  pensionerGroups,
  type RunRow,
} from './simulation.repository.ts';

const isBaseline = (s: Scenario): boolean =>
  s.adjustmentRatePpm === undefined &&
  s.employerRatePpm === undefined &&
  s.baseFloorPpm === undefined &&
  s.retirementAge === undefined &&
  s.assumptions === undefined;

const avg = (sum: number, n: number): number => (n === 0 ? 0 : Math.floor((2 * sum + n) / (2 * n)));

/**
 * The name of a run saved without one (the column needs a name; the CSV and the CLI show it as is).
 * The page shows its own words for these instead (web/src/pages/agency/simulation-text.ts).
 */
export const DEFAULT_RUN_NAME = { baseline: '基线 baseline', scenario: '方案 scenario' } as const;

export class SimulationService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  /** The region's population as cohorts, and the fund's balance on the ledger, on `asOf`. */
  async snapshot(region: string, asOf: IsoDate): Promise<Snapshot> {
    const rates = resolveContributionRates(this.params, { region, period: periodOf(asOf), kind: 'employee' });
    const averageWage = rates.averageWageFen;
    const [rows, prows, funds] = await Promise.all([
      contributorGroups(this.db, region, asOf, averageWage),
      pensionerGroups(this.db, region, asOf),
      fundStatements(this.db, { fromPeriod: periodOf(asOf), throughPeriod: periodOf(asOf) }),
    ]);
    const flexibleRates = resolveContributionRates(this.params, {
      region,
      period: periodOf(asOf),
      kind: 'flexible',
    });
    const contributors: ContributorGroup[] = rows.map((r) => {
      const wage = avg(r.wageSumFen, r.count);
      // base index to 1% (the projection calls the contribution rule once per kind and index a year)
      const indexPpm = Math.max(10_000, mulDiv(wage, 100, averageWage) * 10_000);
      const months = avg(r.monthsSum, r.count);
      // The account is not summed from every bill line: months × this month's credit by the live
      // rule (no interest), plus archived balances (docs/simulation.md, simplifications).
      const monthly = computeContribution(r.kind === 'employee' ? rates : flexibleRates, fen(wage)).pension
        .personalAccountFen;
      return {
        birthYear: r.birthYear,
        sex: r.sex,
        kind: r.kind,
        indexPpm,
        count: r.count,
        contributionMonths: months,
        accountFen: avg(r.archivedAccountSumFen, r.count) + monthly * months,
      };
    });
    const pensioners: PensionerGroup[] = prows.map((p) => ({
      birthYear: p.birthYear,
      sex: p.sex,
      monthlyFen: avg(p.monthlySumFen, p.count),
      contributionMonths: avg(p.monthsSum, p.count),
      retirementDate: p.latestRetirementDate,
      count: p.count,
    }));
    const balanceFen = funds
      .filter((f) => f.fund === 'employee_pension' && regionContains(region, f.region))
      .reduce((s, f) => s + f.balanceFen, 0);
    return { region, asOf, balanceFen, contributors, pensioners };
  }

  async run(actor: Actor, body: ScenarioBody): Promise<SimulationRun> {
    const region = body.region ?? actor.region ?? '';
    if (!/^\d{6}$/.test(region) || region === '000000') {
      throw new SbError('SB_ERR_REQUIRED', {
        field: 'region',
        zh: '需指定一个统筹地区（6位行政区划代码）',
        en: 'a pooling region (6-digit code) is required',
      });
    }
    authorize(actor, 'simulation.run', { region });
    const scenario = validateScenario(body);
    const asOf = today();
    const started = performance.now();
    const snapshot = await this.snapshot(region, asOf);
    const result = projectFund(snapshot, scenario, this.params);
    const name =
      (body.name ?? '').trim() ||
      (isBaseline(scenario) ? DEFAULT_RUN_NAME.baseline : DEFAULT_RUN_NAME.scenario);
    const summary = {
      asOf,
      contributors: snapshot.contributors.reduce((s, c) => s + c.count, 0),
      pensioners: snapshot.pensioners.reduce((s, c) => s + c.count, 0),
      balanceFen: snapshot.balanceFen,
      contributorGroups: snapshot.contributors.length,
      pensionerGroups: snapshot.pensioners.length,
    };
    const stored = { startYear: result.startYear, years: result.years, assumptions: result.assumptions };
    const { id } = await insertRun(this.db, {
      region,
      name,
      scenario,
      snapshot: summary,
      result: stored,
      createdBy: actor.username,
      userId: actor.userId,
      durationMs: Math.round(performance.now() - started),
    });
    const row = await findRun(this.db, id);
    if (!row) throw new SbError('SB_ERR_NOT_FOUND', { zh: '模拟结果', en: 'simulation run' });
    return toDto(row);
  }

  private async readable(actor: Actor, id: number): Promise<RunRow> {
    authorize(actor, 'simulation.read');
    const row = await findRun(this.db, id);
    if (!row)
      throw new SbError('SB_ERR_NOT_FOUND', {
        field: 'id',
        zh: `模拟 ${id} 不存在`,
        en: `simulation ${id} not found`,
      });
    authorize(actor, 'simulation.read', { region: row.region });
    return row;
  }

  async get(actor: Actor, id: number): Promise<SimulationRun> {
    return toDto(await this.readable(actor, id));
  }

  async list(
    actor: Actor,
    q: { page?: number | undefined; pageSize?: number | undefined; region?: string | undefined },
  ): Promise<{ items: SimulationSummary[]; total: number; page: number; pageSize: number }> {
    const region = q.region ?? actor.region ?? '000000';
    authorize(actor, 'simulation.read', { region });
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { items, total } = await listRuns(this.db, region, page, pageSize);
    return {
      items: items.map((r) => {
        const d = toDto(r);
        const last = d.years[d.years.length - 1];
        return {
          id: d.id,
          name: d.name,
          region: d.region,
          baseline: d.baseline,
          createdAt: d.createdAt,
          createdBy: d.createdBy,
          scenario: d.scenario,
          startYear: d.startYear,
          lastYear: last?.year ?? d.startYear,
          finalBalanceFen: last?.balanceFen ?? d.snapshot.balanceFen,
        };
      }),
      total,
      page,
      pageSize,
    };
  }

  /** The projection as CSV (UTF-8 with BOM, yuan with two decimals by integer arithmetic). */
  async csv(actor: Actor, id: number): Promise<{ filename: string; text: string }> {
    const d = toDto(await this.readable(actor, id));
    const head = [
      '年份 year',
      '缴费人数 contributors',
      '退休人数 pensioners',
      '新增参保 entrants',
      '新退休 new retirees',
      '死亡 deaths',
      '抚养比% dependency ratio %',
      '平均工资(元) average wage',
      '平均养老金(元) average pension',
      '缴费收入(元) contributions',
      '利息(元) interest',
      '总收入(元) income',
      '总支出(元) expenditure',
      '年末结余(元) balance',
    ];
    const lines = d.years.map((y) =>
      [
        csvNumber(y.year, '年份 year'),
        csvNumber(y.contributors, '缴费人数 contributors'),
        csvNumber(y.pensioners, '退休人数 pensioners'),
        csvNumber(y.entrants, '新增参保 entrants'),
        csvNumber(y.newRetirees, '新退休 new retirees'),
        csvNumber(y.deaths, '死亡 deaths'),
        // ppm → percent with 4 decimals, by integer arithmetic
        `${Math.trunc(y.dependencyRatioPpm / 10_000)}.${String(y.dependencyRatioPpm % 10_000).padStart(4, '0')}`,
        formatYuan(y.averageWageFen, false),
        formatYuan(y.averagePensionFen, false),
        formatYuan(y.contributionIncomeFen, false),
        formatYuan(y.interestFen, false),
        formatYuan(y.incomeFen, false),
        formatYuan(y.expenditureFen, false),
        formatYuan(y.balanceFen, false),
      ].join(','),
    );
    // One cell: the name quoted on its own inside the line let a comma in it start a new cell (`x,=1+1`).
    const title = csvText(`# ${d.name} · ${d.region} · ${d.snapshot.asOf} · ${JSON.stringify(d.scenario)}`);
    return {
      filename: `simulation-${d.id}.csv`,
      text: `\uFEFF${[title, head.join(','), ...lines].join('\r\n')}\r\n`,
    };
  }
}

function toDto(r: RunRow): SimulationRun {
  const scenario = r.scenario as Scenario;
  const snapshot = r.snapshot as SimulationRun['snapshot'];
  const result = r.result as Pick<SimulationRun, 'startYear' | 'years' | 'assumptions'>;
  return {
    id: r.id,
    name: r.name,
    region: r.region,
    baseline: isBaseline(scenario),
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    scenario: r.scenario as SimulationRun['scenario'],
    snapshot,
    startYear: result.startYear,
    years: result.years,
    assumptions: result.assumptions,
  };
}
