// Collecting a recovery case (recovery-collection.service.ts):
//   POST /api/v1/pension/recovery-cases/{id}/collections   a clerk prepares a repayment or an offset
//   GET  /api/v1/pension/recovery-cases/{id}/collections   what was collected or scheduled
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { ApprovalSchema } from '../approval/approval.schema.ts';
import { errorResponses, FenInput, IsoDateString, PeriodString, RowId } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { RecoveryCollectionService } from './recovery-collection.service.ts';

const Id = Type.Object({ id: RowId });
const Note = Type.Optional(Type.String({ minLength: 1, maxLength: 200 }));

const Collection = Type.Object({
  id: Type.Integer(),
  caseId: Type.Integer(),
  kind: Type.Union([Type.Literal('repayment'), Type.Literal('offset')]),
  amountFen: Type.Integer(),
  receivedDate: Type.Union([Type.String(), Type.Null()]),
  bankRef: Type.Union([Type.String(), Type.Null()]),
  period: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('recorded'), Type.Literal('scheduled'), Type.Literal('applied')]),
  note: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Type.String(),
});

export const recoveryCollectionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  app.post(
    '/api/v1/pension/recovery-cases/:id/collections',
    {
      config: { action: 'pension.manage' },
      schema: {
        tags: ['pension'],
        summary:
          '经办：登记追回退款或安排从今后养老金中抵扣（复核员放行）/ Prepare a repayment or an offset against future pension (a reviewer releases it)',
        description:
          'repayment: the amount the person paid back, the date it arrived and the bank reference; booked when released. offset: an amount (at most that month’s pension) kept back from a month not yet paid; the payroll of that month applies it.',
        params: Id,
        body: Type.Union([
          Type.Object(
            {
              kind: Type.Literal('repayment'),
              amountFen: FenInput(1),
              receivedDate: IsoDateString,
              bankRef: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
              note: Note,
            },
            { additionalProperties: false },
          ),
          Type.Object(
            {
              kind: Type.Literal('offset'),
              amountFen: FenInput(1),
              period: PeriodString,
              note: Note,
            },
            { additionalProperties: false },
          ),
        ]),
        response: { 200: ApprovalSchema, ...errorResponses },
      },
    },
    async (req) => new RecoveryCollectionService(ctx).prepare(actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/v1/pension/recovery-cases/:id/collections',
    {
      config: { action: 'pension.manage' },
      schema: {
        tags: ['pension'],
        summary: '追回记录 / A recovery case’s repayments and offsets',
        params: Id,
        response: { 200: Type.Array(Collection), ...errorResponses },
      },
    },
    async (req) => new RecoveryCollectionService(ctx).list(actorOf(req), req.params.id),
  );
};
