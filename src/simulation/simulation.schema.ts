// Request and response shapes of the policy simulator (POST/GET /api/v1/simulations).
import { Type, type Static } from '@sinclair/typebox';
import { Paged, PageQuery, RegionCode } from '../http/schemas.ts';

// The schema only keeps out what is not a number at all; the exact bounds are checked by the
// service, which names the field and the allowed range in Chinese and English.
const Ppm = Type.Integer({ minimum: -100_000_000, maximum: 100_000_000 });

const ScheduleChange = Type.Object(
  {
    maxDelayMonths: Type.Integer({
      minimum: -1000,
      maximum: 1000,
      description: '最多延迟月数 / months of delay at the end (0–120)',
    }),
    stepMonths: Type.Integer({
      minimum: -1000,
      maximum: 1000,
      description: '每多少个出生月延迟1个月 / one month of delay per this many birth months (1–12)',
    }),
  },
  { additionalProperties: false },
);

export const ScenarioBody = Type.Object(
  {
    years: Type.Integer({ minimum: -1000, maximum: 1000, description: '预测年数 / years to project (1–50)' }),
    name: Type.Optional(Type.String({ maxLength: 200, description: '方案名称 / name of the scenario' })),
    region: Type.Optional(RegionCode),
    adjustmentRatePpm: Type.Optional({
      ...Ppm,
      description:
        '养老金年调整比例（百万分之一）/ yearly pension adjustment, ppm of each pension (0–100000)',
    }),
    employerRatePpm: Type.Optional({
      ...Ppm,
      description: '单位缴费比例（百万分之一）/ employer pension rate, ppm (0–300000)',
    }),
    baseFloorPpm: Type.Optional({
      ...Ppm,
      description: '缴费基数下限占平均工资（百万分之一）/ base floor, ppm of the average wage (0–1000000)',
    }),
    retirementAge: Type.Optional(
      Type.Object(
        {
          male: Type.Optional(ScheduleChange),
          'female-55': Type.Optional(ScheduleChange),
          'female-50': Type.Optional(ScheduleChange),
        },
        { additionalProperties: false },
      ),
    ),
    assumptions: Type.Optional(
      Type.Object(
        {
          wageGrowthPpm: Type.Optional({
            ...Ppm,
            description: '工资增长率 / wage growth, ppm (−50000–200000)',
          }),
          fundInterestPpm: Type.Optional({ ...Ppm, description: '基金收益率 / fund return, ppm (0–100000)' }),
          entrantsPpm: Type.Optional({
            ...Ppm,
            description: '新增参保率 / entrants, ppm of contributors (0–200000)',
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ScenarioBody = Static<typeof ScenarioBody>;

const Year = Type.Object({
  year: Type.Integer(),
  contributors: Type.Integer(),
  pensioners: Type.Integer(),
  entrants: Type.Integer(),
  newRetirees: Type.Integer(),
  deaths: Type.Integer(),
  dependencyRatioPpm: Type.Integer({
    description: '抚养比：退休人数 ÷ 缴费人数（百万分之一）/ pensioners per contributor, ppm',
  }),
  averageWageFen: Type.Integer(),
  averagePensionFen: Type.Integer(),
  contributionIncomeFen: Type.Integer(),
  interestFen: Type.Integer(),
  incomeFen: Type.Integer(),
  expenditureFen: Type.Integer(),
  balanceFen: Type.Integer(),
});

const Assumption = Type.Object({
  parameter: Type.String(),
  effectiveFrom: Type.String(),
  reference: Type.Object({ zh: Type.String(), en: Type.String() }),
  uncertain: Type.Boolean(),
  value: Type.String(),
});

const SnapshotSummary = Type.Object({
  asOf: Type.String(),
  contributors: Type.Integer(),
  pensioners: Type.Integer(),
  balanceFen: Type.Integer(),
  contributorGroups: Type.Integer(),
  pensionerGroups: Type.Integer(),
});

const ScenarioEcho = Type.Object({
  years: Type.Integer(),
  adjustmentRatePpm: Type.Optional(Type.Integer()),
  employerRatePpm: Type.Optional(Type.Integer()),
  baseFloorPpm: Type.Optional(Type.Integer()),
  retirementAge: Type.Optional(
    Type.Record(Type.String(), Type.Object({ maxDelayMonths: Type.Integer(), stepMonths: Type.Integer() })),
  ),
  assumptions: Type.Optional(
    Type.Object({
      wageGrowthPpm: Type.Optional(Type.Integer()),
      fundInterestPpm: Type.Optional(Type.Integer()),
      entrantsPpm: Type.Optional(Type.Integer()),
    }),
  ),
});

export const SimulationRun = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  region: Type.String(),
  baseline: Type.Boolean({ description: '基线（未改变任何政策）/ the baseline: no policy changed' }),
  createdAt: Type.String(),
  createdBy: Type.String(),
  scenario: ScenarioEcho,
  snapshot: SnapshotSummary,
  startYear: Type.Integer(),
  years: Type.Array(Year),
  assumptions: Type.Array(Assumption),
});
export type SimulationRun = Static<typeof SimulationRun>;

export const SimulationSummary = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  region: Type.String(),
  baseline: Type.Boolean(),
  createdAt: Type.String(),
  createdBy: Type.String(),
  scenario: ScenarioEcho,
  startYear: Type.Integer(),
  lastYear: Type.Integer(),
  finalBalanceFen: Type.Integer(),
});
export type SimulationSummary = Static<typeof SimulationSummary>;

export const SimulationList = Paged(SimulationSummary);
export const SimulationListQuery = Type.Object(
  { ...PageQuery, region: Type.Optional(RegionCode) },
  { additionalProperties: false },
);
export const SimulationId = Type.Object(
  { id: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }) },
  { additionalProperties: false },
);
