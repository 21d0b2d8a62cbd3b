// Assembly of the HTTP app: plugins, error shape, OpenAPI, and every capability's routes.
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from './app-context.ts';
import { approvalKinds } from './approval-kinds.ts';
import { approvalRoutes } from './approval/approval.routes.ts';
import { AUDIT_ACTIONS } from './audit-actions.ts';
import { auditCodeWords } from './audit-code-words.ts';
import { auditRoutes } from './audit/audit.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { userRoutes } from './auth/user.routes.ts';
import { calcRoutes } from './calc/calc.routes.ts';
import { cardRoutes } from './cards/card.routes.ts';
import { contributionRoutes } from './contributions/contribution.routes.ts';
import { onlinePaymentRoutes } from './contributions/online-payment.routes.ts';
import { CONTRIBUTION_CHECKS } from './contributions/ledger-checks.repository.ts';
import { PENSION_CHECKS } from './pension/ledger-checks.repository.ts';
import { recoveryCollectionRoutes } from './pension/recovery-collection.routes.ts';
import { ledgerRoutes } from './ledger/ledger.routes.ts';
import { certificationRoutes } from './certification/certification.routes.ts';
import { checkTextDeep, checkUploadText } from './core/text.ts';
import { installResponseCheck } from './http/response-check.ts';
import { hallRoutes } from './hall/hall.routes.ts';
import { injuryRoutes } from './injury/injury.routes.ts';
import { hospitalRoutes } from './injury/hospital.routes.ts';
import { rehabRoutes } from './injury/rehab.routes.ts';
import { SETTLEMENT_CHECKS } from './injury/settlement.job.ts';
import { installJsonBodyParser } from './http/json-body.ts';
import { installErrorHandler } from './http/errors.ts';
import { refuseFixedTodayOnRealDatabase } from './db/platform-meta.ts';
import { isApiPath, normalizePath } from './http/path.ts';
import { ErrorResponse } from './http/schemas.ts';
import { personalPensionRoutes } from './pension/personal-pension.routes.ts';
import { installAuditWriter } from './audit/audit-queue.ts';
import {
  APPROVAL_JOB_PREFIX,
  installJobWorker,
  jobRoutes,
  type JobKind,
  type JobKinds,
} from './http/background-jobs.ts';
import { ApprovalService, type ApprovalKinds } from './approval/approval.service.ts';
import { ContributionService } from './contributions/contribution.service.ts';
import { ASSESS_JOB } from './contributions/contribution.routes.ts';
import { runRefundScan } from './unemployment/refund.job.ts';
import { REFUND_SCAN_JOB } from './unemployment/refund.routes.ts';
import { CampaignService } from './certification/campaign.service.ts';
import { SWEEP_KIND } from './certification/certification-sweep.job.ts';
import { SWEEP_JOB } from './certification/certification.routes.ts';
import { securityHeadersPlugin } from './http/security-headers.ts';
import { sessionPlugin } from './http/session.plugin.ts';
import { webPlugin } from './http/web.plugin.ts';
import { pensionRoutes } from './pension/pension.routes.ts';
import { registryRoutes } from './registry/registry.routes.ts';
import { makePublicLookupLimit } from './http/public-lookup-limit.ts';
import { statisticsRoutes } from './statistics/statistics.routes.ts';
import { scanRoutes } from './supervision/scan.routes.ts';
import { supervisionCaseRoutes } from './supervision/case.routes.ts';
import { simulationRoutes } from './simulation/simulation.routes.ts';
import { nodeRoleRoutes, SINGLE_NODE, type NodeRole } from './ops/federation-role.ts';
import { unemploymentRoutes } from './unemployment/unemployment.routes.ts';
import { VERSION } from './version.ts';
import { refundRoutes } from './unemployment/refund.routes.ts';
import { REFUND_CHECKS } from './unemployment/refund.service.ts';
import { SKILL_SUBSIDY_CHECKS } from './unemployment/skill-subsidy.service.ts';
import { skillSubsidyRoutes } from './unemployment/skill-subsidy.routes.ts';

/** The validator the server builds for a request part (route-schemas.db.test.ts probes schemas with it). */
export function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: false,
    coerceTypes: coerce ? 'array' : false,
    useDefaults: true,
    removeAdditional: false,
    strict: false,
  });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

export interface RouteInfo {
  method: string;
  url: string;
  public: boolean;
  action: string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its access rule, for the route × role test and the docs. */
    routeTable: RouteInfo[];
  }
}

/** The background job kinds the pages start (src/http/background-jobs.ts); each job is resumable. */
function backgroundJobKinds(ctx: AppContext, approvals: ApprovalKinds): JobKinds {
  const jobRunProgress =
    (kind: string, key: (params: unknown) => string): NonNullable<JobKind['progress']> =>
    async (db, params) => {
      const r = await db
        .selectFrom('job_run')
        .select(['done', 'total'])
        .where('kind', '=', kind)
        .where('key', '=', key(params))
        .executeTakeFirst();
      return r ? { done: Number(r.done), total: Number(r.total) } : null;
    };
  const kinds: JobKind[] = [
    {
      kind: SWEEP_JOB,
      action: 'certification.campaign',
      run: (actor, params) =>
        new CampaignService(ctx.db).sweep(actor, (params as { campaignId: number }).campaignId),
      progress: jobRunProgress(SWEEP_KIND, (p) => String((p as { campaignId: number }).campaignId)),
    },
    {
      kind: ASSESS_JOB,
      action: 'assessment.run',
      run: (actor, params) =>
        new ContributionService(ctx.db, ctx.params).assess(
          actor,
          params as { region: string; period: string },
        ),
    },
    {
      kind: REFUND_SCAN_JOB,
      action: 'refund.scan',
      run: (actor, params, progress) =>
        runRefundScan(ctx.db, ctx.params, actor, {
          year: (params as { year: number }).year,
          onProgress: progress,
        }),
    },
    // A released payroll or adjustment: the release decided it; the worker computes it (resumable).
    ...[...approvals.values()]
      .filter((k) => k.background === true && k.resumable === true)
      .map((k): JobKind => ({
        kind: APPROVAL_JOB_PREFIX + k.kind,
        action: k.checkAction,
        run: (_checker, params, progress) =>
          new ApprovalService(ctx.db).executeReleased(
            approvals,
            (params as { approvalId: number }).approvalId,
            progress,
          ),
      })),
  ];
  return new Map(kinds.map((k) => [k.kind, k]));
}

export async function buildServer(ctx: AppContext, opts: { node?: NodeRole } = {}): Promise<FastifyInstance> {
  // SHEBAO_TODAY fixes the agency's today for every request: a demo's database only (as for the CLI).
  await refuseFixedTodayOnRealDatabase(ctx.db, process.env['SHEBAO_TODAY']);
  const app = Fastify({
    loggerInstance: ctx.log,
    bodyLimit: 2 * 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    // No proxy is trusted unless TRUSTED_PROXIES names it: otherwise anyone could choose their own
    // address with X-Forwarded-For and step around the login limit.
    trustProxy: ctx.config.trustedProxies.length > 0 ? ctx.config.trustedProxies : false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Bodies are strict (a number sent as text is a type error); query strings and params are coerced.
  const bodyAjv = makeAjv(false);
  const queryAjv = makeAjv(true);
  bodyAjv.addSchema(ErrorResponse);
  queryAjv.addSchema(ErrorResponse);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? bodyAjv : queryAjv).compile(schema),
  );

  const routeTable: RouteInfo[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      routeTable.push({ method, url: r.url, public: r.config?.public === true, action: r.config?.action });
    }
  });

  installErrorHandler(app);
  installJsonBodyParser(app);
  if (process.env['SHEBAO_CHECK_RESPONSES'] === '1') installResponseCheck(app);

  // Text is checked once here, for every route: every string of a JSON body (and its keys), every
  // query-string value and path parameter, and every uploaded file (CSV) — before the schema.
  app.addHook('preValidation', async (req) => {
    checkTextDeep(req.params, '(path)');
    checkTextDeep(req.query, '(query)');
    if (typeof req.body === 'string') checkUploadText(req.body);
    else if (req.body !== undefined && req.body !== null && !Buffer.isBuffer(req.body))
      checkTextDeep(req.body, '(body)');
  });
  // Answers from the API are never stored by a browser or a shared cache (they carry personal data).
  app.addHook('onSend', async (req, reply) => {
    const pattern = req.routeOptions.url;
    if ((pattern !== undefined && isApiPath(pattern)) || isApiPath(normalizePath(req.url)))
      reply.header('cache-control', 'no-store');
  });
  app.addSchema(ErrorResponse);
  // helmet's headers, computed once (src/http/security-headers.ts; issue 18).
  await app.register(securityHeadersPlugin);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Shebao 社保 API',
        version: VERSION,
        description:
          '社会保险经办平台 / Social insurance administration platform. Errors: {"error": {"code", "message", "field?"}}.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sb_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(sessionPlugin, { db: ctx.db, idleMinutes: ctx.config.sessionIdleMinutes });
  // Staff reads are queued and chained beside the requests (issue 18, src/audit/audit-queue.ts).
  installAuditWriter(app, ctx.db);
  // Long jobs started from the pages run in the server's worker, not in the request (issue 18).
  const approvals = approvalKinds(ctx);
  const jobKinds = backgroundJobKinds(ctx, approvals);
  installJobWorker(app, ctx.db, jobKinds);
  await app.register(jobRoutes, { db: ctx.db, kinds: jobKinds });

  app.get(
    '/api/health',
    {
      config: { public: true },
      schema: {
        tags: ['ops'],
        summary: '健康检查 / Health',
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            database: Type.Union([Type.Literal('pglite'), Type.Literal('postgresql')]),
            version: Type.String(),
          }),
        },
      },
    },
    async () => {
      await ctx.db.selectFrom('platform_meta').select('key').limit(1).execute();
      return { status: 'ok' as const, database: ctx.dbKind, version: VERSION };
    },
  );

  // Which federation pages the web offers in its menu (issue 16): none on a single server.
  await app.register(nodeRoleRoutes, { node: opts.node ?? SINGLE_NODE });
  await app.register(authRoutes, { ctx });
  await app.register(userRoutes, { ctx });
  await app.register(approvalRoutes, { ctx, kinds: approvals });
  await app.register(auditRoutes, {
    ctx,
    actions: AUDIT_ACTIONS,
    codes: { zh: auditCodeWords('zh'), en: auditCodeWords('en') },
  });
  const publicLookupLimit = makePublicLookupLimit(app);
  await app.register(calcRoutes, { ctx });
  await app.register(contributionRoutes, { ctx });
  await app.register(onlinePaymentRoutes, { ctx, publicLookupLimit });
  await app.register(ledgerRoutes, {
    ctx,
    subLedgerChecks: [
      ...CONTRIBUTION_CHECKS,
      ...REFUND_CHECKS,
      ...SKILL_SUBSIDY_CHECKS,
      ...SETTLEMENT_CHECKS,
      ...PENSION_CHECKS,
    ],
  });
  await app.register(certificationRoutes, { ctx });
  await app.register(cardRoutes, { ctx });
  await app.register(personalPensionRoutes, { ctx });
  await app.register(pensionRoutes, { ctx });
  await app.register(recoveryCollectionRoutes, { ctx });
  await app.register(registryRoutes, { ctx, publicLookupLimit });
  await app.register(statisticsRoutes, { ctx });
  await app.register(scanRoutes, { ctx }); // fund supervision: detectors and findings (src/supervision/)
  await app.register(simulationRoutes, { ctx });
  await app.register(hallRoutes, { ctx });
  await app.register(unemploymentRoutes, { ctx });
  await app.register(refundRoutes, { ctx });
  await app.register(skillSubsidyRoutes, { ctx });
  await app.register(injuryRoutes, { ctx });
  await app.register(hospitalRoutes, { ctx }); // work-injury hospitals, filings, settlement (src/injury/)
  await app.register(rehabRoutes, { ctx }); // work-injury rehabilitation (src/injury/)
  await app.register(supervisionCaseRoutes, { ctx }); // supervision triage, cases, recoveries, campaigns
  await app.register(webPlugin);
  return app;
}
