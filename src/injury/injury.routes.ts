// /api/v1/injury: reports and applications, the case with every deadline, documents, the agency's
// queue, acceptance, suspension, recognition (released by a reviewer through /api/v1/approvals), the
// decision letter, appraisals, benefit decisions, the allowance payroll, what an employer owes, and
// statistics.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TLiteral, type TSchema, type TUnion } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { ApprovalService } from '../approval/approval.service.ts';
import { ApprovalSchema } from '../approval/approval.schema.ts';
import { authorize } from '../auth/policy.ts';
import { parsePeriod } from '../core/dates.ts';
import { regionLikePattern } from '../core/regions.ts';
import {
  ErrorResponse,
  errorResponses,
  FenInput,
  IsoDateString,
  Paged,
  PageQuery,
  PeriodString,
  RegionCode,
  RowId,
  TraceSchema,
} from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import {
  APPRAISAL_KINDS,
  BENEFIT_KINDS,
  DEPENDENT_RELATIONS,
  DOCUMENT_KINDS,
  NURSING_LEVELS,
  RECOGNITION_OUTCOMES,
} from './injury-codes.rules.ts';
import { checkRunPeriod } from '../ledger/monthly-run.ts';
import { injuryPayrollSummary, listInjuryPayrollRuns } from './injury-payroll.job.ts';
import { InjuryService } from './injury.service.ts';
import { attachment } from '../http/attachment.ts';

const N = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const strict = { additionalProperties: false };
const errors = { ...errorResponses, 415: Type.Ref(ErrorResponse), 422: Type.Ref(ErrorResponse) };
const IdParams = Type.Object({ id: RowId });
/** One of a code list (injury-codes.rules.ts), the list the pages and the approval page read too. */
const oneOf = <C extends string>(codes: readonly C[]): TUnion<TLiteral<C>[]> =>
  Type.Union(codes.map((c) => Type.Literal(c)));
// The case's status and kind are in its reply, whose type a union built from a list (an array, not a
// tuple) makes never: they stay written out, as CASE_STATUSES and CASE_KINDS list them.
const Status = Type.Union([
  Type.Literal('reported'),
  Type.Literal('accepted'),
  Type.Literal('suspended'),
  Type.Literal('proposed'),
  Type.Literal('recognised'),
  Type.Literal('not_recognised'),
  Type.Literal('withdrawn'),
]);
const Kind = Type.Union([Type.Literal('injury'), Type.Literal('occupational_disease')]);
const BenefitKind = oneOf(BENEFIT_KINDS);
const Nursing = oneOf(NURSING_LEVELS);
const DocKind = oneOf(DOCUMENT_KINDS);

const Deadline = Type.Object({
  key: Type.String({
    description:
      'employerDeadline, workerDeadline, acceptanceDeadline, decisionDeadline, simpleCaseDeadline, deliveryDeadline, reconsiderationDeadline, litigationDeadline, appraisalMaterialsDeadline, appraisalDeadline, appraisalExtendedDeadline, reappraisalDeadline, reviewEarliestDate',
  }),
  date: N(Type.String({ description: 'null while the clock is suspended' })),
  doneOn: N(Type.String()),
  overdue: Type.Boolean(),
  party: Type.Boolean({ description: 'a window of the applicant or employer, not a limit on the agency' }),
});

const Case = Type.Object({
  id: Type.Integer(),
  personId: Type.Integer(),
  personName: Type.String(),
  employerId: Type.Integer(),
  employerName: Type.String(),
  regionCode: Type.String(),
  kind: Kind,
  accidentDate: Type.String(),
  description: Type.String(),
  status: Status,
  reporterKind: Type.String(),
  reportedDate: Type.String(),
  lateDays: Type.Integer({
    description: 'days the employer reported late; their costs fall on the employer',
  }),
  employerInsured: Type.Boolean(),
  acceptedDate: N(Type.String()),
  simpleCase: Type.Boolean(),
  decidedDate: N(Type.String()),
  deliveredDate: N(Type.String()),
  decisionNote: N(Type.String()),
  pendingApprovalId: N(Type.Integer()),
  proposedOutcome: N(Type.String()),
  deadlines: Type.Array(Deadline),
  overdue: Type.Boolean(),
  suspensions: Type.Array(
    Type.Object({ fromDate: Type.String(), toDate: N(Type.String()), reason: Type.String() }),
  ),
  documents: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      filename: Type.String(),
      mediaType: Type.String(),
      sizeBytes: Type.Integer(),
      sha256: Type.String(),
      uploadedAt: Type.String(),
    }),
  ),
  appraisals: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      receivedDate: Type.String(),
      conclusionDate: N(Type.String()),
      grade: N(Type.Integer()),
      nursingLevel: Type.String(),
      status: Type.String(),
    }),
  ),
  benefits: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      payer: Type.String(),
      advanced: Type.Boolean(),
      monthly: Type.Boolean(),
      amountFen: Type.Integer(),
      fromPeriod: N(Type.String()),
      status: Type.String(),
      paidFen: Type.Integer(),
      proposedBy: N(
        Type.String({ description: 'null for a worker or employer: staff are not named to them' }),
      ),
      reviewedBy: N(Type.String({ description: 'null for a worker or employer' })),
    }),
  ),
  recoveries: Type.Array(
    Type.Object({
      id: Type.Integer(),
      benefitId: Type.Integer(),
      amountFen: Type.Integer(),
      recoveredFen: Type.Integer(),
      status: Type.String(),
      payByDate: Type.String(),
    }),
  ),
  events: Type.Array(
    Type.Object({
      fromStatus: N(Type.String()),
      toStatus: Type.String(),
      kind: Type.String(),
      note: N(Type.String()),
      actor: N(Type.String({ description: 'null for a worker or employer: who acted is not named to them' })),
      at: Type.String(),
    }),
  ),
});

const ListItem = Type.Object({
  id: Type.Integer(),
  personName: Type.String(),
  employerName: Type.String(),
  kind: Kind,
  accidentDate: Type.String(),
  status: Status,
  reportedDate: Type.String(),
  lateDays: Type.Integer(),
  employerInsured: Type.Boolean(),
  nextDeadline: N(Type.String()),
  nextDeadlineKey: N(Type.String()),
  overdue: Type.Boolean(),
  pendingApprovalId: N(Type.Integer()),
});

const PayrollSummary = Type.Object({
  runId: N(Type.Integer()),
  period: Type.String(),
  region: Type.String(),
  status: Type.String(),
  chunksDone: Type.Integer(),
  chunksTotal: Type.Integer(),
  payments: Type.Integer(),
  totalFen: Type.Integer(),
});

const Note = Type.String({ minLength: 1, maxLength: 2000 });

export const injuryRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const s = new InjuryService(ctx);
  const tags = ['injury'];

  app.post(
    '/api/v1/injury/reports',
    {
      config: { action: 'injury.report' },
      schema: {
        tags,
        summary:
          '工伤报告与认定申请 / Report a work injury and apply for recognition (employer, worker, or a clerk)',
        description:
          'The employer for its worker (30 days; a late report is accepted and the late days’ costs fall on the employer), the worker for themself (1 year; later → 422 SB_ERR_INJURY_TOO_LATE). The answer’s id is the case id.',
        body: Type.Object(
          {
            idNumber: Type.String({ minLength: 15, maxLength: 18 }),
            accidentDate: IsoDateString,
            description: Type.String({ minLength: 1, maxLength: 2000 }),
            kind: Type.Optional(Kind),
            reporterKind: Type.Optional(Type.Union([Type.Literal('family'), Type.Literal('clerk')])),
          },
          strict,
        ),
        response: { 201: Case, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await s.cases.report(actorOf(req), req.body)),
  );

  app.get(
    '/api/v1/injury/cases',
    {
      config: { action: 'injury.read' },
      schema: {
        tags,
        summary:
          '工伤案件 / Cases: the worker’s own, the employer’s, or the agency’s work queue with deadlines',
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(Status),
          overdue: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Paged(ListItem), ...errors },
      },
    },
    async (req) =>
      s.cases.list(actorOf(req), {
        status: req.query.status,
        overdue: req.query.overdue,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  app.get(
    '/api/v1/injury/cases/:id',
    {
      config: { action: 'injury.read' },
      schema: {
        tags,
        summary:
          '工伤案件详情 / A case: status, every deadline and whether it is overdue, documents, appraisals, benefits',
        params: IdParams,
        response: { 200: Case, ...errors },
      },
    },
    async (req) => s.cases.get(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/injury/cases/:id/documents',
    {
      config: { action: 'injury.report' },
      schema: {
        tags,
        summary: '上传材料 / Upload a document (PDF, JPEG or PNG, at most 1 MB, base64)',
        description:
          'The type is read from the content’s first bytes; a declared type or file name that does not match → 415 SB_ERR_UNSUPPORTED_FILE. Stored once per SHA-256.',
        params: IdParams,
        body: Type.Object(
          {
            kind: DocKind,
            filename: Type.String({ minLength: 1, maxLength: 200 }),
            mediaType: Type.Optional(Type.String({ maxLength: 100 })),
            contentBase64: Type.String({ minLength: 4, maxLength: 1_500_000 }),
          },
          strict,
        ),
        response: {
          201: Type.Object({
            id: Type.Integer(),
            sha256: Type.String(),
            mediaType: Type.String(),
            sizeBytes: Type.Integer(),
            created: Type.Boolean(),
          }),
          ...errors,
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await s.cases.upload(actorOf(req), req.params.id, req.body as never)),
  );

  app.get(
    '/api/v1/injury/cases/:id/documents/:docId',
    {
      config: { action: 'injury.read' },
      schema: {
        tags,
        summary: '下载材料 / A document’s content',
        params: Type.Object({ id: RowId, docId: RowId }),
        response: { 200: Type.String({ format: 'binary' }), ...errors },
      },
    },
    async (req, reply) => {
      const d = await s.cases.documentContent(actorOf(req), req.params.id, req.params.docId);
      return reply
        .type(d.mediaType)
        .header('content-disposition', attachment(`document-${req.params.docId}`))
        .header('x-content-type-options', 'nosniff')
        .send(d.content);
    },
  );

  app.post(
    '/api/v1/injury/cases/:id/accept',
    {
      config: { action: 'injury.handle' },
      schema: {
        tags,
        summary: '受理 / Accept the application (starts the 60-day, or for a clear-cut case 15-day, clock)',
        params: IdParams,
        body: Type.Object({ simpleCase: Type.Optional(Type.Boolean()) }, strict),
        response: { 200: Case, ...errors },
      },
    },
    async (req) => s.recognition.accept(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/v1/injury/cases/:id/suspend',
    {
      config: { action: 'injury.handle' },
      schema: {
        tags,
        summary: '中止 / Suspend: the clock stops while another authority’s conclusion is awaited',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, strict),
        response: { 200: Case, ...errors },
      },
    },
    async (req) => s.recognition.suspend(actorOf(req), req.params.id, req.body.reason),
  );

  app.post(
    '/api/v1/injury/cases/:id/resume',
    {
      config: { action: 'injury.handle' },
      schema: {
        tags,
        summary: '恢复 / Resume after the awaited conclusion arrived',
        params: IdParams,
        response: { 200: Case, ...errors },
      },
    },
    async (req) => s.recognition.resume(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/injury/cases/:id/withdraw',
    {
      config: { action: 'injury.report' },
      schema: {
        tags,
        summary: '撤回申请 / Withdraw the application before the decision',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, strict),
        response: { 200: Case, ...errors },
      },
    },
    async (req) => s.recognition.withdraw(actorOf(req), req.params.id, req.body.reason),
  );

  app.post(
    '/api/v1/injury/cases/:id/decision',
    {
      config: { action: 'injury.handle' },
      schema: {
        tags,
        summary:
          '认定意见 / Propose the recognition decision; a reviewer releases it (POST /api/v1/approvals/{id}/release)',
        params: IdParams,
        body: Type.Object({ outcome: oneOf(RECOGNITION_OUTCOMES), note: Note }, strict),
        response: { 201: ApprovalSchema, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await s.recognition.propose(actorOf(req), req.params.id, req.body)),
  );

  app.get(
    '/api/v1/injury/cases/:id/letter',
    {
      config: { action: 'injury.read' },
      schema: {
        tags,
        summary: '认定决定书 / The decision letter (for the worker, the employer and the agency)',
        params: IdParams,
        response: {
          200: Type.Object({
            number: Type.String(),
            title: Type.String(),
            paragraphs: Type.Array(Type.String()),
            decidedDate: Type.String(),
            issuer: Type.String(),
          }),
          ...errors,
        },
      },
    },
    async (req) => s.recognition.letter(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/injury/cases/:id/appraisals',
    {
      config: { action: 'injury.handle' },
      schema: {
        tags,
        summary:
          '劳动能力鉴定申请 / Record an appraisal application (initial, re-appraisal within 15 days, review after 1 year)',
        params: IdParams,
        body: Type.Object(
          {
            kind: oneOf(APPRAISAL_KINDS),
            receivedDate: IsoDateString,
          },
          strict,
        ),
        response: { 201: Case, ...errors },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await s.appraisals.openAppraisal(actorOf(req), req.params.id, req.body)),
  );

  app.post(
    '/api/v1/injury/cases/:id/appraisals/:appraisalId/conclusion',
    {
      config: { action: 'injury.handle' },
      schema: {
        tags,
        summary:
          '鉴定结论 / Record the committee’s conclusion: grade 1–10 (null: no grade), nursing level, date',
        params: Type.Object({ id: RowId, appraisalId: RowId }),
        body: Type.Object(
          {
            conclusionDate: IsoDateString,
            grade: N(Type.Integer({ minimum: 1, maximum: 10 })),
            nursingLevel: Nursing,
          },
          strict,
        ),
        response: { 200: Case, ...errors },
      },
    },
    async (req) =>
      s.appraisals.concludeAppraisal(actorOf(req), req.params.id, req.params.appraisalId, req.body as never),
  );

  app.post(
    '/api/v1/injury/cases/:id/benefits',
    {
      config: { action: 'injury.handle' },
      schema: {
        tags,
        summary:
          '待遇核定 / Compute a benefit with the rules and prepare it for a reviewer (money moves on release)',
        description:
          'Uninsured employer: every item is owed by the employer; advance: true has the fund pay a lump sum first and open a recovery against the employer (先行支付).',
        params: IdParams,
        body: Type.Object(
          {
            kind: BenefitKind,
            amountFen: Type.Optional(FenInput(1)),
            relationEndedDate: Type.Optional(IsoDateString),
            deathDate: Type.Optional(IsoDateString),
            dependents: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    relation: oneOf(DEPENDENT_RELATIONS),
                    alone: Type.Optional(Type.Boolean()),
                  },
                  strict,
                ),
                { maxItems: 20 },
              ),
            ),
            advance: Type.Optional(Type.Boolean()),
            regionalAverageWageFen: Type.Optional(FenInput(1, 'wage')),
          },
          strict,
        ),
        response: {
          201: Type.Composite([
            ApprovalSchema,
            Type.Object({
              benefit: Type.Object({
                caseId: Type.Integer(),
                kind: Type.String(),
                payer: Type.String(),
                advanced: Type.Boolean(),
                monthly: Type.Boolean(),
                amountFen: Type.Integer(),
                fromPeriod: N(Type.String()),
                appraisalId: N(Type.Integer()),
                inputs: Type.Unknown(),
                trace: TraceSchema,
              }),
            }),
          ]),
          ...errors,
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await s.benefits.proposeBenefit(actorOf(req), req.params.id, req.body as never)),
  );

  app.get(
    '/api/v1/injury/owed',
    {
      config: { action: 'injury.owed' },
      schema: {
        tags,
        summary:
          '单位应付工伤待遇 / What the employer owes its injured workers, and the fund’s advances to repay',
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                caseId: Type.Integer(),
                benefitId: Type.Integer(),
                personName: Type.String(),
                kind: Type.String(),
                monthly: Type.Boolean(),
                amountFen: Type.Integer(),
                fromPeriod: N(Type.String()),
                advanced: Type.Boolean(),
                recoveryOpenFen: Type.Integer(),
              }),
            ),
            lumpSumFen: Type.Integer(),
            monthlyFen: Type.Integer(),
            recoveryOpenFen: Type.Integer(),
          }),
          ...errors,
        },
      },
    },
    async (req) => s.benefits.owed(actorOf(req)),
  );

  app.get(
    '/api/v1/injury/payroll',
    {
      config: { action: 'payroll.read' },
      schema: {
        tags,
        summary: '工伤定期待遇发放批次 / The allowance payroll runs of the staff member’s region',
        response: { 200: Type.Object({ items: Type.Array(PayrollSummary) }), ...errors },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return { items: await listInjuryPayrollRuns(ctx.db, regionLikePattern(actor.region ?? '')) };
    },
  );

  app.post(
    '/api/v1/injury/payroll',
    {
      config: { action: 'injury.payroll' },
      schema: {
        tags,
        summary: '准备工伤定期待遇发放 / Prepare the month’s allowance payroll; a reviewer releases it',
        body: Type.Object({ period: PeriodString, region: Type.Optional(RegionCode) }, strict),
        response: { 201: ApprovalSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const region = req.body.region ?? actor.region ?? '000000';
      authorize(actor, 'injury.payroll', { region });
      const period = parsePeriod(req.body.period);
      // as the pension's and the unemployment payroll's: not after next month, refused now rather than at release
      checkRunPeriod(period);
      const preview = await injuryPayrollSummary(ctx.db, { period, region });
      return reply.status(201).send(
        await new ApprovalService(ctx.db).prepare(actor, {
          kind: 'injury-payroll',
          dedupeKey: `${region}:${period}`,
          region,
          subjectPersonId: null,
          payload: { period, region },
          summary: { period, region, status: preview.status },
        }),
      );
    },
  );

  app.get(
    '/api/v1/injury/statistics',
    {
      config: { action: 'injury.statistics' },
      schema: {
        tags,
        summary: '工伤统计 / Injuries by industry class and by employer in the region',
        querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }),
        response: {
          200: Type.Object({
            byIndustry: Type.Array(
              Type.Object({
                industryClass: Type.Integer(),
                cases: Type.Integer(),
                recognised: Type.Integer(),
              }),
            ),
            byEmployer: Type.Array(
              Type.Object({
                employerId: Type.Integer(),
                employerName: Type.String(),
                industryClass: Type.Integer(),
                cases: Type.Integer(),
                recognised: Type.Integer(),
              }),
            ),
            total: Type.Integer(),
          }),
          ...errors,
        },
      },
    },
    async (req) => s.cases.statistics(actorOf(req), { year: req.query.year }),
  );
};
