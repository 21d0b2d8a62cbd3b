// Shapes of the national exchange's answers (src/federation/national*.ts, central*.ts).
import { Type } from '@sinclair/typebox';
import { TraceSchema } from '../http/schemas.ts';

export const ArticleFormSchema = Type.Object({
  incomeFen: Type.Integer(),
  expenditureFen: Type.Integer(),
  balanceFen: Type.Integer(),
  funds: Type.Array(Type.String()),
  zh: Type.String(),
  en: Type.String(),
});

/** The national report in the article's form: one sentence for the nation and one per province. */
export const NationalArticleSchema = Type.Object({
  total: ArticleFormSchema,
  provinces: Type.Record(Type.String(), ArticleFormSchema),
});

const NullableInt = Type.Union([Type.Integer(), Type.Null()]);

export const CentralRunSchema = Type.Object({
  year: Type.Integer(),
  requestedBy: Type.String(),
  requestedAt: Type.String(),
  status: Type.Union([
    Type.Literal('requested'),
    Type.Literal('computed'),
    Type.Literal('posted'),
    Type.Literal('failed'),
  ]),
  error: Type.Union([Type.String(), Type.Null()]),
  answered: Type.Array(Type.String()),
  waitingFor: Type.Array(Type.String()),
  ratePercent: Type.Union([Type.Number(), Type.Null()]),
  raisedFen: NullableInt,
  retirees: NullableInt,
  perCapitaAllocationFen: NullableInt,
  allocatedFen: NullableInt,
  residualFen: NullableInt,
  provinces: Type.Array(
    Type.Object({
      province: Type.String(),
      annualAverageWageFen: NullableInt,
      insuredCount: Type.Integer(),
      retireeCount: Type.Integer(),
      contributionFen: NullableInt,
      allocationFen: NullableInt,
      netFen: NullableInt,
      postedAt: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  trace: TraceSchema,
});
