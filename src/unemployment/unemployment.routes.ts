// Unemployment HTTP API: claims (file, read, list, payments, stop events, decision, stop, resume,
// death), the benefit payroll (prepare, runs), one-off grants (apply, read, list, decision).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { ApprovalSchema } from '../approval/approval.schema.ts';
import {
  errorResponses,
  IsoDateString,
  PageQuery,
  Paged,
  PeriodString,
  RegionCode,
  TraceSchema,
} from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { BenefitPayrollService } from './benefit-payroll.service.ts';
import { ClaimService } from './claim.service.ts';
import { StopService } from './stop.service.ts';
import { SubsidyService } from './subsidy.service.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Note = Type.String({ minLength: 1, maxLength: 500 });
const Unprocessable = { 422: errorResponses[400] };
const GrantWindow = Type.Object({
  open: Type.Boolean(),
  until: Type.Optional(Type.String({ format: 'date', description: '政策执行截止日 / last day in force' })),
});

const ClaimView = Type.Object({
  id: Type.Integer(),
  personId: Type.Integer(),
  region: Type.String(),
  status: Type.Union([
    Type.Literal('submitted'),
    Type.Literal('ineligible'),
    Type.Literal('approved'),
    Type.Literal('rejected'),
    Type.Literal('interrupted'),
    Type.Literal('stopped'),
    Type.Literal('ended'),
  ]),
  eligible: Type.Boolean(),
  maxMonths: Type.Integer(),
  carriedMonths: Type.Integer({ description: '前次未领月数合并 / months carried from an earlier claim' }),
  contributionMonths: Type.Integer(),
  entitlementStart: Nullable(Type.String()),
  entitlementEnd: Nullable(Type.String()),
  firstPeriod: Nullable(Type.String()),
  lastPeriod: Nullable(Type.String()),
  monthlyFen: Type.Optional(Type.Integer()),
  medicalFen: Type.Integer({ description: '基金代缴医疗保险费 / medical premium the fund pays monthly' }),
  registrationDate: Type.String(),
  decisionDeadline: Type.String(),
  separationDate: Type.String(),
  separationReason: Type.String(),
  employerId: Type.Integer(),
  reason: Type.Optional(Type.String()),
  reasonZh: Type.Optional(Type.String()),
  reasonCode: Type.Optional(Type.String()),
  decidedBy: Nullable(Type.String()),
  reviewedBy: Nullable(Type.String()),
  decidedByName: Type.Optional(
    Nullable(
      Type.String({ description: '经办人姓名（仅经办人员可见）/ the maker’s name, staff readers only' }),
    ),
  ),
  reviewedByName: Type.Optional(
    Nullable(
      Type.String({ description: '复核人姓名（仅经办人员可见）/ the checker’s name, staff readers only' }),
    ),
  ),
  decisionNote: Nullable(Type.String()),
  stopEvent: Nullable(Type.String()),
  stopDate: Nullable(Type.String()),
  stoppedFromPeriod: Nullable(Type.String()),
  interruptedFromPeriod: Nullable(Type.String()),
  remainingMonths: Nullable(
    Type.Integer({
      description:
        '尚余月数：发放中（approved、interrupted）为领取期限 − 已发放月数；停发时为停发时未领月数；期满为 0；未核准为 null / months of the entitlement left: being paid (approved, interrupted) maxMonths − monthsPaid; stopped: the unused months recorded at the stop; ended: 0; not granted: null',
    }),
  ),
  monthsPaid: Type.Integer({ description: '已发放月数 / months paid' }),
  paidFen: Type.Integer(),
  trace: TraceSchema,
  personName: Type.Optional(Type.String()),
});

const PaymentView = Type.Object({
  period: Type.String(),
  amountFen: Type.Integer(),
  medicalFen: Type.Integer(),
  runId: Type.Integer(),
});

const StopEventView = Type.Object({
  event: Type.String(),
  eventDate: Type.String(),
  source: Type.String(),
  action: Type.String(),
  stoppedFromPeriod: Nullable(Type.String()),
  note: Nullable(Type.String()),
});

const StopResultView = Type.Object({
  claimId: Type.Integer(),
  status: Type.String(),
  action: Type.String(),
  stoppedFromPeriod: Nullable(Type.String()),
  remainingMonths: Nullable(Type.Integer()),
  carryForward: Type.Boolean(),
  recoveryCaseId: Nullable(Type.Integer()),
});

const PayrollView = Type.Object({
  runId: Nullable(Type.Integer()),
  period: Type.String(),
  region: Type.String(),
  status: Type.String(),
  chunksDone: Type.Integer(),
  chunksTotal: Type.Integer(),
  payments: Type.Integer(),
  benefitFen: Type.Integer(),
  medicalFen: Type.Integer(),
  totalFen: Type.Integer(),
  stopped: Type.Integer(),
});

const GrantView = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  personId: Type.Integer(),
  claimId: Nullable(Type.Integer()),
  region: Type.String(),
  eligible: Type.Boolean(),
  months: Type.Integer(),
  amountFen: Type.Integer(),
  status: Type.String(),
  reason: Type.Optional(Type.String()),
  reasonZh: Type.Optional(Type.String()),
  decidedBy: Nullable(Type.String()),
  createdAt: Type.String(),
  trace: TraceSchema,
  personName: Type.Optional(Type.String()),
});

const Decision = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);

export const unemploymentRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/v1/unemployment/claims',
    {
      config: { action: 'unemployment.claim' },
      schema: {
        tags: ['unemployment'],
        summary: '失业登记并申领失业保险金（免证办理）/ Register as unemployed and claim (no documents)',
        description:
          'An empty body claims from the latest separation the employer recorded. Only `employmentId` (one of your own ended employments) may be named; dates, amounts and persons come from the records.',
        body: Type.Object(
          { employmentId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 })) },
          { additionalProperties: false },
        ),
        response: { 201: ClaimView, ...errorResponses, ...Unprocessable },
      },
    },
    async (req, reply) => {
      const b = req.body ?? {};
      const c = await new ClaimService(ctx).fileClaim(
        actorOf(req),
        b.employmentId === undefined ? {} : { employmentId: b.employmentId },
      );
      return reply.code(201).send(c);
    },
  );

  app.get(
    '/api/v1/unemployment/claims',
    {
      config: { action: 'unemployment.read' },
      schema: {
        tags: ['unemployment'],
        summary:
          '失业保险金申领（本人；或本地区待办，按办结时限排序）/ Claims: your own, or the region’s queue by deadline',
        querystring: Type.Object({ ...PageQuery, status: Type.Optional(Type.String({ maxLength: 20 })) }),
        response: { 200: Paged(ClaimView), ...errorResponses },
      },
    },
    async (req) =>
      new ClaimService(ctx).listClaims(actorOf(req), {
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
        ...(req.query.status === undefined ? {} : { status: req.query.status }),
      }),
  );

  app.get(
    '/api/v1/unemployment/claims/:id',
    {
      config: { action: 'unemployment.read' },
      schema: {
        tags: ['unemployment'],
        summary: '一项申领及其计算过程 / A claim with its trace',
        params: Id,
        response: { 200: ClaimView, ...errorResponses },
      },
    },
    async (req) => new ClaimService(ctx).getClaim(actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/unemployment/claims/:id/payments',
    {
      config: { action: 'unemployment.read' },
      schema: {
        tags: ['unemployment'],
        summary: '发放记录 / Payments of a claim',
        params: Id,
        response: { 200: Type.Array(PaymentView), ...errorResponses },
      },
    },
    async (req) => new ClaimService(ctx).claimPayments(actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/unemployment/claims/:id/events',
    {
      config: { action: 'unemployment.read' },
      schema: {
        tags: ['unemployment'],
        summary: '停发、中止记录 / Stop and interruption events of a claim',
        params: Id,
        response: { 200: Type.Array(StopEventView), ...errorResponses },
      },
    },
    async (req) => new StopService(ctx).stopEvents(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/unemployment/claims/:id/decision',
    {
      config: { action: 'unemployment.decide' },
      schema: {
        tags: ['unemployment'],
        summary: '经办人提出核定意见，待复核人放行 / Propose the decision (a reviewer releases it)',
        params: Id,
        body: Decision,
        response: { 201: ApprovalSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await new ClaimService(ctx).prepareDecision(actorOf(req), req.params.id, {
          decision: req.body.decision,
          ...(req.body.note === undefined ? {} : { note: req.body.note }),
        }),
      ),
  );

  app.post(
    '/api/v1/unemployment/claims/:id/stop',
    {
      config: { action: 'unemployment.stop' },
      schema: {
        tags: ['unemployment'],
        summary: '登记停发（中止）情形 / Record a stop event',
        params: Id,
        body: Type.Object(
          {
            event: Type.Union([
              Type.Literal('pension'),
              Type.Literal('enlistment'),
              Type.Literal('emigration'),
              Type.Literal('imprisonment'),
              Type.Literal('refusal'),
              Type.Literal('reemployment'),
            ]),
            eventDate: IsoDateString,
            note: Type.Optional(Note),
          },
          { additionalProperties: false },
        ),
        response: { 200: StopResultView, ...errorResponses },
      },
    },
    async (req) =>
      new StopService(ctx).recordStop(actorOf(req), req.params.id, {
        event: req.body.event,
        eventDate: req.body.eventDate,
        ...(req.body.note === undefined ? {} : { note: req.body.note }),
      }),
  );

  app.post(
    '/api/v1/unemployment/claims/:id/resume',
    {
      config: { action: 'unemployment.stop' },
      schema: {
        tags: ['unemployment'],
        summary: '中止情形消失，恢复发放 / End an interruption',
        description:
          'The date is not after today nor before the day the claim was interrupted (400 naming date). The note is shown with the claim’s events, an ID number in it masked.',
        params: Id,
        body: Type.Object(
          { date: IsoDateString, note: Type.Optional(Note) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ claimId: Type.Integer(), status: Type.String(), lastPeriod: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      new StopService(ctx).resumeClaim(actorOf(req), req.params.id, {
        date: req.body.date,
        ...(req.body.note === undefined ? {} : { note: req.body.note }),
      }),
  );

  app.post(
    '/api/v1/unemployment/claims/:id/death',
    {
      config: { action: 'unemployment.decide' },
      schema: {
        tags: ['unemployment'],
        summary:
          '领取期间死亡：丧葬补助金和抚恤金（待复核）/ Death during receipt: funeral grant and survivors’ benefit',
        params: Id,
        body: Type.Object(
          { dependents: Type.Integer({ minimum: 0, maximum: 20 }) },
          { additionalProperties: false },
        ),
        response: { 201: ApprovalSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await new StopService(ctx).prepareDeathGrant(actorOf(req), req.params.id, req.body)),
  );

  app.post(
    '/api/v1/unemployment/payroll',
    {
      config: { action: 'unemployment.payroll' },
      schema: {
        tags: ['unemployment'],
        summary: '提出月度发放（待复核放行）/ Prepare the month’s benefit payroll',
        body: Type.Object({ period: PeriodString, region: RegionCode }, { additionalProperties: false }),
        response: { 201: ApprovalSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await new BenefitPayrollService(ctx).prepareBenefitPayroll(actorOf(req), req.body)),
  );

  app.get(
    '/api/v1/unemployment/payroll',
    {
      config: { action: 'unemployment.payroll-read' },
      schema: {
        tags: ['unemployment'],
        summary: '发放批次及进度 / Payroll runs and their progress',
        response: { 200: Type.Array(PayrollView), ...errorResponses },
      },
    },
    async (req) => new BenefitPayrollService(ctx).listBenefitPayrolls(actorOf(req)),
  );

  app.get(
    '/api/v1/unemployment/figures',
    {
      config: { action: 'unemployment.read' },
      schema: {
        tags: ['unemployment'],
        summary: '失业保险基金当月支出与人数（基金报告）/ Unemployment fund spending and counts of a month',
        querystring: Type.Object({ period: PeriodString }),
        response: {
          200: Type.Object({
            period: Type.String(),
            recipients: Type.Integer(),
            benefitFen: Type.Integer(),
            medicalFen: Type.Integer(),
            grants: Type.Integer(),
            grantsFen: Type.Integer(),
            claimsWaiting: Type.Integer(),
            claimsInPayment: Type.Integer(),
            overdue: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => new BenefitPayrollService(ctx).unemploymentFigures(actorOf(req), req.query.period),
  );

  app.post(
    '/api/v1/unemployment/grants',
    {
      config: { action: 'unemployment.claim' },
      schema: {
        tags: ['unemployment'],
        summary:
          '申领失业补助金或农民合同制工人一次性生活补助 / Apply for the subsidy or the migrant allowance',
        body: Type.Object(
          {
            kind: Type.Union([Type.Literal('subsidy'), Type.Literal('migrant')]),
            migrantCommitment: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: GrantView, ...errorResponses, ...Unprocessable },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await new SubsidyService(ctx).applyGrant(actorOf(req), {
          kind: req.body.kind,
          ...(req.body.migrantCommitment === undefined
            ? {}
            : { migrantCommitment: req.body.migrantCommitment }),
        }),
      ),
  );

  app.get(
    '/api/v1/unemployment/grants',
    {
      config: { action: 'unemployment.read' },
      schema: {
        tags: ['unemployment'],
        summary: '补助申请 / Grant applications',
        querystring: Type.Object({ ...PageQuery, status: Type.Optional(Type.String({ maxLength: 20 })) }),
        response: { 200: Paged(GrantView), ...errorResponses },
      },
    },
    async (req) =>
      new SubsidyService(ctx).listGrants(actorOf(req), {
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
        ...(req.query.status === undefined ? {} : { status: req.query.status }),
      }),
  );

  app.get(
    '/api/v1/unemployment/grant-offer',
    {
      config: { action: 'unemployment.claim' },
      schema: {
        tags: ['unemployment'],
        summary: '今日可申领的补助 / Which grants take applications today',
        response: {
          200: Type.Object({
            on: Type.String({ format: 'date' }),
            subsidy: GrantWindow,
            migrant: GrantWindow,
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => new SubsidyService(ctx).grantOffer(actorOf(req)),
  );

  app.get(
    '/api/v1/unemployment/grants/:id',
    {
      config: { action: 'unemployment.read' },
      schema: {
        tags: ['unemployment'],
        summary: '一项补助申请 / A grant application',
        params: Id,
        response: { 200: GrantView, ...errorResponses },
      },
    },
    async (req) => new SubsidyService(ctx).getGrant(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/unemployment/grants/:id/decision',
    {
      config: { action: 'unemployment.decide' },
      schema: {
        tags: ['unemployment'],
        summary: '补助核定意见（待复核放行）/ Propose the grant decision',
        params: Id,
        body: Decision,
        response: { 201: ApprovalSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await new SubsidyService(ctx).prepareGrantDecision(actorOf(req), req.params.id, {
          decision: req.body.decision,
          ...(req.body.note === undefined ? {} : { note: req.body.note }),
        }),
      ),
  );
};
