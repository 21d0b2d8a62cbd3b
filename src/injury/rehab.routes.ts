// /api/v1/injury/cases/{id}/rehab (screening and referrals shown on the case), the clerk's screening,
// referrals and outcomes, and the region's list of cases flagged for rehabilitation.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses, IsoDateString, RowId, RowVersion, TraceSchema } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { RehabService } from './rehab.service.ts';

const IdParams = Type.Object({ id: RowId });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Category = Type.Union(
  [
    'brain',
    'spinal-cord',
    'peripheral-nerve',
    'amputation',
    'fracture',
    'hand',
    'burn',
    'pneumoconiosis',
  ].map((c) => Type.Literal(c)),
);
const Rehab = Type.Object({
  caseId: Type.Integer(),
  caseStatus: Type.String(),
  screening: Nullable(
    Type.Object({
      flagged: Type.Boolean(),
      kinds: Type.Array(Type.String()),
      categories: Type.Array(Type.String()),
      trace: TraceSchema,
      screenedBy: Type.String(),
      screenedAt: Type.String(),
    }),
  ),
  referrals: Type.Array(
    Type.Object({
      id: Type.Integer(),
      caseId: Type.Integer(),
      institutionId: Type.Integer(),
      institutionName: Type.String(),
      kind: Type.String(),
      referredOn: Type.String(),
      plan: Type.String(),
      status: Type.String(),
      outcome: Nullable(Type.String()),
      outcomeOn: Nullable(Type.String()),
      referredBy: Type.String(),
      outcomeBy: Nullable(Type.String()),
      version: Type.Integer(),
    }),
  ),
});

export const rehabRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['injury-rehab'];
  app.get(
    '/api/v1/injury/cases/:id/rehab',
    {
      config: { action: 'rehab.read' },
      schema: {
        tags,
        summary: '工伤康复：筛查结果与转介 / Rehabilitation: screening and referrals of the case',
        params: IdParams,
        response: { 200: Rehab, ...errorResponses },
      },
    },
    async (req) => new RehabService(ctx.db).getRehab(actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/injury/cases/:id/rehab/screen',
    {
      config: { action: 'rehab.manage' },
      schema: {
        tags,
        summary: '康复筛查（可录入伤情类别） / Screen (again), optionally with the injury categories',
        params: IdParams,
        body: Type.Object(
          { categories: Type.Optional(Type.Array(Category, { maxItems: 8 })) },
          { additionalProperties: false },
        ),
        response: { 200: Rehab, ...errorResponses },
      },
    },
    async (req) =>
      new RehabService(ctx.db).screenCase(
        actorOf(req),
        req.params.id,
        req.body.categories as Parameters<RehabService['screenCase']>[2],
      ),
  );
  app.post(
    '/api/v1/injury/cases/:id/rehab/referrals',
    {
      config: { action: 'rehab.manage' },
      schema: {
        tags,
        summary: '转介康复机构 / Refer to a rehabilitation institution',
        params: IdParams,
        body: Type.Object(
          {
            institutionId: RowId,
            kind: Type.Union([Type.Literal('medical'), Type.Literal('vocational'), Type.Literal('social')]),
            referredOn: IsoDateString,
            plan: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Rehab, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await new RehabService(ctx.db).createReferral(actorOf(req), req.params.id, req.body)),
  );
  app.post(
    '/api/v1/injury/rehab/referrals/:id/outcome',
    {
      config: { action: 'rehab.manage' },
      schema: {
        tags,
        summary: '登记康复结果 / Record the outcome of a referral',
        params: IdParams,
        body: Type.Object(
          {
            status: Type.Union([Type.Literal('completed'), Type.Literal('discontinued')]),
            outcome: Type.String({ minLength: 1, maxLength: 1000 }),
            outcomeOn: IsoDateString,
            version: RowVersion,
          },
          { additionalProperties: false },
        ),
        response: { 200: Rehab, ...errorResponses },
      },
    },
    async (req) => new RehabService(ctx.db).recordOutcome(actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/v1/injury/rehab',
    {
      config: { action: 'rehab.manage' },
      schema: {
        tags,
        summary: '纳入康复的案件 / Cases flagged for rehabilitation in the region',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                caseId: Type.Integer(),
                region: Type.String(),
                accidentDate: Type.String(),
                kinds: Type.Array(Type.String()),
                categories: Type.Array(Type.String()),
                referrals: Type.Integer(),
                open: Type.Integer(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({ items: await new RehabService(ctx.db).listFlagged(actorOf(req)) }),
  );
};
