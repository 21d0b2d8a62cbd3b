// /api/v1/certification/…: campaigns (counts, the uncertified, the deadline sweep), self-service face
// check (nonce → vendor's signed result → verified; a demo vendor simulator when enabled), the
// home-visit register and visits, data-comparison imports; /api/v1/persons/{id}/certification.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses, IsoDateString, Paged, PageQuery, RowId } from '../http/schemas.ts';
import { enqueueJob, JobQueuedSchema } from '../http/background-jobs.ts';
import { actorOf } from '../http/session.plugin.ts';
import { CampaignService } from './campaign.service.ts';
import { CertificationStatusService } from './certification.service.ts';
import { DataImportService } from './data-import.service.ts';
import { linesOf } from './import-lines.ts';
import { HomeVisitService } from './home-visit.service.ts';
import { isDemoDatabase } from '../db/platform-meta.ts';
import { simulatorEnabled, simulatorVendorKey } from './liveness-simulator.ts';
import { minScoreFromEnv, SignedResultProvider, vendorKeysFromEnv } from './liveness.provider.ts';
import { SelfCertificationService } from './self-service.service.ts';

const IdParams = Type.Object({ id: RowId });
const Region = Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 行政区划代码' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const tags = ['certification'];

const Campaign = Type.Object({
  id: Type.Integer(),
  region: Type.String(),
  year: Type.Integer(),
  windowStart: Type.String({ description: '12-month service period start (deadline − 12 months + 1 day)' }),
  deadline: Type.String(),
  suspendFromPeriod: Type.String(),
  status: Type.String(),
  sweptAt: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
});
const Counts = Type.Object({
  pensioners: Type.Integer(),
  certified: Type.Integer(),
  uncertified: Type.Integer(),
  suspended: Type.Integer(),
  restored: Type.Integer(),
  byChannel: Type.Record(Type.String(), Type.Integer()),
});
const Restoration = Type.Object({
  awardId: Type.Integer(),
  suspensionId: Type.Integer(),
  arrearsFen: Type.Integer(),
  fromPeriod: Nullable(Type.String()),
  toPeriod: Nullable(Type.String()),
});
const LineError = Type.Object({
  line: Type.Integer(),
  field: Type.String(),
  reason: Type.String(),
  reasonZh: Type.String(),
});
const ImportCounts = Type.Record(Type.String(), Type.Integer());
const ImportKind = Type.Union([
  Type.Literal('death'),
  Type.Literal('hospital'),
  Type.Literal('transit'),
  Type.Literal('card'),
]);

/** The background job kind of the deadline sweep (run by the server's worker, src/http/background-jobs.ts). */
export const SWEEP_JOB = 'certification.sweep';

export const certificationRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const campaigns = new CampaignService(ctx.db);
  const visits = new HomeVisitService(ctx.db);
  const imports = new DataImportService(ctx.db);
  const status = new CertificationStatusService(ctx.db);
  // Trusted vendors come from configuration; the demo simulator's key is trusted only while it is enabled.
  // The demo vendor simulator only on a database the demo seed marked as a demo (never a real one).
  const simulator = simulatorEnabled(await isDemoDatabase(ctx.db));
  const provider = new SignedResultProvider(
    [...vendorKeysFromEnv(), ...(simulator ? [simulatorVendorKey()] : [])],
    minScoreFromEnv(),
  );
  const self = new SelfCertificationService(ctx.db, provider, { simulator });

  app.post(
    '/api/v1/certification/campaigns',
    {
      config: { action: 'certification.campaign' },
      schema: {
        tags,
        summary: '创建年度认证批次 / Open a yearly certification campaign',
        description:
          'One per region and year. Deadline default: 31 December, and not passed (a campaign opened after its deadline could suspend at once those it never asked). Each pensioner must be certified at least once in the 12 months ending on the deadline.',
        body: Type.Object(
          {
            region: Region,
            year: Type.Integer({ minimum: 2018, maximum: 2200 }),
            deadline: Type.Optional(IsoDateString),
          },
          { additionalProperties: false },
        ),
        response: { 201: Campaign, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await campaigns.create(actorOf(req), req.body)),
  );

  app.get(
    '/api/v1/certification/campaigns',
    {
      config: { action: 'certification.read' },
      schema: {
        tags,
        summary: '认证批次 / Campaigns of a region',
        querystring: Type.Object({ region: Type.Optional(Region) }),
        response: { 200: Type.Array(Campaign), ...errorResponses },
      },
    },
    async (req) => campaigns.list(actorOf(req), req.query.region),
  );

  app.get(
    '/api/v1/certification/campaigns/:id',
    {
      config: { action: 'certification.read' },
      schema: {
        tags,
        summary: '认证批次进度（按渠道）/ Campaign with counts by channel',
        params: IdParams,
        response: { 200: Type.Intersect([Campaign, Type.Object({ counts: Counts })]), ...errorResponses },
      },
    },
    async (req) => campaigns.get(actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/certification/campaigns/:id/uncertified',
    {
      config: { action: 'certification.read' },
      schema: {
        tags,
        summary: '尚未认证人员 / People not yet certified (oldest first)',
        params: IdParams,
        querystring: Type.Object(PageQuery),
        response: {
          200: Paged(
            Type.Object({
              personId: Type.Integer(),
              idNumber: Type.String(),
              name: Type.String(),
              birthDate: Type.String(),
              region: Type.String(),
              awardId: Type.Integer(),
              awardStatus: Type.String(),
              lastCertifiedOn: Nullable(Type.String()),
              onVisitRegister: Type.Boolean(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      campaigns.uncertified(actorOf(req), req.params.id, req.query.page ?? 1, req.query.pageSize ?? 20),
  );

  app.post(
    '/api/v1/certification/campaigns/:id/sweep',
    {
      config: { action: 'certification.campaign' },
      schema: {
        tags,
        summary: '截止日后暂停未认证人员待遇 / Deadline sweep: suspend the uncertified',
        description:
          'Queued as a background job (202 with its id; GET /api/v1/jobs/{id} shows progress and the result: suspended, chunks, suspendedFromPeriod). Idempotent and resumable (job_run): a second start while one runs answers the same job. 409 before the deadline has passed.',
        params: IdParams,
        response: { 202: JobQueuedSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const c = await campaigns.sweepable(actor, req.params.id);
      const job = await enqueueJob(ctx.db, actor, {
        kind: SWEEP_JOB,
        key: String(c.id),
        params: { campaignId: c.id },
        region: c.region,
      });
      app.kickJobs();
      return reply.status(202).send(job);
    },
  );

  // ---- self-service face check ----

  app.post(
    '/api/v1/persons/:id/certification/challenge',
    {
      config: { action: 'certification.self' },
      schema: {
        tags,
        summary: '发起人脸识别认证 / Start a face check: a single-use nonce',
        description:
          'Hand the nonce to the liveness vendor\u2019s SDK; it returns a signed result for POST …/certification/self.',
        params: IdParams,
        response: {
          201: Type.Object({
            nonce: Type.String(),
            expiresAt: Type.String(),
            vendors: Type.Array(Type.String()),
            simulator: Type.Boolean(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => reply.status(201).send(await self.challenge(actorOf(req), req.params.id)),
  );

  app.post(
    '/api/v1/persons/:id/certification/self',
    {
      config: { action: 'certification.self' },
      schema: {
        tags,
        summary: '提交人脸识别认证结果 / Submit the vendor\u2019s signed result',
        description:
          'Refused (422 SB_ERR_LIVENESS_REJECTED) for a bad signature, an unknown vendor, an expired result, a used/expired/foreign nonce, another person or a low score.',
        params: IdParams,
        body: Type.Object(
          { result: Type.String({ minLength: 10, maxLength: 8192 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            certificationId: Type.Integer(),
            certifiedOn: Type.String(),
            channel: Type.Literal('self'),
            vendor: Type.String(),
            score: Type.Number(),
            restorations: Type.Array(Restoration),
          }),
          422: Type.Ref('ErrorResponse'),
          ...errorResponses,
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await self.submit(actorOf(req), req.params.id, req.body.result)),
  );

  if (simulator) {
    app.post(
      '/api/v1/persons/:id/certification/simulate',
      {
        config: { action: 'certification.self' },
        schema: {
          tags,
          summary: '演示：模拟人脸识别服务商 / Demo only: the vendor simulator signs a result',
          description:
            'Only on a database seeded as a demo (the demo seed marks it), unless SHEBAO_LIVENESS_SIMULATOR=false; absent on any other database.',
          params: IdParams,
          body: Type.Object(
            {
              nonce: Type.String({ minLength: 16, maxLength: 128 }),
              score: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ result: Type.String() }), ...errorResponses },
        },
      },
      async (req) => self.simulate(actorOf(req), req.params.id, req.body),
    );
  }

  app.get(
    '/api/v1/persons/:id/certification',
    {
      config: { action: 'certification.status' },
      schema: {
        tags,
        summary: '认证状态 / Certification status, suspensions and notices',
        params: IdParams,
        response: {
          200: Type.Object({
            personId: Type.Integer(),
            lastCertifiedOn: Nullable(Type.String()),
            certifications: Type.Array(
              Type.Object({
                id: Type.Integer(),
                certifiedOn: Type.String(),
                channel: Type.String(),
                source: Type.String(),
                recordedBy: Type.String(),
                recordedAt: Type.String(),
              }),
            ),
            suspensions: Type.Array(
              Type.Object({
                id: Type.Integer(),
                campaignId: Type.Integer(),
                awardId: Type.Integer(),
                suspendedFromPeriod: Type.String(),
                restoredAt: Nullable(Type.String()),
                restoredFromPeriod: Nullable(Type.String()),
                arrearsKey: Nullable(Type.String()),
              }),
            ),
            notices: Type.Array(
              Type.Object({
                id: Type.Integer(),
                kind: Type.String(),
                campaignId: Nullable(Type.Integer()),
                detail: Type.Unknown(),
                createdAt: Type.String(),
              }),
            ),
            onVisitRegister: Nullable(
              Type.Object({ reason: Type.String(), note: Nullable(Type.String()), addedAt: Type.String() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => status.status(actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/persons/:id/certification/history',
    {
      config: { action: 'certification.read' },
      schema: {
        tags,
        summary: '认证记录（经办） / A person\u2019s certifications as the agency reads them',
        description:
          "Staff of the person's region (audited as a read; another region's person answers 404 as an unknown one): where the pensioner stands now (deceased, not a pensioner, suspended for not certifying, no campaign yet, not due — the pension started inside the window, certified in the campaign's window, due), the campaign that governs it, the latest restoration, every certification newest first with its source in parts (face check: vendor and result; home visit or counter: the clerk; data comparison: the file, its kind and line, and for card uses the registered terminal that saw the card that day and its region), and the suspensions.",
        params: IdParams,
        response: {
          200: Type.Object({
            personId: Type.Integer(),
            state: Type.Union(
              ['deceased', 'not_pensioner', 'suspended', 'no_campaign', 'not_due', 'certified', 'due'].map(
                (x) => Type.Literal(x),
              ),
            ),
            suspendedFromPeriod: Nullable(Type.String()),
            campaign: Nullable(
              Type.Object({
                id: Type.Integer(),
                year: Type.Integer(),
                windowStart: Type.String(),
                deadline: Type.String(),
                swept: Type.Boolean(),
                certifiedOn: Nullable(Type.String()),
              }),
            ),
            lastCertifiedOn: Nullable(Type.String()),
            restoration: Nullable(
              Type.Object({
                year: Type.Integer(),
                suspendedFromPeriod: Type.String(),
                restoredAt: Nullable(Type.String()),
                restoredFromPeriod: Nullable(Type.String()),
              }),
            ),
            certifications: Type.Array(
              Type.Object({
                id: Type.Integer(),
                certifiedOn: Type.String(),
                channel: Type.String(),
                source: Type.Object({
                  kind: Type.Union(
                    ['liveness', 'visit', 'counter', 'import', 'other'].map((x) => Type.Literal(x)),
                  ),
                  ref: Type.String(),
                  vendor: Nullable(Type.String()),
                  resultId: Nullable(Type.String()),
                  clerk: Nullable(Type.String()),
                  importId: Nullable(Type.Integer()),
                  importKind: Nullable(Type.String()),
                  filename: Nullable(Type.String()),
                  line: Nullable(Type.Integer()),
                  terminal: Nullable(
                    Type.Object({
                      terminalId: Type.String(),
                      name: Type.String(),
                      kind: Type.String(),
                      region: Type.String(),
                    }),
                  ),
                }),
                recordedBy: Type.String(),
                recordedAt: Type.String(),
              }),
            ),
            suspensions: Type.Array(
              Type.Object({
                id: Type.Integer(),
                campaignId: Type.Integer(),
                year: Type.Integer(),
                awardId: Type.Integer(),
                suspendedFromPeriod: Type.String(),
                suspendedAt: Type.String(),
                restoredAt: Nullable(Type.String()),
                restoredFromPeriod: Nullable(Type.String()),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => status.history(actorOf(req), req.params.id),
  );

  // ---- home visits ----

  const RegisterReason = Type.Union([
    Type.Literal('very_old'),
    Type.Literal('bedridden'),
    Type.Literal('disabled'),
    Type.Literal('other'),
  ]);

  app.get(
    '/api/v1/certification/visit-register',
    {
      config: { action: 'certification.read' },
      schema: {
        tags,
        summary: '上门认证名册 / Home-visit register',
        querystring: Type.Object({ region: Type.Optional(Region), ...PageQuery }),
        response: {
          200: Paged(
            Type.Object({
              personId: Type.Integer(),
              name: Type.String(),
              idNumber: Type.String(),
              birthDate: Type.String(),
              region: Type.String(),
              reason: Type.String(),
              note: Nullable(Type.String()),
              addedBy: Type.String(),
              addedAt: Type.String(),
              lastVisitedOn: Nullable(Type.String()),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      visits.listRegister(actorOf(req), req.query.region, req.query.page ?? 1, req.query.pageSize ?? 20),
  );

  app.post(
    '/api/v1/certification/visit-register',
    {
      config: { action: 'certification.visit' },
      schema: {
        tags,
        summary: '加入上门认证名册 / Add a person to the home-visit register',
        body: Type.Object(
          {
            personId: RowId,
            reason: RegisterReason,
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            id: Type.Integer(),
            personId: Type.Integer(),
            reason: Type.String(),
            note: Nullable(Type.String()),
            addedBy: Type.String(),
            addedAt: Type.String(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => reply.status(201).send(await visits.addToRegister(actorOf(req), req.body)),
  );

  app.post(
    '/api/v1/certification/visit-register/:id/remove',
    {
      config: { action: 'certification.visit' },
      schema: {
        tags,
        summary: '移出上门认证名册 / Remove a person (id = person id) from the register, with a reason',
        params: IdParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ removed: Type.Literal(true) }), ...errorResponses },
      },
    },
    async (req) => visits.removeFromRegister(actorOf(req), req.params.id, req.body.reason),
  );

  app.post(
    '/api/v1/certification/visits',
    {
      config: { action: 'certification.visit' },
      schema: {
        tags,
        summary: '登记上门认证结果 / Record a home visit',
        description:
          'alive → certified (channel visit) and any suspension lifted; deceased → the death is recorded in the registry (deathDate required); not_met → kept for the record.',
        body: Type.Object(
          {
            personId: RowId,
            visitedOn: IsoDateString,
            outcome: Type.Union([Type.Literal('alive'), Type.Literal('deceased'), Type.Literal('not_met')]),
            deathDate: Type.Optional(IsoDateString),
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            visitId: Type.Integer(),
            outcome: Type.String(),
            certificationId: Nullable(Type.Integer()),
            restorations: Type.Array(Restoration),
            deathRecorded: Type.Boolean(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => reply.status(201).send(await visits.recordVisit(actorOf(req), req.body)),
  );

  // ---- data comparison ----

  app.post(
    '/api/v1/certification/imports',
    {
      config: { action: 'certification.import' },
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        tags,
        summary: '数据比对导入 / Import death, hospital, transit or card records (CSV)',
        description:
          'Formats in docs/certification.md. Every line is checked; any bad line → 400 SB_ERR_INVALID_UPLOAD with every error (line, field, reason) and nothing written. The same file again answers the first import (status replayed).',
        body: Type.Object(
          {
            kind: ImportKind,
            region: Region,
            filename: Type.Optional(Type.String({ maxLength: 200 })),
            csv: Type.String({ maxLength: 60 * 1024 * 1024 }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            status: Type.String(),
            importId: Type.Integer(),
            kind: Type.String(),
            region: Type.String(),
            counts: ImportCounts,
          }),
          200: Type.Object({
            status: Type.String(),
            importId: Type.Integer(),
            kind: Type.String(),
            region: Type.String(),
            counts: ImportCounts,
          }),
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
      const b = req.body;
      const r = await imports.import(actorOf(req), {
        kind: b.kind,
        region: b.region,
        filename: b.filename,
        lines: linesOf(b.csv),
      });
      if (r.status === 'rejected') {
        return reply.status(400).send({
          error: {
            code: 'SB_ERR_INVALID_UPLOAD',
            message: `文件有 ${r.errorCount} 处错误，未写入任何数据 / The file has ${r.errorCount} errors; nothing was written`,
          },
          errors: r.errors,
          errorCount: r.errorCount,
        });
      }
      return reply.status(r.status === 'imported' ? 201 : 200).send(r);
    },
  );

  app.get(
    '/api/v1/certification/imports/:id',
    {
      config: { action: 'certification.read' },
      schema: {
        tags,
        summary: '数据比对导入结果 / An import and its death matches',
        params: IdParams,
        response: {
          200: Type.Object({
            id: Type.Integer(),
            kind: Type.String(),
            region: Type.String(),
            filename: Nullable(Type.String()),
            lines: Type.Integer(),
            status: Type.String(),
            counts: ImportCounts,
            createdBy: Type.String(),
            createdAt: Type.String(),
            deaths: Type.Array(
              Type.Object({
                personId: Type.Integer(),
                deathDate: Type.String(),
                line: Type.Integer(),
                status: Type.String(),
                detail: Nullable(Type.String()),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => imports.get(actorOf(req), req.params.id),
  );
};
