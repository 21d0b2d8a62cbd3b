// GET /api/v1/approvals (待复核), GET /api/v1/approvals/{id}, POST …/{id}/release, POST …/{id}/return.
// Preparing happens on each capability's own route (payroll, adjustment, …); deciding happens here.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { APPROVAL_JOB_PREFIX, enqueueJob } from '../http/background-jobs.ts';
import { errorResponses, PageQuery, Paged } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { ApprovalSchema } from './approval.schema.ts';
import { ApprovalService, type ApprovalKinds } from './approval.service.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });

export const approvalRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext; kinds: ApprovalKinds }> = async (
  app,
  { ctx, kinds },
) => {
  app.get(
    '/api/v1/approvals',
    {
      config: { action: 'approval.read' },
      schema: {
        tags: ['approval'],
        summary: '待复核业务 / Prepared money actions of the region',
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(
            Type.Union([Type.Literal('prepared'), Type.Literal('released'), Type.Literal('returned')]),
          ),
          kind: Type.Optional(Type.String({ pattern: '^[a-z.-]{1,40}$' })),
        }),
        response: { 200: Paged(ApprovalSchema), ...errorResponses },
      },
    },
    async (req) =>
      new ApprovalService(ctx.db).list(actorOf(req), {
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
        ...(req.query.status === undefined ? {} : { status: req.query.status }),
        ...(req.query.kind === undefined ? {} : { kind: req.query.kind }),
      }),
  );

  app.get(
    '/api/v1/approvals/:id',
    {
      config: { action: 'approval.read' },
      schema: {
        tags: ['approval'],
        summary: '一项待复核业务 / One prepared action',
        params: Id,
        response: { 200: ApprovalSchema, ...errorResponses },
      },
    },
    async (req) => new ApprovalService(ctx.db).get(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/approvals/:id/release',
    {
      config: { action: 'approval.read' },
      schema: {
        tags: ['approval'],
        summary:
          '复核放行（另一人：非经办人、非其同一人的其他账号、非当事人）/ Release: a second person checks and the action runs',
        params: Id,
        body: Type.Object(
          { note: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false },
        ),
        description:
          'A payroll or the annual adjustment is decided here and computed by the background worker: 202 with the job (GET /api/v1/jobs/{id} shows its progress; the approval keeps the result when it is done). Releasing such an action again after its job failed (the same checker) resumes it. Other actions run at once: 200 with the approval and its result.',
        response: {
          200: ApprovalSchema,
          202: Type.Object({
            jobId: Type.Integer(),
            status: Type.String(),
            queued: Type.Boolean(),
            approval: ApprovalSchema,
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { job, ...approval } = await new ApprovalService(ctx.db).release(
        kinds,
        actor,
        req.params.id,
        req.body.note,
        async (approvalId, k, region) => {
          const queued = await enqueueJob(ctx.db, actor, {
            kind: APPROVAL_JOB_PREFIX + k.kind,
            key: String(approvalId),
            params: { approvalId },
            region,
          });
          app.kickJobs();
          return queued;
        },
      );
      return job ? reply.status(202).send({ ...job, approval }) : approval;
    },
  );

  app.post(
    '/api/v1/approvals/:id/return',
    {
      config: { action: 'approval.read' },
      schema: {
        tags: ['approval'],
        summary: '复核退回（须说明理由）/ Return to the maker with a reason; nothing runs',
        params: Id,
        body: Type.Object(
          { reason: Type.String({ minLength: 2, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: ApprovalSchema, ...errorResponses },
      },
    },
    async (req) => new ApprovalService(ctx.db).return(kinds, actorOf(req), req.params.id, req.body.reason),
  );
};
