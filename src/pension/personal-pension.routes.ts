// /api/v1/persons/{id}/personal-pension: open, read, pay in, withdraw (个人养老金).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses, FenInput, IsoDateString, RowId, TraceSchema } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { PersonalPensionService } from './personal-pension.service.ts';

const IdParams = Type.Object({ id: RowId });
const Fen = FenInput(1);
const Key = Type.String({
  pattern: '^[A-Za-z0-9._:-]{8,100}$',
  description: '幂等键 / idempotency key (same key → same result, paid once)',
});

const Summary = Type.Object({
  account: Type.Object({
    id: Type.Integer(),
    personId: Type.Integer(),
    region: Type.String(),
    openedOn: Type.String(),
    bankName: Type.Union([Type.String(), Type.Null()]),
    status: Type.String(),
  }),
  balanceFen: Type.Integer(),
  contributedFen: Type.Integer(),
  withdrawnFen: Type.Integer(),
  taxPaidFen: Type.Integer(),
  years: Type.Array(
    Type.Object({
      year: Type.Integer(),
      capFen: Type.Integer(),
      contributedFen: Type.Integer(),
      remainingFen: Type.Integer(),
    }),
  ),
  contributions: Type.Array(
    Type.Object({
      id: Type.Integer(),
      year: Type.Integer(),
      paidOn: Type.String(),
      amountFen: Type.Integer(),
    }),
  ),
  withdrawals: Type.Array(
    Type.Object({
      id: Type.Integer(),
      reason: Type.String(),
      withdrawnOn: Type.String(),
      grossFen: Type.Integer(),
      taxFen: Type.Integer(),
      netFen: Type.Integer(),
      taxRatePercent: Type.Number(),
    }),
  ),
});

const ContributionAnswer = Type.Object({
  id: Type.Integer(),
  year: Type.Integer(),
  paidOn: Type.String(),
  amountFen: Type.Integer(),
  yearContributedFen: Type.Integer(),
  yearCapFen: Type.Integer(),
  replayed: Type.Boolean(),
  trace: TraceSchema,
});

const WithdrawalAnswer = Type.Object({
  id: Type.Integer(),
  reason: Type.String(),
  withdrawnOn: Type.String(),
  grossFen: Type.Integer(),
  taxRatePercent: Type.Number(),
  taxFen: Type.Integer(),
  netFen: Type.Integer(),
  balanceAfterFen: Type.Integer(),
  replayed: Type.Boolean(),
  trace: TraceSchema,
});

export const personalPensionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const service = new PersonalPensionService(ctx.db, ctx.params);
  const tags = ['personal-pension'];

  app.get(
    '/api/v1/persons/:id/personal-pension',
    {
      config: { action: 'personal-pension.read' },
      schema: {
        tags,
        summary: '个人养老金账户 / Personal pension account and balance',
        description:
          'No account yet: 404 SB_ERR_NOT_FOUND, or 200 null with ?ifOpened=true (for pages where no account is a normal state).',
        params: IdParams,
        querystring: Type.Object({ ifOpened: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Union([Summary, Type.Null()]), ...errorResponses },
      },
    },
    async (req) =>
      req.query.ifOpened === true
        ? service.summaryIfOpened(actorOf(req), req.params.id)
        : service.summary(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/persons/:id/personal-pension',
    {
      config: { action: 'personal-pension.open' },
      schema: {
        tags,
        summary: '开立个人养老金账户 / Open a personal pension account',
        description:
          'Eligible: covered by the employees\u2019 or residents\u2019 basic pension. Not eligible → 422 SB_ERR_NOT_ELIGIBLE; already open → 409 SB_ERR_DUPLICATE.',
        params: IdParams,
        body: Type.Object(
          { bankName: Type.Optional(Type.String({ maxLength: 100 })) },
          { additionalProperties: false },
        ),
        response: { 201: Summary, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await service.open(actorOf(req), req.params.id, { bankName: req.body.bankName })),
  );

  app.post(
    '/api/v1/persons/:id/personal-pension/contributions',
    {
      config: { action: 'personal-pension.contribute' },
      schema: {
        tags,
        summary: '个人养老金缴费 / Pay into the personal pension',
        description:
          'At most the yearly cap (12,000 yuan) per calendar year, in one sum or instalments: an excess → 422 SB_ERR_CAP_EXCEEDED and nothing is written.',
        params: IdParams,
        body: Type.Object(
          {
            amountFen: Fen,
            paidOn: Type.Optional({
              ...IsoDateString,
              description:
                'staff: the day a payment was received, not before the account was opened; a citizen’s payment is of today (another day 400)',
            }),
            idempotencyKey: Key,
          },
          { additionalProperties: false },
        ),
        response: { 201: ContributionAnswer, 200: ContributionAnswer, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await service.contribute(actorOf(req), req.params.id, req.body);
      return reply.status(r.replayed ? 200 : 201).send(r);
    },
  );

  app.post(
    '/api/v1/persons/:id/personal-pension/withdrawals',
    {
      config: { action: 'personal-pension.withdraw' },
      schema: {
        tags,
        summary: '个人养老金领取 / Withdraw (taxed separately at 3%)',
        description:
          'Only for a lawful reason (retirement; at the agency: disability, emigration, …). The tax is withdrawal × 3%, half up to the fen.',
        params: IdParams,
        body: Type.Object(
          {
            amountFen: Fen,
            reason: Type.String({ maxLength: 40 }),
            evidence: Type.Optional(Type.String({ maxLength: 500 })),
            idempotencyKey: Key,
          },
          { additionalProperties: false },
        ),
        response: { 201: WithdrawalAnswer, 200: WithdrawalAnswer, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await service.withdraw(actorOf(req), req.params.id, req.body);
      return reply.status(r.replayed ? 200 : 201).send(r);
    },
  );
};
