// Shapes of the supervision scan and findings routes (TypeBox: validation, types, OpenAPI).
import { Type, type Static } from '@sinclair/typebox';
import { IsoDateString, PageQuery, Paged, RegionCode } from '../http/schemas.ts';
import { DETECTORS } from './detector.rules.ts';

export const DetectorName = Type.Union(
  DETECTORS.map((d) => Type.Literal(d)),
  { description: 'a named detector (docs/supervision.md)' },
);

export const ScanBody = Type.Object(
  {
    region: RegionCode,
    detectors: Type.Optional(
      Type.Array(DetectorName, { minItems: 1, maxItems: DETECTORS.length, uniqueItems: true }),
    ),
  },
  { additionalProperties: false },
);
export type ScanBodyInput = Static<typeof ScanBody>;

const Counts = Type.Record(Type.String(), Type.Integer());

export const ScanAnswer = Type.Object({
  runId: Type.Integer(),
  region: Type.String(),
  asOf: Type.String({ description: 'the day the windows are judged by' }),
  findings: Type.Record(Type.String(), Type.Integer(), {
    description: 'findings of each detector in the region after the scan, every status',
  }),
  newFindings: Type.Record(Type.String(), Type.Integer(), {
    description: 'findings this scan added; a re-run adds none',
  }),
  total: Type.Integer(),
  newTotal: Type.Integer(),
  ms: Counts,
  startedAt: Type.String(),
  finishedAt: Type.String(),
});

export const FindingQuery = Type.Object(
  {
    region: Type.Optional(RegionCode),
    detector: Type.Optional(DetectorName),
    status: Type.Optional(
      Type.Union([Type.Literal('open'), Type.Literal('dismissed'), Type.Literal('case')]),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type FindingQueryInput = Static<typeof FindingQuery>;

export const Finding = Type.Object({
  id: Type.Integer(),
  detector: Type.String(),
  detectorZh: Type.String(),
  detectorEn: Type.String(),
  region: Type.String(),
  fingerprint: Type.String(),
  personId: Type.Union([Type.Integer(), Type.Null()]),
  employerId: Type.Union([Type.Integer(), Type.Null()]),
  periodFrom: Type.Union([Type.String(), Type.Null()]),
  periodTo: Type.Union([Type.String(), Type.Null()]),
  amountAtRiskFen: Type.Integer(),
  severity: Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]),
  evidence: Type.Record(Type.String(), Type.Unknown()),
  summaryZh: Type.String(),
  summaryEn: Type.String(),
  /** the names the page tells the summary with (the stored summary names a staff member by username) */
  personName: Type.Union([Type.String(), Type.Null()]),
  employerName: Type.Union([Type.String(), Type.Null()]),
  staffName: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  firstRunId: Type.Union([Type.Integer(), Type.Null()]),
  foundOn: IsoDateString,
  createdAt: Type.String(),
  version: Type.Integer(),
});
export type FindingDto = Static<typeof Finding>;

export const FindingPage = Paged(Finding);
