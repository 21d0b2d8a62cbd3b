// Pension HTTP API: retirement due list and cases (open, compute, submit, review), payroll run and
// summary, annual adjustment, a person's pension, suspension/restoration by a clerk, death follow-up.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import {
  errorResponses,
  FenInput,
  IsoDateString,
  Paged,
  PageQuery,
  PeriodString,
  RegionCode,
  RowId,
  RowVersion,
  TraceSchema,
} from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { ApprovalSchema } from '../approval/approval.schema.ts';
import { PensionApprovalService } from './pension-approval.service.ts';
import { PensionService } from './pension.service.ts';
import { RetirementService } from './retirement.service.ts';

const Id = Type.Object({ id: RowId });
const Scheme = Type.Union([Type.Literal('employee_pension'), Type.Literal('resident_pension')]);
const Category = Type.Union([Type.Literal('male'), Type.Literal('female-55'), Type.Literal('female-50')]);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const CaseView = Type.Object({
  id: Type.Integer(),
  personId: Type.Integer(),
  scheme: Scheme,
  region: Type.String(),
  retirementKind: Type.String(),
  retirementDate: Type.String(),
  status: Type.String(),
  eligible: Nullable(Type.Boolean()),
  missingMonths: Nullable(Type.Integer()),
  options: Type.Unknown({
    description: '不满最低缴费年限时可选办法 / lawful options when short of the minimum',
  }),
  inputs: Type.Unknown(),
  parameterVersions: Type.Unknown(),
  trace: TraceSchema,
  result: Type.Unknown(),
  monthlyFen: Nullable(Type.Integer()),
  createdBy: Type.String(),
  reviewedBy: Nullable(Type.String()),
  reviewNote: Nullable(Type.String()),
  awardId: Nullable(Type.Integer()),
  version: Type.Integer(),
  personName: Type.Optional(Type.String({ description: 'in lists' })),
  createdByName: Type.Optional(Nullable(Type.String({ description: 'the clerk’s name' }))),
  reviewedByName: Type.Optional(Nullable(Type.String({ description: 'the reviewer’s name' }))),
});

const PayrollSummary = Type.Object({
  runId: Nullable(Type.Integer()),
  period: Type.String(),
  region: Type.String(),
  status: Type.String(),
  chunksDone: Type.Integer(),
  chunksTotal: Type.Integer(),
  payments: Type.Integer(),
  regularFen: Type.Integer(),
  arrearsFen: Type.Integer(),
  totalFen: Type.Integer(),
});

const DueItem = Type.Object({
  personId: Type.Integer(),
  name: Type.String(),
  birthDate: Type.String(),
  scheme: Type.Union([Type.Literal('employee_pension'), Type.Literal('resident_pension')]),
  category: Type.String({ description: 'male, female-50, female-55, or resident' }),
  statutoryDate: Type.String(),
  ageMonths: Type.Integer(),
  earliestFlexibleDate: Type.String(),
  latestFlexibleDate: Type.String(),
  minContributionMonths: Type.Integer(),
  caseId: Type.Union([Type.Integer(), Type.Null()], {
    description: 'the person’s latest retirement case, if any',
  }),
  caseStatus: Type.Union([Type.String(), Type.Null()]),
});

export const pensionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const retirement = new RetirementService(ctx.db, ctx.params);
  const pension = new PensionService(ctx);
  const approvals = new PensionApprovalService(ctx);
  app.get(
    '/api/v1/retirement/due',
    {
      config: { action: 'retirement.read' },
      schema: {
        tags: ['pension'],
        summary:
          '下月达到法定退休年龄人员 / Persons reaching statutory retirement age (next month by default)',
        querystring: Type.Object({ month: Type.Optional(PeriodString), region: Type.Optional(RegionCode) }),
        response: {
          200: Type.Object({ month: Type.String(), items: Type.Array(DueItem) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const region = req.query.region ?? actor.region ?? '000000';
      return retirement.retirementDue(actor, {
        region,
        ...(req.query.month === undefined ? {} : { month: req.query.month }),
      });
    },
  );

  app.post(
    '/api/v1/retirement/cases',
    {
      config: { action: 'retirement.open' },
      schema: {
        tags: ['pension'],
        summary: '开立退休案件 / Open a retirement case',
        body: Type.Object(
          {
            personId: RowId,
            scheme: Scheme,
            category: Type.Optional(Category),
            retirementKind: Type.Optional(
              Type.Union([Type.Literal('statutory'), Type.Literal('early'), Type.Literal('late')]),
            ),
            retirementDate: Type.Optional(IsoDateString),
          },
          { additionalProperties: false },
        ),
        response: { 201: CaseView, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const c = await retirement.openCase(actorOf(req), {
        personId: b.personId,
        scheme: b.scheme,
        ...(b.category === undefined ? {} : { category: b.category }),
        ...(b.retirementKind === undefined ? {} : { retirementKind: b.retirementKind }),
        ...(b.retirementDate === undefined ? {} : { retirementDate: b.retirementDate }),
      });
      return reply.code(201).send(c);
    },
  );

  app.get(
    '/api/v1/retirement/cases',
    {
      config: { action: 'retirement.read' },
      schema: {
        tags: ['pension'],
        summary: '退休案件列表 / Retirement cases of the region',
        querystring: Type.Object({ ...PageQuery, status: Type.Optional(Type.String({ maxLength: 20 })) }),
        response: { 200: Paged(CaseView), ...errorResponses },
      },
    },
    async (req) =>
      retirement.listCases(actorOf(req), {
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
        ...(req.query.status === undefined ? {} : { status: req.query.status }),
      }),
  );

  app.get(
    '/api/v1/retirement/cases/:id',
    {
      config: { action: 'retirement.read' },
      schema: {
        tags: ['pension'],
        summary: '退休案件 / A retirement case with inputs, parameter versions and trace',
        params: Id,
        response: { 200: CaseView, ...errorResponses },
      },
    },
    async (req) => retirement.getCase(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/retirement/cases/:id/compute',
    {
      config: { action: 'retirement.compute' },
      schema: {
        tags: ['pension'],
        summary: '按本人记录计算养老金 / Compute the pension from the person’s record',
        description:
          'An employee case reads all the figures below. A residents’ case (resident_pension: basic pension + account ÷ 139) reads archivedMonths and archivedAccountFen only, as paper-record months and account added to the record; deemedMonths, deemedIndex, archivedIndex or benefitBaseWageFen on it answer 400 SB_ERR_VALIDATION naming the field.',
        params: Id,
        body: Type.Object(
          {
            version: RowVersion,
            deemedMonths: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
            deemedIndex: Type.Optional(Type.Number({ minimum: 0, maximum: 10 })),
            archivedMonths: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
            archivedIndex: Type.Optional(Type.Number({ minimum: 0, maximum: 10 })),
            archivedAccountFen: Type.Optional(FenInput(0)),
            benefitBaseWageFen: Type.Optional(FenInput(1, 'wage')),
          },
          { additionalProperties: false },
        ),
        response: { 200: CaseView, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      return retirement.computeCase(actorOf(req), req.params.id, {
        version: b.version,
        ...(b.deemedMonths === undefined ? {} : { deemedMonths: b.deemedMonths }),
        ...(b.deemedIndex === undefined ? {} : { deemedIndex: b.deemedIndex }),
        ...(b.archivedMonths === undefined ? {} : { archivedMonths: b.archivedMonths }),
        ...(b.archivedIndex === undefined ? {} : { archivedIndex: b.archivedIndex }),
        ...(b.archivedAccountFen === undefined ? {} : { archivedAccountFen: b.archivedAccountFen }),
        ...(b.benefitBaseWageFen === undefined ? {} : { benefitBaseWageFen: b.benefitBaseWageFen }),
      });
    },
  );

  app.post(
    '/api/v1/retirement/cases/:id/submit',
    {
      config: { action: 'retirement.submit' },
      schema: {
        tags: ['pension'],
        summary: '提交审核 / Submit for review',
        params: Id,
        body: Type.Object({ version: RowVersion }, { additionalProperties: false }),
        response: { 200: CaseView, ...errorResponses },
      },
    },
    async (req) => retirement.submitCase(actorOf(req), req.params.id, req.body.version),
  );

  app.post(
    '/api/v1/retirement/cases/:id/reject',
    {
      config: { action: 'retirement.reject' },
      schema: {
        tags: ['pension'],
        summary:
          '不予受理：不符合退休条件的案件，须写明原因 / Refuse a case that does not qualify, with the reason',
        params: Id,
        body: Type.Object(
          {
            version: RowVersion,
            reason: Type.String({ minLength: 1, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: CaseView, ...errorResponses },
      },
    },
    async (req) => retirement.rejectCase(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/v1/retirement/cases/:id/review',
    {
      config: { action: 'retirement.approve' },
      schema: {
        tags: ['pension'],
        summary: '审核：批准或退回（不得审核本人经办的案件）/ Approve or return (never the creator)',
        params: Id,
        body: Type.Object(
          {
            decision: Type.Union([Type.Literal('approve'), Type.Literal('return')]),
            version: RowVersion,
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: CaseView, ...errorResponses },
      },
    },
    async (req) =>
      retirement.reviewCase(actorOf(req), req.params.id, {
        decision: req.body.decision,
        version: req.body.version,
        ...(req.body.note === undefined ? {} : { note: req.body.note }),
      }),
  );

  app.post(
    '/api/v1/payroll/runs',
    {
      config: { action: 'payroll.run' },
      schema: {
        tags: ['pension'],
        summary:
          '经办：准备月度养老金发放（复核员放行后才发放）/ Prepare the monthly payroll (paid only when a reviewer releases it)',
        description:
          'Answers the prepared approval with the summary the reviewer sees (payments, persons, regular, arrears, total in fen). Nothing is paid, posted to the ledger or written to a bank file before POST /api/v1/approvals/{id}/release. A period later than next month is refused.',
        body: Type.Object({ period: PeriodString, region: RegionCode }, { additionalProperties: false }),
        response: { 200: ApprovalSchema, ...errorResponses },
      },
    },
    async (req) => approvals.preparePayroll(actorOf(req), req.body),
  );

  app.get(
    '/api/v1/payroll/summary',
    {
      config: { action: 'payroll.read' },
      schema: {
        tags: ['pension'],
        summary: '发放汇总 / Payroll summary',
        querystring: Type.Object({ period: PeriodString, region: RegionCode }),
        response: { 200: PayrollSummary, ...errorResponses },
      },
    },
    async (req) => pension.readPayroll(actorOf(req), req.query),
  );

  app.get(
    '/api/v1/payroll/history',
    {
      config: { action: 'payroll.read' },
      schema: {
        tags: ['pension'],
        summary: '历次发放 / Past payroll runs of the region',
        description:
          'The last 24 runs of the region, newest period first, each with the summary /api/v1/payroll/summary gives.',
        querystring: Type.Object({ region: RegionCode }),
        response: { 200: Type.Object({ items: Type.Array(PayrollSummary) }), ...errorResponses },
      },
    },
    async (req) => pension.payrollHistory(actorOf(req), req.query),
  );

  app.post(
    '/api/v1/pension/adjustments',
    {
      config: { action: 'adjustment.run' },
      schema: {
        tags: ['pension'],
        summary:
          '经办：准备年度基本养老金调整（复核员放行后执行）/ Prepare the annual adjustment (a reviewer releases it)',
        body: Type.Object(
          { region: RegionCode, year: Type.Integer({ minimum: 2000, maximum: 2100 }) },
          { additionalProperties: false },
        ),
        response: { 200: ApprovalSchema, ...errorResponses },
      },
    },
    async (req) => approvals.prepareAdjustment(actorOf(req), req.body),
  );

  app.get(
    '/api/v1/persons/:id/pension',
    {
      config: { action: 'pension.read' },
      schema: {
        tags: ['pension'],
        summary: '本人养老金：待遇、金额变化、发放记录 / A person’s pension: awards, amounts, payments',
        params: Id,
        response: {
          200: Type.Object({
            personId: Type.Integer(),
            awards: Type.Array(
              Type.Object({
                id: Type.Integer(),
                scheme: Type.String(),
                status: Type.String(),
                retirementDate: Type.String(),
                startPeriod: Type.String(),
                monthlyFen: Type.Integer(),
                suspendedFromPeriod: Nullable(Type.String()),
                suspendReasonCode: Nullable(
                  Type.Union([Type.Literal('not_certified'), Type.Literal('other')]),
                ),
                suspendReason: Nullable(Type.String()),
                stoppedFromPeriod: Nullable(Type.String()),
                stopReason: Nullable(Type.String()),
                amounts: Type.Array(
                  Type.Object({
                    effectivePeriod: Type.String(),
                    monthlyFen: Type.Integer(),
                    reason: Type.String(),
                    components: Type.Unknown(),
                  }),
                ),
                payments: Type.Array(
                  Type.Object({ period: Type.String(), kind: Type.String(), amountFen: Type.Integer() }),
                ),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => pension.personPension(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/pension/awards/:id/suspend',
    {
      config: { action: 'pension.manage' },
      schema: {
        tags: ['pension'],
        summary: '暂停发放 / Suspend an award',
        params: Id,
        body: Type.Object(
          { fromPeriod: PeriodString, reason: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ changed: Type.Boolean() }), ...errorResponses },
      },
    },
    async (req) => pension.suspendByClerk(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/v1/pension/awards/:id/restore',
    {
      config: { action: 'pension.manage' },
      schema: {
        tags: ['pension'],
        summary:
          '经办：准备恢复发放并补发（复核员放行）/ Prepare restoring an award with back pay (a reviewer releases it)',
        params: Id,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: ApprovalSchema, ...errorResponses },
      },
    },
    async (req) => approvals.prepareRestore(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/v1/pension/recovery-cases/:id/write-off',
    {
      config: { action: 'pension.manage' },
      schema: {
        tags: ['pension'],
        summary:
          '经办：准备核销追回余额（复核员放行）/ Prepare writing off a recovery case (a reviewer releases it)',
        params: Id,
        body: Type.Object(
          { reason: Type.String({ minLength: 2, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: ApprovalSchema, ...errorResponses },
      },
    },
    async (req) => approvals.prepareWriteOff(actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/v1/pension/recovery-cases',
    {
      config: { action: 'pension.manage' },
      schema: {
        tags: ['pension'],
        summary: '待遇追回案件 / Recovery cases of the region',
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.Integer(),
              personId: Type.Integer(),
              personName: Type.String(),
              reason: Type.String(),
              amountFen: Type.Integer(),
              recoveredFen: Type.Integer(),
              status: Type.String(),
              fromPeriod: Nullable(Type.String()),
              toPeriod: Nullable(Type.String()),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (req) => pension.listRecoveryCases(actorOf(req)),
  );

  app.post(
    '/api/v1/persons/:id/pension/death',
    {
      config: { action: 'survivor.decide' },
      schema: {
        tags: ['pension'],
        summary:
          '经办：准备死亡后续处理：停发、追回、遗属待遇、个人账户继承（复核员放行）/ Prepare the death follow-up (a reviewer releases it)',
        params: Id,
        body: Type.Object(
          { monthlyDisposableIncomeFen: Type.Optional(FenInput(1, 'wage')) },
          { additionalProperties: false },
        ),
        response: { 200: ApprovalSchema, ...errorResponses },
      },
    },
    async (req) =>
      approvals.prepareDeath(actorOf(req), {
        personId: req.params.id,
        ...(req.body.monthlyDisposableIncomeFen === undefined
          ? {}
          : { monthlyDisposableIncomeFen: req.body.monthlyDisposableIncomeFen }),
      }),
  );
};
