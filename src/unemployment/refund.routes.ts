// Stable-employment refunds (稳岗返还，免申即享) over HTTP: the employer's own refunds (and why, or why
// not), the agency's batch of a year (scan figures, results, payment status) and the clerk's
// preparation of the payment, which a reviewer releases through /api/v1/approvals/{id}/release.
// The scan itself is the operator's yearly job: `shebao unemployment refunds --year YYYY`.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { ApprovalSchema } from '../approval/approval.schema.ts';
import { enqueueJob, JobQueuedSchema } from '../http/background-jobs.ts';
import {
  ErrorResponse,
  errorResponses,
  Paged,
  PageQuery,
  RegionCode,
  RowId,
  TraceSchema,
} from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { authorizeRefundScan, checkRefundYear } from './refund.job.ts';
import { RefundService } from './refund.service.ts';

const Year = Type.Integer({
  minimum: 2000,
  maximum: 2100,
  description: '返还年度 / policy year (facts of the year before)',
});
const Num = Type.Union([Type.Number(), Type.Null()]);

export const RefundSchema = Type.Object({
  id: Type.Integer(),
  year: Type.Integer(),
  dataYear: Type.Integer(),
  employerId: Type.Integer(),
  employerName: Type.String(),
  region: Type.String(),
  size: Type.String(),
  insuredCount: Type.Integer(),
  laidOffCount: Type.Integer(),
  premiumsPaidFen: Type.Integer(),
  paidMonths: Type.Integer(),
  arrears: Type.Boolean(),
  eligible: Type.Boolean(),
  refundFen: Type.Integer(),
  ratePercent: Num,
  layoffRatePercent: Num,
  layoffLimitPercent: Num,
  reason: Type.Union([Type.String(), Type.Null()]),
  reasonZh: Type.Union([Type.String(), Type.Null()]),
  trace: TraceSchema,
  payment: Type.Union([
    Type.Null(),
    Type.Object({
      paidOn: Type.String(),
      amountFen: Type.Integer(),
      bankName: Type.String(),
      bankAccount: Type.Union([Type.String(), Type.Null()]),
    }),
  ]),
  paymentStatus: Type.String(),
});

const BatchSchema = Type.Object({
  year: Type.Integer(),
  dataYear: Type.Integer(),
  region: Type.String(),
  scanStatus: Type.String(),
  employersScanned: Type.Integer(),
  qualifying: Type.Integer(),
  totalFen: Type.Integer(),
  paid: Type.Integer(),
  paidFen: Type.Integer(),
  awaitingRelease: Type.Integer(),
  awaitingFen: Type.Integer(),
  noBankAccount: Type.Integer(),
  notEligibleByReason: Type.Array(
    Type.Object({ reason: Type.String(), reasonZh: Type.String(), employers: Type.Integer() }),
  ),
  pendingApprovalId: Type.Union([Type.Integer(), Type.Null()]),
  /** may this caller start the year's scan (refund.scan and a region covering every employer)? */
  scanAllowed: Type.Boolean(),
});

/** The background job kind of the yearly scan started from the batch page (src/server.ts runs it). */
export const REFUND_SCAN_JOB = 'unemployment.refund-scan';

export const refundRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = new RefundService(ctx.db, ctx.params);
  const tags = ['unemployment'];

  app.get(
    '/api/v1/employers/:id/refunds',
    {
      config: { action: 'refund.read' },
      schema: {
        tags,
        summary: '单位稳岗返还 / An employer’s stable-employment refunds (qualifying, or why not)',
        description:
          'Every scanned year, newest first, with the facts, the rule’s trace and the payment. An employer sees only its own (another id → 403).',
        params: Type.Object({ id: RowId }),
        response: { 200: Type.Object({ items: Type.Array(RefundSchema) }), ...errorResponses },
      },
    },
    async (req) => svc.employerRefunds(actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/unemployment/refunds/:id',
    {
      config: { action: 'refund.read' },
      schema: {
        tags,
        summary: '稳岗返还结果 / One refund result',
        params: Type.Object({ id: RowId }),
        response: { 200: RefundSchema, ...errorResponses },
      },
    },
    async (req) => svc.result(actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/unemployment/refund-batches/:year',
    {
      config: { action: 'refund.read' },
      schema: {
        tags,
        summary: '稳岗返还批次 / A year’s refund batch in a region (scan, payments, reasons)',
        params: Type.Object({ year: Year }),
        querystring: Type.Object({ region: Type.Optional(RegionCode) }),
        response: { 200: BatchSchema, ...errorResponses },
      },
    },
    async (req) =>
      svc.batch(actorOf(req), {
        year: req.params.year,
        ...(req.query.region === undefined ? {} : { region: req.query.region }),
      }),
  );

  app.get(
    '/api/v1/unemployment/refund-batches/:year/results',
    {
      config: { action: 'refund.read' },
      schema: {
        tags,
        summary: '稳岗返还扫描结果 / The scan results of a year in a region',
        params: Type.Object({ year: Year }),
        querystring: Type.Object({
          region: Type.Optional(RegionCode),
          eligible: Type.Optional(Type.Boolean()),
          ...PageQuery,
        }),
        response: { 200: Paged(RefundSchema), ...errorResponses },
      },
    },
    async (req) =>
      svc.results(actorOf(req), {
        year: req.params.year,
        ...(req.query.region === undefined ? {} : { region: req.query.region }),
        ...(req.query.eligible === undefined ? {} : { eligible: req.query.eligible }),
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  app.post(
    '/api/v1/unemployment/refund-batches/:year/scan',
    {
      config: { action: 'refund.scan' },
      schema: {
        tags,
        summary: '启动稳岗返还年度扫描 / Start (or resume) the year’s refund scan as a background job',
        description:
          'Every employer of the province, set-based and resumable (refund.job.ts): 202 with the job (GET /api/v1/jobs/{id} shows done of total chunks and the figures when it is done). A second start while it runs answers the same job; a finished scan answers its stored figures and notifies nobody again.',
        params: Type.Object({ year: Year }),
        response: { 202: JobQueuedSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      // Refused at once (403) rather than as a failed job: a district's clerk may not scan the province.
      await authorizeRefundScan(ctx.db, actor);
      const year = checkRefundYear(req.params.year, ctx.params);
      const job = await enqueueJob(ctx.db, actor, {
        kind: REFUND_SCAN_JOB,
        key: String(year),
        params: { year },
        // followed by the staff of the starter's region (the scan itself covers every employer)
        region: actor.region,
      });
      app.kickJobs();
      return reply.status(202).send(job);
    },
  );

  app.post(
    '/api/v1/unemployment/refund-batches/:year/payments',
    {
      config: { action: 'refund.pay' },
      schema: {
        tags,
        summary:
          '提交稳岗返还拨付 / Prepare the payment of a year’s refunds in a region (a reviewer releases it)',
        description:
          'Nothing is paid until a reviewer of the region who is another person releases the approval (POST /api/v1/approvals/{id}/release).',
        params: Type.Object({ year: Year }),
        body: Type.Object({ region: RegionCode }, { additionalProperties: false }),
        response: { 200: ApprovalSchema, 422: Type.Ref(ErrorResponse), ...errorResponses },
      },
    },
    async (req) => svc.preparePayment(actorOf(req), { year: req.params.year, region: req.body.region }),
  );
};
