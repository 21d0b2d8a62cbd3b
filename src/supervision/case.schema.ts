// Request and response shapes of triage, cases, recoveries, campaigns and the dashboard (TypeBox).
import { Type } from '@sinclair/typebox';
import { IsoDateString, PeriodString, RegionCode, RowId, TraceSchema } from '../http/schemas.ts';
import { CASE_STATUSES, RECOVERY_FUNDS } from './case-codes.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Fen = Type.Integer({ minimum: 0, maximum: 100_000_000_000 });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Version = Type.Integer({ minimum: 1, maximum: 1_000_000 });

export const IdParam = Type.Object({ id: RowId });

export const DismissBody = Type.Object(
  { version: Version, reason: Text(500) },
  { additionalProperties: false },
);
export const OpenCaseBody = Type.Object(
  { version: Version, note: Type.Optional(Text(2000)) },
  { additionalProperties: false },
);
export const Triaged = Type.Object({
  findingId: Type.Integer(),
  status: Type.Literal('dismissed'),
  version: Type.Integer(),
});
export const Opened = Type.Object({ caseId: Type.Integer(), findingId: Type.Integer() });

const CaseStatus = Type.Union(CASE_STATUSES.map((s) => Type.Literal(s)));
const FundSchema = Type.Union(RECOVERY_FUNDS.map((f) => Type.Literal(f)));

export const CaseListQuery = Type.Object(
  { status: Type.Optional(CaseStatus), region: Type.Optional(RegionCode) },
  { additionalProperties: false },
);
export const CaseListItemSchema = Type.Object({
  id: Type.Integer(),
  findingId: Type.Integer(),
  detector: Type.String(),
  detectorZh: Type.String(),
  detectorEn: Type.String(),
  region: Type.String(),
  status: CaseStatus,
  personName: Nullable(Type.String()),
  employerName: Nullable(Type.String()),
  amountAtRiskFen: Type.Integer(),
  overpaidFen: Nullable(Type.Integer()),
  fineFen: Type.Integer(),
  recoveredFen: Type.Integer(),
  createdAt: Type.String(),
});

const Collection = Type.Object({
  id: Type.Integer(),
  caseId: Type.Integer(),
  kind: Type.Union([Type.Literal('repayment'), Type.Literal('offset')]),
  amountFen: Type.Integer(),
  receivedDate: Nullable(Type.String()),
  bankRef: Nullable(Type.String()),
  period: Nullable(Type.String()),
  status: Type.Union([Type.Literal('recorded'), Type.Literal('scheduled'), Type.Literal('applied')]),
  note: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
});

export const CaseViewSchema = Type.Object({
  id: Type.Integer(),
  region: Type.String(),
  status: CaseStatus,
  version: Type.Integer(),
  personId: Nullable(Type.Integer()),
  personName: Nullable(Type.String()),
  employerId: Nullable(Type.Integer()),
  employerName: Nullable(Type.String()),
  openedBy: Type.String(),
  createdAt: Type.String(),
  finding: Type.Object({
    id: Type.Integer(),
    detector: Type.String(),
    detectorZh: Type.String(),
    detectorEn: Type.String(),
    summaryZh: Type.String(),
    summaryEn: Type.String(),
    amountAtRiskFen: Type.Integer(),
    periodFrom: Nullable(Type.String()),
    periodTo: Nullable(Type.String()),
    foundOn: Type.String(),
    evidence: Type.Unknown(),
    /** the display name of the staff member a finding is about (staff_own_records), for its summary */
    staffName: Nullable(Type.String()),
  }),
  notes: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.Union([Type.Literal('note'), Type.Literal('evidence')]),
      text: Type.String(),
      ref: Nullable(Type.String()),
      createdBy: Type.String(),
      /** the author's display name, shown to staff (null when the account is gone) */
      createdByName: Nullable(Type.String()),
      createdAt: Type.String(),
    }),
  ),
  decision: Nullable(
    Type.Object({
      fraud: Type.Boolean(),
      fund: Nullable(FundSchema),
      overpaidFen: Type.Integer(),
      fineMultiplierPct: Nullable(Type.Integer()),
      fineFen: Type.Integer(),
      planKind: Nullable(Type.String()),
      reasoning: Type.String(),
      decidedBy: Nullable(Type.String()),
      decidedByName: Nullable(Type.String()),
      decidedAt: Nullable(Type.String()),
      trace: TraceSchema,
    }),
  ),
  pendingApprovalId: Nullable(Type.Integer()),
  recovery: Nullable(
    Type.Object({
      recoveryCaseId: Type.Integer(),
      amountFen: Type.Integer(),
      recoveredFen: Type.Integer(),
      status: Type.String(),
      awardId: Nullable(Type.Integer()),
    }),
  ),
  plan: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      dueDate: Nullable(Type.String()),
      period: Nullable(Type.String()),
      amountFen: Type.Integer(),
      status: Type.Union([Type.Literal('paid'), Type.Literal('overdue'), Type.Literal('open')]),
    }),
  ),
  collections: Type.Array(Collection),
  otherRecoveries: Type.Array(
    Type.Object({
      ref: Type.String(),
      source: Type.String(),
      amountFen: Type.Integer(),
      recoveredFen: Type.Integer(),
      status: Type.String(),
    }),
  ),
  awards: Type.Array(
    Type.Object({
      id: Type.Integer(),
      scheme: Type.String(),
      status: Type.String(),
      monthlyFen: Type.Integer(),
    }),
  ),
});

export const NoteBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('note'), Type.Literal('evidence')]),
    text: Text(2000),
    ref: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);

const Plan = Type.Union([
  Type.Object({ kind: Type.Literal('lump'), dueDate: IsoDateString }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('instalments'),
      count: Type.Integer({ minimum: 2, maximum: 60 }),
      firstDueDate: IsoDateString,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('offset'),
      monthlyFen: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
      firstPeriod: PeriodString,
    },
    { additionalProperties: false },
  ),
]);

export const DecisionBody = Type.Object(
  {
    version: Version,
    fraud: Type.Boolean(),
    overpaidFen: Fen,
    fineMultiplierPct: Nullable(Type.Integer({ minimum: 100, maximum: 1000 })),
    fund: Nullable(FundSchema),
    plan: Nullable(Plan),
    reasoning: Text(2000),
  },
  { additionalProperties: false },
);

const Source = Type.Union([
  Type.Literal('pension'),
  Type.Literal('unemployment'),
  Type.Literal('supervision'),
  Type.Literal('injury'),
]);
const RecStatus = Type.Union([Type.Literal('open'), Type.Literal('recovered'), Type.Literal('written_off')]);

export const RecoveryQuerySchema = Type.Object(
  {
    region: Type.Optional(RegionCode),
    status: Type.Optional(RecStatus),
    source: Type.Optional(Source),
    minOwedFen: Type.Optional(Fen),
    sort: Type.Optional(
      Type.Union([Type.Literal('owed'), Type.Literal('recovered'), Type.Literal('newest')]),
    ),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

export const RecoveryListSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      ref: Type.String(),
      source: Source,
      sourceId: Type.Integer(),
      supervisionCaseId: Nullable(Type.Integer()),
      region: Type.String(),
      personId: Nullable(Type.Integer()),
      personName: Nullable(Type.String()),
      employerId: Nullable(Type.Integer()),
      employerName: Nullable(Type.String()),
      reason: Type.String(),
      detectorZh: Nullable(Type.String()),
      detectorEn: Nullable(Type.String()),
      amountFen: Type.Integer(),
      recoveredFen: Type.Integer(),
      outstandingFen: Type.Integer(),
      fineFen: Type.Integer(),
      status: RecStatus,
      createdAt: Type.String(),
    }),
  ),
  total: Type.Integer(),
  totals: Type.Object({
    amountFen: Type.Integer(),
    recoveredFen: Type.Integer(),
    outstandingFen: Type.Integer(),
    fineFen: Type.Integer(),
  }),
  bySource: Type.Array(
    Type.Object({
      source: Source,
      count: Type.Integer(),
      amountFen: Type.Integer(),
      recoveredFen: Type.Integer(),
    }),
  ),
});

const Detector = Type.String({ pattern: '^[a-z0-9_.-]{1,64}$' });
const Filter = Type.Union([
  Type.Literal('all'),
  Type.Literal('pensioners'),
  Type.Literal('unemployment_recipients'),
]);
const Population = Type.Union([Type.Literal('person'), Type.Literal('employer')]);

export const CampaignBody = Type.Object(
  {
    name: Text(100),
    region: Type.Optional(RegionCode),
    population: Population,
    detectors: Type.Optional(Type.Array(Detector, { maxItems: 30 })),
    filter: Type.Optional(Filter),
    sampleSize: Type.Integer({ minimum: 1, maximum: 1000 }),
    seed: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }),
  },
  { additionalProperties: false },
);
export const CampaignListQuery = Type.Object(
  { region: Type.Optional(RegionCode) },
  { additionalProperties: false },
);

export const CampaignSummarySchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  region: Type.String(),
  population: Population,
  scope: Type.Object({ detectors: Type.Array(Type.String()), filter: Filter }),
  sampleSize: Type.Integer(),
  seed: Type.String(),
  candidates: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  progress: Type.Object({ todo: Type.Integer(), clear: Type.Integer(), flagged: Type.Integer() }),
});
const ItemStatus = Type.Union([Type.Literal('todo'), Type.Literal('clear'), Type.Literal('flagged')]);
export const CampaignDetailSchema = Type.Intersect([
  CampaignSummarySchema,
  Type.Object({
    items: Type.Array(
      Type.Object({
        seq: Type.Integer(),
        personId: Nullable(Type.Integer()),
        employerId: Nullable(Type.Integer()),
        name: Nullable(Type.String()),
        idNumber: Nullable(Type.String()),
        status: ItemStatus,
        note: Nullable(Type.String()),
        checkedBy: Nullable(Type.String()),
        checkedByName: Nullable(Type.String()),
        checkedAt: Nullable(Type.String()),
        version: Type.Integer(),
        openFindings: Type.Integer(),
      }),
    ),
  }),
]);
export const ItemParams = Type.Object({
  id: RowId,
  seq: Type.Integer({ minimum: 1, maximum: 1000 }),
});
export const ItemBody = Type.Object(
  {
    status: Type.Union([Type.Literal('clear'), Type.Literal('flagged')]),
    note: Type.Optional(Text(500)),
    version: Version,
  },
  { additionalProperties: false },
);
export const ItemChecked = Type.Object({
  seq: Type.Integer(),
  status: Type.String(),
  version: Type.Integer(),
});

export const DashboardQuery = Type.Object(
  { region: Type.Optional(RegionCode), months: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })) },
  { additionalProperties: false },
);
export const DashboardSchema = Type.Object({
  region: Type.String(),
  fromPeriod: Type.String(),
  toPeriod: Type.String(),
  detectorTitles: Type.Record(Type.String(), Type.Object({ zh: Type.String(), en: Type.String() })),
  byDetector: Type.Array(
    Type.Object({
      detector: Type.String(),
      open: Type.Integer(),
      dismissed: Type.Integer(),
      cases: Type.Integer(),
      amountAtRiskFen: Type.Integer(),
    }),
  ),
  byRegion: Type.Array(
    Type.Object({
      region: Type.String(),
      nameZh: Type.String(),
      nameEn: Type.String(),
      findings: Type.Integer(),
      amountAtRiskFen: Type.Integer(),
    }),
  ),
  byMonth: Type.Array(
    Type.Object({
      period: Type.String(),
      detector: Type.String(),
      findings: Type.Integer(),
      amountAtRiskFen: Type.Integer(),
    }),
  ),
  recoveredByMonth: Type.Array(Type.Object({ period: Type.String(), recoveredFen: Type.Integer() })),
  totals: Type.Object({
    findings: Type.Integer(),
    openFindings: Type.Integer(),
    amountAtRiskFen: Type.Integer(),
    cases: Type.Integer(),
    decidedFen: Type.Integer(),
    fineFen: Type.Integer(),
    recoveredFen: Type.Integer(),
  }),
});
