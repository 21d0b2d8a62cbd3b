// GET /api/v1/audit (supervisors), GET /api/v1/persons/{id}/access-log (the person: who looked at my record)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses, PageQuery, Paged } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { listAudit, personAccessLog } from './audit.service.ts';

const AuditItem = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorUsername: Type.String(),
  actorRole: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  region: Type.Union([Type.String(), Type.Null()]),
  subjectPersonId: Type.Union([Type.Integer(), Type.Null()]),
  before: Type.Unknown({ description: 'the values before the change; full ID numbers masked' }),
  after: Type.Unknown({ description: 'the values after the change; full ID numbers masked' }),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'full ID numbers masked' }),
});
const AccessItem = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorRole: Type.String(),
  action: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
});

export const auditRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/v1/audit',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: '审计日志 / Audit log of the region',
        querystring: Type.Object({
          ...PageQuery,
          action: Type.Optional(Type.String({ maxLength: 64 })),
          entityType: Type.Optional(Type.String({ maxLength: 64 })),
          entityId: Type.Optional(Type.String({ maxLength: 64 })),
        }),
        response: { 200: Paged(AuditItem), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      return listAudit(ctx.db, actorOf(req), {
        page: q.page ?? 1,
        pageSize: q.pageSize ?? 20,
        ...(q.action === undefined ? {} : { action: q.action }),
        ...(q.entityType === undefined ? {} : { entityType: q.entityType }),
        ...(q.entityId === undefined ? {} : { entityId: q.entityId }),
      });
    },
  );

  app.get(
    '/api/v1/persons/:id/access-log',
    {
      config: { action: 'audit.read-own' },
      schema: {
        tags: ['audit'],
        summary: '谁查看过我的记录 / Who looked at my record',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        querystring: Type.Object(PageQuery),
        response: { 200: Paged(AccessItem), ...errorResponses },
      },
    },
    async (req) =>
      personAccessLog(ctx.db, actorOf(req), req.params.id, req.query.page ?? 1, req.query.pageSize ?? 20),
  );
};
