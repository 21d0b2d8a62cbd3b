// The skill-upgrade subsidy (技能提升补贴) and its certificate register over HTTP: the citizen's
// certificates and applications, applying, the staff queue, the clerk's proposed decision (released
// by a reviewer through /api/v1/approvals/{id}/release), and the register's CSV import.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { ApprovalSchema } from '../approval/approval.schema.ts';
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
import { CertificateRegisterService } from './certificate-register.service.ts';
import { SkillSubsidyService } from './skill-subsidy.service.ts';

const Str = Type.Union([Type.String(), Type.Null()]);
const CertificateNo = Type.String({ minLength: 6, maxLength: 40, pattern: '^[A-Za-z0-9-]+$' });

const ApplicationSchema = Type.Object({
  id: Type.Integer(),
  personId: Type.Integer(),
  personName: Type.String(),
  region: Type.String(),
  certificate: Type.Object({
    certificateNo: Type.String(),
    occupation: Type.String(),
    level: Type.Integer(),
    issueDate: Type.String(),
    issuer: Type.String(),
  }),
  appliedOn: Type.String(),
  contributionMonths: Type.Integer(),
  eligible: Type.Boolean(),
  amountFen: Type.Integer(),
  reason: Str,
  reasonZh: Str,
  trace: TraceSchema,
  status: Type.String(),
  decisionNote: Str,
  decidedBy: Str,
  decidedAt: Str,
  paidOn: Str,
  bankName: Str,
  bankAccount: Str,
  pendingApprovalId: Type.Union([Type.Integer(), Type.Null()]),
});

const LineError = Type.Object({
  line: Type.Integer(),
  field: Type.String(),
  reason: Type.String(),
  reasonZh: Type.String(),
});

export const skillSubsidyRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = new SkillSubsidyService(ctx.db, ctx.params);
  const register = new CertificateRegisterService(ctx.db);
  const tags = ['unemployment'];
  const with422 = { 422: Type.Ref(ErrorResponse), ...errorResponses };

  app.get(
    '/api/v1/persons/:id/skill-subsidies',
    {
      config: { action: 'skill-subsidy.read' },
      schema: {
        tags,
        summary:
          '我的技能证书与补贴申请 / The person’s certificates in the register and subsidy applications',
        params: Type.Object({ id: RowId }),
        response: {
          200: Type.Object({
            certificates: Type.Array(
              Type.Object({
                certificateNo: Type.String(),
                occupation: Type.String(),
                level: Type.Integer(),
                issueDate: Type.String(),
                issuer: Type.String(),
                applicationId: Type.Union([Type.Integer(), Type.Null()]),
                applicationStatus: Str,
              }),
            ),
            applications: Type.Array(ApplicationSchema),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => svc.mine(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/unemployment/skill-subsidies',
    {
      config: { action: 'skill-subsidy.apply' },
      schema: {
        tags,
        summary: '申领技能提升补贴 / Apply for the skill-upgrade subsidy with a certificate in the register',
        description:
          'The certificate must be in the register in the applicant’s name (otherwise 404, the same for someone else’s number and an unknown one). The rule’s result and trace come back at once; a clerk and a reviewer decide.',
        body: Type.Object(
          { certificateNo: CertificateNo, personId: Type.Optional(RowId) },
          { additionalProperties: false },
        ),
        response: { 201: ApplicationSchema, ...with422 },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await svc.apply(actorOf(req), {
          certificateNo: req.body.certificateNo,
          personId: req.body.personId,
        }),
      ),
  );

  app.get(
    '/api/v1/unemployment/skill-subsidies/:id',
    {
      config: { action: 'skill-subsidy.read' },
      schema: {
        tags,
        summary: '技能提升补贴申请 / One application with its decision',
        params: Type.Object({ id: RowId }),
        response: { 200: ApplicationSchema, ...errorResponses },
      },
    },
    async (req) => svc.get(actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/unemployment/skill-subsidies',
    {
      config: { action: 'skill-subsidy.read' },
      schema: {
        tags,
        summary: '技能提升补贴待办 / The region’s applications (staff)',
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([
              Type.Literal('submitted'),
              Type.Literal('approved'),
              Type.Literal('rejected'),
              Type.Literal('paid'),
            ]),
          ),
          ...PageQuery,
        }),
        response: { 200: Paged(ApplicationSchema), ...errorResponses },
      },
    },
    async (req) =>
      svc.queue(actorOf(req), {
        status: req.query.status,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      }),
  );

  app.post(
    '/api/v1/unemployment/skill-subsidies/:id/decision',
    {
      config: { action: 'skill-subsidy.decide' },
      schema: {
        tags,
        summary: '提出技能提升补贴决定 / Propose the decision (a reviewer releases it)',
        description:
          'grant: pays the rule’s amount to the person’s bank account on release. Refusing an eligible application needs a note; refusing an ineligible one defaults to the rule’s reason.',
        params: Type.Object({ id: RowId }),
        body: Type.Object(
          { grant: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false },
        ),
        response: { 200: ApprovalSchema, ...with422 },
      },
    },
    async (req) => svc.proposeDecision(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/v1/unemployment/certificate-register/imports',
    {
      config: { action: 'certificate-register.import' },
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags,
        summary: '导入职业技能证书库 / Import the vocational certificate register (CSV)',
        description:
          'Columns: certificate_no,id_number,name,occupation,level,issue_date,issuer. Every line is checked; any bad line → 400 SB_ERR_INVALID_UPLOAD with every error (line, field, reason) and nothing written. The same file twice → 409.',
        body: Type.Object(
          {
            csv: Type.String({ maxLength: 30 * 1024 * 1024 }),
            filename: Type.Optional(Type.String({ maxLength: 200 })),
            region: Type.Optional(RegionCode),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ status: Type.String(), importId: Type.Integer(), rows: Type.Integer() }),
          400: Type.Object({
            error: Type.Object({
              code: Type.String(),
              message: Type.String(),
              field: Type.Optional(Type.String()),
            }),
            errors: Type.Optional(Type.Array(LineError)),
            errorCount: Type.Optional(Type.Integer()),
          }),
          401: errorResponses[401],
          403: errorResponses[403],
          404: errorResponses[404],
          409: errorResponses[409],
        },
      },
    },
    async (req, reply) => {
      const r = await register.import(actorOf(req), req.body);
      if (r.status === 'rejected')
        return reply.status(400).send({
          error: {
            code: 'SB_ERR_INVALID_UPLOAD',
            message: `文件有 ${r.errorCount} 处错误，未写入任何数据 / The file has ${r.errorCount} errors; nothing was written`,
          },
          errors: r.errors,
          errorCount: r.errorCount,
        });
      return reply.status(201).send(r);
    },
  );

  app.get(
    '/api/v1/unemployment/certificate-register/imports',
    {
      config: { action: 'certificate-register.read' },
      schema: {
        tags,
        summary: '证书库导入记录 / The register’s imports in the region',
        response: {
          200: Type.Object({
            certificates: Type.Integer(),
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                region: Type.String(),
                filename: Str,
                rows: Type.Integer(),
                createdBy: Type.String(),
                createdAt: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => register.imports(actorOf(req)),
  );

  app.get(
    '/api/v1/unemployment/certificate-register/:certificateNo',
    {
      config: { action: 'certificate-register.read' },
      schema: {
        tags,
        summary: '查询证书 / Look up a certificate (ID number masked)',
        params: Type.Object({ certificateNo: CertificateNo }),
        response: {
          200: Type.Object({
            certificateNo: Type.String(),
            idNumber: Type.String(),
            name: Type.String(),
            occupation: Type.String(),
            level: Type.Integer(),
            issueDate: Type.String(),
            issuer: Type.String(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => register.find(actorOf(req), req.params.certificateNo),
  );
};
