// Fund supervision after the scan (issue 17 part 2): triage, cases, the one recovery list,
// inspection campaigns and the risk dashboard.
//   POST /api/v1/supervision/findings/{id}/dismiss      supervisor: dismiss with a reason
//   POST /api/v1/supervision/findings/{id}/case         supervisor: open a case (once per finding)
//   GET  /api/v1/supervision/cases, /cases/{id}         supervisor: the region's cases, one case
//   POST /api/v1/supervision/cases/{id}/notes           supervisor: investigation note or evidence
//   POST /api/v1/supervision/cases/{id}/decision        supervisor proposes; a reviewer releases
//   GET  /api/v1/supervision/recoveries                 staff: every recovery in one list
//   GET/POST /api/v1/supervision/campaigns, GET /campaigns/{id}, POST /campaigns/{id}/items/{seq}
//   GET  /api/v1/supervision/dashboard                  supervisor: the risk dashboard
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { ApprovalSchema } from '../approval/approval.schema.ts';
import { errorResponses } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { CampaignService } from './campaign.service.ts';
import {
  CampaignBody,
  CampaignDetailSchema,
  CampaignListQuery,
  CampaignSummarySchema,
  CaseListItemSchema,
  CaseListQuery,
  CaseViewSchema,
  DashboardQuery,
  DashboardSchema,
  DecisionBody,
  DismissBody,
  IdParam,
  ItemBody,
  ItemChecked,
  ItemParams,
  NoteBody,
  OpenCaseBody,
  Opened,
  RecoveryListSchema,
  RecoveryQuerySchema,
  Triaged,
} from './case.schema.ts';
import { CaseService } from './case.service.ts';
import { DashboardService } from './dashboard.service.ts';
import { RecoveryService } from './recovery.service.ts';

const tags = ['supervision'];

export const supervisionCaseRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/v1/supervision/findings/:id/dismiss',
    {
      config: { action: 'supervision.triage' },
      schema: {
        tags,
        summary: '排除疑点 / Dismiss a finding with a reason',
        description: 'Only an open finding, at the version the supervisor saw (SB_ERR_CONFLICT otherwise).',
        params: IdParam,
        body: DismissBody,
        response: { 200: Triaged, ...errorResponses },
      },
    },
    async (req) => new CaseService(ctx).dismissFinding(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/supervision/findings/:id/case',
    {
      config: { action: 'supervision.triage' },
      schema: {
        tags,
        summary: '疑点立案 / Open a case from a finding',
        description: 'One case per finding: a second attempt answers SB_ERR_DUPLICATE.',
        params: IdParam,
        body: OpenCaseBody,
        response: { 200: Opened, ...errorResponses },
      },
    },
    async (req) => new CaseService(ctx).openCase(actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/v1/supervision/cases',
    {
      config: { action: 'supervision.case' },
      schema: {
        tags,
        summary: '监管案件 / The region’s supervision cases',
        querystring: CaseListQuery,
        response: { 200: Type.Array(CaseListItemSchema), ...errorResponses },
      },
    },
    async (req) => new CaseService(ctx).listCases(actorOf(req), req.query),
  );
  app.get(
    '/api/v1/supervision/cases/:id',
    {
      config: { action: 'supervision.case' },
      schema: {
        tags,
        summary: '监管案件详情 / A case: finding, investigation, decision, plan, collections',
        params: IdParam,
        response: { 200: CaseViewSchema, ...errorResponses },
      },
    },
    async (req) => new CaseService(ctx).getCase(actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/supervision/cases/:id/notes',
    {
      config: { action: 'supervision.case' },
      schema: {
        tags,
        summary: '调查记录 / Add an investigation note or an evidence reference',
        params: IdParam,
        body: NoteBody,
        response: { 200: Type.Object({ id: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => new CaseService(ctx).addNote(actorOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/supervision/cases/:id/decision',
    {
      config: { action: 'supervision.case' },
      schema: {
        tags,
        summary: '处理决定（复核员放行）/ Propose the decision (a reviewer releases it)',
        description:
          'overpaidFen: the amount to recover; fraud: true with fineMultiplierPct (200–500, 社会保险法 Art. 87/88) for the fine; fund and plan (lump, instalments, or offset against the pension) when there is something to recover. Released, it opens a recovery case collected through the pension’s collections.',
        params: IdParam,
        body: DecisionBody,
        response: { 200: ApprovalSchema, ...errorResponses },
      },
    },
    async (req) => new CaseService(ctx).proposeDecision(actorOf(req), req.params.id, req.body),
  );
  app.get(
    '/api/v1/supervision/recoveries',
    {
      config: { action: 'supervision.recovery.read' },
      schema: {
        tags,
        summary: '追回总表 / Every recovery in one list (pension, unemployment, supervision, injury)',
        querystring: RecoveryQuerySchema,
        response: { 200: RecoveryListSchema, ...errorResponses },
      },
    },
    async (req) => new RecoveryService(ctx.db).listRecoveries(actorOf(req), req.query),
  );
  app.get(
    '/api/v1/supervision/campaigns',
    {
      config: { action: 'supervision.campaign' },
      schema: {
        tags,
        summary: '专项检查 / Inspection campaigns',
        querystring: CampaignListQuery,
        response: { 200: Type.Array(CampaignSummarySchema), ...errorResponses },
      },
    },
    async (req) => new CampaignService(ctx.db).listCampaigns(actorOf(req), req.query),
  );
  app.post(
    '/api/v1/supervision/campaigns',
    {
      config: { action: 'supervision.campaign' },
      schema: {
        tags,
        summary: '新建专项检查（随机抽样）/ Create a campaign with a seeded random sample',
        description: 'The same seed over the same population draws the same sample.',
        body: CampaignBody,
        response: { 200: CampaignSummarySchema, ...errorResponses },
      },
    },
    async (req) => new CampaignService(ctx.db).createCampaign(actorOf(req), req.body),
  );
  app.get(
    '/api/v1/supervision/campaigns/:id',
    {
      config: { action: 'supervision.campaign' },
      schema: {
        tags,
        summary: '专项检查清单 / A campaign and its worklist',
        params: IdParam,
        response: { 200: CampaignDetailSchema, ...errorResponses },
      },
    },
    async (req) => new CampaignService(ctx.db).getCampaign(actorOf(req), req.params.id),
  );
  app.post(
    '/api/v1/supervision/campaigns/:id/items/:seq',
    {
      config: { action: 'supervision.campaign' },
      schema: {
        tags,
        summary: '核查结果 / Mark a worklist item clear or flagged',
        params: ItemParams,
        body: ItemBody,
        response: { 200: ItemChecked, ...errorResponses },
      },
    },
    async (req) =>
      new CampaignService(ctx.db).checkItem(actorOf(req), req.params.id, req.params.seq, req.body),
  );
  app.get(
    '/api/v1/supervision/dashboard',
    {
      config: { action: 'supervision.dashboard' },
      schema: {
        tags,
        summary: '基金风险看板 / Risk dashboard',
        querystring: DashboardQuery,
        response: { 200: DashboardSchema, ...errorResponses },
      },
    },
    async (req) => new DashboardService(ctx.db).dashboard(actorOf(req), req.query),
  );
};
