// Request and answer shapes of the hospital-facing API, the filings and the settlement runs.
import { Type } from '@sinclair/typebox';
import { IsoDateString, MAX_ROW_ID, RegionCode, RowId } from '../http/schemas.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const BillItemIn = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Z][0-9A-Z]{3,19}$', description: '目录编码 catalogue code' }),
    serviceDate: IsoDateString,
    quantity: Type.Integer({ minimum: 1, maximum: 100000 }),
    unitPriceFen: Type.Integer({
      minimum: 0,
      maximum: 100_000_000,
      description: '单价（分）unit price, fen',
    }),
  },
  { additionalProperties: false },
);

export const BillIn = Type.Object(
  {
    billNo: Type.String({
      pattern: '^[A-Za-z0-9_-]{1,40}$',
      description: '医院账单号（幂等键）the hospital’s bill number, the idempotency key',
    }),
    caseId: Type.Integer({
      minimum: 1,
      maximum: MAX_ROW_ID,
      description: '工伤案件编号 the work-injury case number',
    }),
    idNumber: Type.String({
      pattern: '^[0-9]{17}[0-9Xx]$',
      description: '患者公民身份号码 the patient’s ID number',
    }),
    admissionDate: IsoDateString,
    dischargeDate: Type.Optional(Nullable(IsoDateString)),
    items: Type.Array(BillItemIn, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);

const BillStatus = Type.Union([
  Type.Literal('accepted'),
  Type.Literal('partly_accepted'),
  Type.Literal('refused'),
]);

export const BillItemOut = Type.Object({
  lineNo: Type.Integer(),
  code: Type.String(),
  nameZh: Nullable(Type.String()),
  serviceDate: Type.String(),
  quantity: Type.Integer(),
  unitPriceFen: Type.Integer(),
  claimedFen: Type.Integer(),
  acceptedFen: Type.Integer(),
  reason: Nullable(Type.String({ description: 'stable reason code, e.g. not-in-catalogue, price-capped' })),
  reasonZh: Nullable(Type.String()),
  reasonEn: Nullable(Type.String()),
});

export const BillOut = Type.Object({
  id: Type.Integer(),
  hospitalId: Type.Integer(),
  hospitalName: Type.String(),
  billNo: Type.String(),
  caseId: Type.Integer(),
  region: Type.String(),
  admissionDate: Type.String(),
  dischargeDate: Nullable(Type.String()),
  status: BillStatus,
  reason: Nullable(
    Type.String({ description: 'whole-bill reason code: case-not-recognised, cross-province-not-filed, …' }),
  ),
  reasonZh: Nullable(Type.String()),
  reasonEn: Nullable(Type.String()),
  claimedFen: Type.Integer(),
  acceptedFen: Type.Integer(),
  submittedOn: Type.String(),
  submittedBy: Type.String(),
  settlementRunId: Nullable(Type.Integer()),
  settlementPeriod: Nullable(Type.String()),
  items: Type.Array(BillItemOut),
});

export const SubmitAnswer = Type.Object({ bill: BillOut, replayed: Type.Boolean() });

export const BillRow = Type.Object({
  id: Type.Integer(),
  hospitalId: Type.Integer(),
  personId: Type.Integer(),
  hospitalName: Type.String(),
  billNo: Type.String(),
  caseId: Type.Integer(),
  region: Type.String(),
  status: Type.String(),
  claimedFen: Type.Integer(),
  acceptedFen: Type.Integer(),
  submittedOn: Type.String(),
  settlementPeriod: Nullable(Type.String()),
});

export const BillList = Type.Object({ items: Type.Array(BillRow), total: Type.Integer() });

export const BillQuery = Type.Object({
  status: Type.Optional(BillStatus),
  unsettled: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});

export const Hospital = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  region: Type.String(),
  kind: Type.Union([Type.Literal('hospital'), Type.Literal('rehab')]),
  active: Type.Boolean(),
});

export const ApiKey = Type.Object({
  id: Type.Integer(),
  hospitalId: Type.Integer(),
  prefix: Type.String(),
  label: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
  validUntil: Nullable(
    Type.String({
      description: 'a replaced key kept by its rotation: valid until then, or the new key’s first use',
    }),
  ),
});

export const NewKey = Type.Object({
  id: Type.Integer(),
  prefix: Type.String(),
  key: Type.String({ description: 'shown once: only its SHA-256 is stored' }),
  replaced: Type.Optional(Type.Integer()),
  oldKeyValidUntil: Type.Optional(
    Nullable(Type.String({ description: 'until when the replaced key stays valid (null: stopped now)' })),
  ),
});

export const CatalogueOut = Type.Object({
  version: Type.String(),
  reference: Type.String(),
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      nameZh: Type.String(),
      nameEn: Type.String(),
      category: Type.String(),
      unit: Type.String(),
      maxUnitPriceFen: Type.Integer(),
      covered: Type.Boolean(),
      reasonZh: Nullable(Type.String()),
      reasonEn: Nullable(Type.String()),
      from: Type.String(),
      to: Nullable(Type.String()),
    }),
  ),
});

export const FilingIn = Type.Object(
  {
    hospitalId: RowId,
    validFrom: IsoDateString,
    validTo: Type.Optional(Nullable(IsoDateString)),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

export const Filing = Type.Object({
  id: Type.Integer(),
  caseId: Type.Integer(),
  hospitalId: Type.Integer(),
  hospitalName: Type.String(),
  hospitalRegion: RegionCode,
  crossProvince: Type.Boolean(),
  validFrom: Type.String(),
  validTo: Nullable(Type.String()),
  reason: Type.String(),
  filedBy: Type.String(),
});

export const SettlementRun = Type.Object({
  runId: Type.Integer(),
  period: Type.String(),
  cutoff: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('done')]),
  chunksDone: Type.Integer(),
  chunksTotal: Type.Integer(),
  bills: Type.Integer(),
  hospitals: Type.Integer(),
  totalFen: Type.Integer(),
  startedBy: Type.String(),
  startedByName: Nullable(Type.String()),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});

export const SettlementLine = Type.Object({
  runId: Type.Integer(),
  period: Type.String(),
  hospitalId: Type.Integer(),
  hospitalName: Type.String(),
  region: Type.String(),
  bills: Type.Integer(),
  amountFen: Type.Integer(),
  journalEntryId: Type.Integer(),
});
