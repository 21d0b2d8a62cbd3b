// Shared request/response shapes for the OpenAPI document.
import { Type, type TSchema } from '@sinclair/typebox';
import { MAX_AMOUNT_FEN, MAX_WAGE_FEN } from '../core/money-text.ts';
import { STEP_UNITS } from '../core/trace.ts';

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ examples: ['SB_ERR_INVALID_ID_NUMBER'] }),
      message: Type.String(),
      field: Type.Optional(Type.String()),
    }),
  },
  { $id: 'ErrorResponse', description: '错误 / error with a stable code' },
);

export const errorResponses = {
  400: Type.Ref(ErrorResponse),
  401: Type.Ref(ErrorResponse),
  403: Type.Ref(ErrorResponse),
  404: Type.Ref(ErrorResponse),
  409: Type.Ref(ErrorResponse),
} as const;

export const Paged = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });

/** A note in each language; what a person (applicant, clerk) or another province wrote is the same in both. */
export const NoteText = Type.Object(
  { zh: Type.String(), en: Type.String() },
  {
    description:
      '说明（中英文；申请人、经办人员或他省自己写的话两种语言相同）/ the note in each language (what a person or another province wrote is the same in both)',
  },
);

/** The last page a list may be asked for: a page past it is refused at the edge, before an offset is computed. */
export const MAX_PAGE = 1_000_000;
export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
};

/**
 * A row's number as a caller sends it (path, query or body). The id columns are bigint, and a JSON number is
 * exact only up to 2^53 − 1: past that the caller is told which field at the edge, where before the database
 * refused the value without naming it.
 */
export const MAX_ROW_ID = Number.MAX_SAFE_INTEGER;
export const RowId = Type.Integer({ minimum: 1, maximum: MAX_ROW_ID });
/** An integer column (a row's version for optimistic locking, a campaign item's number): at most 2^31 − 1. */
export const MAX_INT4 = 2_147_483_647;
export const RowVersion = Type.Integer({ minimum: 1, maximum: MAX_INT4 });

export const RegionCode = Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 行政区划代码' });
/** A calendar day: the format refuses 2021-02-31 at the edge, before a service's date arithmetic could repeat it. */
export const IsoDateString = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  format: 'date',
  description: 'YYYY-MM-DD',
});
/** A month (a contribution or payment period): 2021-13 is refused at the edge as SB_ERR_INVALID_PERIOD. */
export const PeriodString = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });

/**
 * Money typed by a person, in integer fen: an amount (at most 10 billion yuan) or a monthly wage or base
 * (`wage`: at most 100 million yuan). Without a maximum, JSON's 1e300 is an "integer" to the schema.
 */
export const FenInput = (minimum: 0 | 1, cap: 'amount' | 'wage' = 'amount') =>
  Type.Integer({
    minimum,
    maximum: cap === 'wage' ? MAX_WAGE_FEN : MAX_AMOUNT_FEN,
    description: '分 / integer fen',
  });

/** A machine key's rotation (src/auth/machine-key.ts): what becomes of the key it replaces (`?oldKey=`; a rotation has no body). */
export const KeyRotation = Type.Object(
  {
    oldKey: Type.Optional(
      Type.Union([Type.Literal('stop-now'), Type.Literal('overlap')], {
        description:
          'stop-now (default): the old key stops at once — a key that may be compromised. overlap: the old key stays valid until the device first calls with the new key or the overlap hours run out (params/machine-keys/overlap-hours.yaml).',
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * A trace as every route answers it: each step with its unit (a step stored before steps said theirs
 * is given the old rule's on reading, storedTrace), so a page writes each figure without guessing.
 */
export const TraceStepSchema = Type.Object(
  {
    step: Type.String(),
    stepZh: Type.Optional(Type.String()),
    value: Type.Unknown(),
    unit: Type.String({ description: `${STEP_UNITS.join(', ')} or code:<list>` }),
    parameter: Type.Optional(Type.String()),
    effectiveFrom: Type.Optional(Type.String()),
    reference: Type.Optional(Type.String()),
    referenceZh: Type.Optional(Type.String()),
    uncertain: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: true },
);
export const TraceSchema = Type.Array(TraceStepSchema);
