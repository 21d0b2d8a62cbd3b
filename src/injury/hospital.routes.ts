// The hospital-facing API and its web pages' routes (issue #13 item 5):
//  - /api/v1/hospital-api/…: a hospital's system, authenticated by its API key (Authorization: Bearer
//    sbh_… or X-Hospital-Key), not by a login session; unknown or revoked keys → 401
//    SB_ERR_HOSPITAL_KEY_INVALID, too many failures from one address → 429 SB_ERR_TOO_MANY_ATTEMPTS.
//  - /api/v1/hospital/…: the same for a hospital's staff logged in to the web (role `hospital`).
//  - /api/v1/hospitals/…: hospital records and their keys; /api/v1/injury/cases/{id}/filings: 备案;
//    /api/v1/injury/settlements: the settlement runs; /api/v1/injury/catalogue: covered items.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../auth/actor.ts';
import { machineNamed } from '../auth/machines.ts';
import { authorize } from '../auth/policy.ts';
import { SbError } from '../core/errors.ts';
import { errorResponses, KeyRotation, PeriodString, RowId } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { injuryCatalogue } from './catalogue.ts';
import { HospitalService } from './hospital.service.ts';
import {
  ApiKey,
  BillIn,
  BillList,
  BillOut,
  BillQuery,
  CatalogueOut,
  Filing,
  FilingIn,
  Hospital,
  NewKey,
  SettlementLine,
  SettlementRun,
  SubmitAnswer,
} from './hospital.schema.ts';
import { listSettlementRuns, runSettlement, settlementLines } from './settlement.job.ts';

const IdParams = Type.Object({ id: RowId });

declare module 'fastify' {
  interface FastifyRequest {
    hospitalActor?: Actor;
  }
}

function keyOf(req: FastifyRequest): string | null {
  const h = req.headers[machineNamed('hospital').keyHeader];
  if (typeof h === 'string') return h.trim();
  const a = req.headers.authorization;
  return a?.startsWith('Bearer ') ? a.slice(7).trim() : null;
}

/** The machine API: every route here authenticates by the hospital's key. */
const hospitalApi: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', async (req) => {
    req.hospitalActor = await new HospitalService(ctx.db).authenticateHospitalKey(keyOf(req), req.ip);
    req.hospitalActor.requestId = req.id;
  });
  const actor = (req: FastifyRequest): Actor => {
    if (!req.hospitalActor) throw new SbError('SB_ERR_HOSPITAL_KEY_INVALID');
    return req.hospitalActor;
  };
  const tags = ['hospital-api'];

  app.post(
    '/api/v1/hospital-api/bills',
    {
      config: { public: true },
      schema: {
        tags,
        summary: '提交工伤医疗费用账单 / Submit a work-injury bill (by API key)',
        description:
          'Checked at once against the case (recognised, the patient’s ID number, dates after the accident, 备案 for another province) and the catalogue; each item is accepted, capped or refused with its reason. The same billNo with the same content answers the recorded bill (200, replayed: true); with other content 409.',
        body: BillIn,
        response: { 200: SubmitAnswer, 201: SubmitAnswer, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await new HospitalService(ctx.db).submitBill(actor(req), req.body);
      return reply.code(r.replayed ? 200 : 201).send(r);
    },
  );
  app.get(
    '/api/v1/hospital-api/bills',
    {
      config: { public: true },
      schema: {
        tags,
        summary: '本院账单 / This hospital’s bills (by API key)',
        querystring: BillQuery,
        response: { 200: BillList, ...errorResponses },
      },
    },
    async (req) => new HospitalService(ctx.db).listBills(actor(req), req.query),
  );
  app.get(
    '/api/v1/hospital-api/bills/:id',
    {
      config: { public: true },
      schema: {
        tags,
        summary: '账单审核结果 / A bill and its check (by API key)',
        params: IdParams,
        response: { 200: BillOut, ...errorResponses },
      },
    },
    async (req) => new HospitalService(ctx.db).getBill(actor(req), req.params.id),
  );
};

export const hospitalRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  await app.register(hospitalApi, { ctx });
  const staff = async (req: FastifyRequest): Promise<Actor> =>
    new HospitalService(ctx.db).withHospital(actorOf(req));
  const tags = ['injury-hospital'];

  app.get(
    '/api/v1/injury/catalogue',
    {
      config: { public: true },
      schema: {
        tags,
        summary: '工伤保险服务项目目录（演示） / The catalogue of covered items',
        response: { 200: CatalogueOut, ...errorResponses },
      },
    },
    async () => injuryCatalogue(),
  );
  app.get(
    '/api/v1/hospitals',
    {
      config: { action: 'hospital.read' },
      schema: {
        tags,
        summary: '医疗机构与康复机构 / Hospitals and rehabilitation institutions',
        querystring: Type.Object({
          kind: Type.Optional(Type.Union([Type.Literal('hospital'), Type.Literal('rehab')])),
        }),
        response: { 200: Type.Object({ items: Type.Array(Hospital) }), ...errorResponses },
      },
    },
    async (req) => ({ items: await new HospitalService(ctx.db).listHospitals(await staff(req), req.query) }),
  );
  app.get(
    '/api/v1/hospital/me',
    {
      config: { action: 'hospital.bill.submit' },
      schema: {
        tags,
        summary: '本院信息 / The hospital this login works for',
        response: { 200: Hospital, ...errorResponses },
      },
    },
    async (req) => {
      const a = await staff(req);
      const h = a.hospitalId ? await new HospitalService(ctx.db).findHospital(a.hospitalId) : null;
      if (!h) throw new SbError('SB_ERR_NOT_FOUND');
      return h;
    },
  );
  app.post(
    '/api/v1/hospital/bills',
    {
      config: { action: 'hospital.bill.submit' },
      schema: {
        tags,
        summary: '提交账单（医院工作人员） / Submit a bill (hospital staff)',
        body: BillIn,
        response: { 200: SubmitAnswer, 201: SubmitAnswer, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await new HospitalService(ctx.db).submitBill(await staff(req), req.body);
      return reply.code(r.replayed ? 200 : 201).send(r);
    },
  );
  app.get(
    '/api/v1/hospital/bills',
    {
      config: { action: 'hospital.bill.read' },
      schema: {
        tags,
        summary: '医院账单（本院；经办人员为辖区） / Bills (own hospital; staff: their region)',
        querystring: BillQuery,
        response: { 200: BillList, ...errorResponses },
      },
    },
    async (req) => new HospitalService(ctx.db).listBills(await staff(req), req.query),
  );
  app.get(
    '/api/v1/hospital/bills/:id',
    {
      config: { action: 'hospital.bill.read' },
      schema: {
        tags,
        summary: '账单与审核结果 / A bill and its check',
        params: IdParams,
        response: { 200: BillOut, ...errorResponses },
      },
    },
    async (req) => new HospitalService(ctx.db).getBill(await staff(req), req.params.id),
  );
  app.get(
    '/api/v1/hospital/settlements',
    {
      config: { action: 'hospital.bill.read' },
      schema: {
        tags,
        summary: '结算明细 / What settlement runs paid (own hospital; staff: their region)',
        querystring: Type.Object({ runId: Type.Optional(RowId) }),
        response: { 200: Type.Object({ items: Type.Array(SettlementLine) }), ...errorResponses },
      },
    },
    async (req) => {
      const a = await staff(req);
      authorize(a, 'hospital.bill.read');
      if (a.role === 'hospital' && !a.hospitalId) throw new SbError('SB_ERR_FORBIDDEN');
      if (a.role !== 'hospital' && a.role !== 'system' && !a.region) return { items: [] };
      const lines = await settlementLines(ctx.db, {
        runId: req.query.runId,
        hospitalId: a.role === 'hospital' ? (a.hospitalId ?? -1) : undefined,
        // a district's clerk: their region in the query, so the list's limit cannot hide their lines
        region: a.role === 'hospital' || a.role === 'system' ? undefined : (a.region ?? undefined),
      });
      return { items: lines };
    },
  );
  // ---- keys ----
  app.get(
    '/api/v1/hospitals/:id/keys',
    {
      config: { action: 'hospital.key' },
      schema: {
        tags,
        summary: '接口密钥 / The hospital’s API keys (never the keys themselves)',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(ApiKey) }), ...errorResponses },
      },
    },
    async (req) => ({
      items: await new HospitalService(ctx.db).listApiKeys(await staff(req), req.params.id),
    }),
  );
  app.post(
    '/api/v1/hospitals/:id/keys',
    {
      config: { action: 'hospital.key' },
      schema: {
        tags,
        summary: '新建接口密钥（仅此一次显示） / A new API key (shown once)',
        params: IdParams,
        body: Type.Object(
          { label: Type.String({ minLength: 1, maxLength: 60 }) },
          { additionalProperties: false },
        ),
        response: { 201: NewKey, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          await new HospitalService(ctx.db).createApiKey(await staff(req), req.params.id, req.body.label),
        ),
  );
  app.post(
    '/api/v1/hospital-keys/:id/rotate',
    {
      config: { action: 'hospital.key' },
      schema: {
        tags,
        summary:
          '轮换密钥：旧密钥立即停用，或保留至新密钥首次使用 / Rotate: a new key; the old one stops now, or at the new key’s first use',
        params: IdParams,
        querystring: KeyRotation,
        response: { 201: NewKey, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(
          await new HospitalService(ctx.db).rotateApiKey(
            await staff(req),
            req.params.id,
            req.query.oldKey ?? 'stop-now',
          ),
        ),
  );
  app.post(
    '/api/v1/hospital-keys/:id/revoke',
    {
      config: { action: 'hospital.key' },
      schema: {
        tags,
        summary: '停用密钥 / Revoke a key',
        params: IdParams,
        response: { 200: Type.Object({ revoked: Type.Boolean() }), ...errorResponses },
      },
    },
    async (req) => {
      await new HospitalService(ctx.db).revokeApiKey(await staff(req), req.params.id);
      return { revoked: true };
    },
  );
  // ---- filings ----
  app.get(
    '/api/v1/injury/cases/:id/filings',
    {
      config: { action: 'injury.filing' },
      schema: {
        tags,
        summary: '异地就医备案 / The case’s treatment filings',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Filing) }), ...errorResponses },
      },
    },
    async (req) => ({ items: await new HospitalService(ctx.db).listFilings(actorOf(req), req.params.id) }),
  );
  app.post(
    '/api/v1/injury/cases/:id/filings',
    {
      config: { action: 'injury.filing' },
      schema: {
        tags,
        summary: '办理异地就医备案 / File treatment at a hospital (needed outside the case’s province)',
        description:
          'validFrom is not before the accident (a filing after an admission elsewhere is allowed) nor more than 90 days ahead; validTo not before validFrom (400 naming the field).',
        params: IdParams,
        body: FilingIn,
        response: { 201: Filing, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await new HospitalService(ctx.db).fileTreatment(actorOf(req), {
          caseId: req.params.id,
          ...req.body,
        }),
      ),
  );
  // ---- settlement runs ----
  app.get(
    '/api/v1/injury/settlements',
    {
      config: { action: 'settlement.read' },
      schema: {
        tags,
        summary: '医院结算批次 / Hospital settlement runs',
        response: { 200: Type.Object({ items: Type.Array(SettlementRun) }), ...errorResponses },
      },
    },
    async (req) => {
      authorize(actorOf(req), 'settlement.read');
      return { items: await listSettlementRuns(ctx.db) };
    },
  );
  app.post(
    '/api/v1/injury/settlements',
    {
      config: { action: 'settlement.run' },
      schema: {
        tags,
        summary: '执行医院结算 / Run (or resume) the settlement of a period',
        description: 'Idempotent: a finished period answers its run and pays nothing more.',
        body: Type.Object({ period: PeriodString }, { additionalProperties: false }),
        response: { 200: SettlementRun, ...errorResponses },
      },
    },
    async (req) => {
      const a = actorOf(req);
      authorize(a, 'settlement.run');
      return runSettlement(ctx.db, a, { period: req.body.period });
    },
  );
};
