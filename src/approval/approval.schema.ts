// The shape of a prepared money action (maker–checker) in every answer that prepares or decides one.
import { Type } from '@sinclair/typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ApprovalSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String({
    description:
      'payroll.run, adjustment.run, survivor.decide, pension.restore, bill.cancel, payment.reverse, user.role',
  }),
  region: Type.String(),
  subjectPersonId: Nullable(Type.Integer()),
  payload: Type.Record(Type.String(), Type.Unknown()),
  summary: Type.Record(Type.String(), Type.Unknown(), {
    description: '经办时的汇总（人数、金额）/ what the maker saw: counts and amounts',
  }),
  status: Type.Union([Type.Literal('prepared'), Type.Literal('released'), Type.Literal('returned')]),
  makerUsername: Type.String(),
  makerName: Nullable(
    Type.String({ description: '经办人姓名 / the maker’s name (null: no staff account, e.g. a batch job)' }),
  ),
  preparedAt: Type.String(),
  checkerUsername: Nullable(Type.String()),
  checkerName: Nullable(Type.String({ description: '复核人姓名 / the checker’s name' })),
  decidedAt: Nullable(Type.String()),
  note: Nullable(Type.String()),
  result: Type.Unknown(),
});
