// GET /api/v1/audit (supervisors) and its action codes, GET /api/v1/persons/{id}/access-log (the person: who
// looked at my record)
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses, IsoDateString, Paged, PageQuery, RowId } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import type { AuditAction } from './audit-actions.ts';
import type { CodeWords } from './audit-fields.ts';
import { AuditService } from './audit.service.ts';
import { attachment } from '../http/attachment.ts';

const Words = Type.Object({ zh: Type.String(), en: Type.String() });
// The reason as stored, and as each reader gets it (src/audit/audit-reasons.ts).
const ReasonWords = {
  reasonCode: Type.Union([Type.String(), Type.Null()], {
    description: 'set when the server wrote the reason; null when a person typed it',
  }),
  reasonWords: Type.Union([Words, Type.Null()], {
    description: 'the reason in each language (typed words the same in both); full ID numbers masked',
  }),
};
const AuditItem = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorUsername: Type.String(),
  actorName: Type.Union([Type.String(), Type.Null()]),
  actorRole: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  subjectName: Type.Union([Type.String(), Type.Null()]),
  region: Type.Union([Type.String(), Type.Null()]),
  subjectPersonId: Type.Union([Type.Integer(), Type.Null()]),
  before: Type.Unknown({ description: 'the values before the change; full ID numbers masked' }),
  after: Type.Unknown({ description: 'the values after the change; full ID numbers masked' }),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'full ID numbers masked' }),
  ...ReasonWords,
  changes: Type.Array(
    Type.Object({
      field: Type.String({ description: 'the key as stored in before/after' }),
      name: Type.Union([Words, Type.Null()], {
        description: 'null: no words for the key; show it as stored',
      }),
      technical: Type.Boolean({ description: 'an id, a version, a hash: shown after the others' }),
      before: Type.Union([Words, Type.Null()], { description: 'null when the entry has no before' }),
      after: Words,
      changed: Type.Boolean(),
    }),
    {
      description:
        'before and after field by field in words: money in yuan, days and months in words, codes by their list; full ID numbers masked',
    },
  ),
});
const Day = Type.String({ ...IsoDateString, description: 'YYYY-MM-DD, China time, included' });
const AuditFilter = {
  action: Type.Optional(Type.String({ maxLength: 64 })),
  entityType: Type.Optional(Type.String({ maxLength: 64 })),
  entityId: Type.Optional(Type.String({ maxLength: 64 })),
  actor: Type.Optional(Type.String({ maxLength: 64, description: 'part of the username or name' })),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
};
type AuditFilterQuery = { [K in keyof typeof AuditFilter]?: string };
const filterOf = (q: AuditFilterQuery) =>
  Object.fromEntries(Object.entries(q).filter(([k, v]) => k in AuditFilter && v !== undefined && v !== ''));
const AccessItem = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorRole: Type.String(),
  /** the reader's agency by its region code (null: the system) */
  actorRegion: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  ...ReasonWords,
});

/**
 * actions: every code entries are written with, composed by the assembly from the capabilities' lists
 * (src/audit-actions.ts); codes: the words of the code lists a field's values may be (src/code-lists.ts).
 */
export const auditRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext;
  actions: readonly AuditAction[];
  codes: CodeWords;
}> = async (app, { ctx, actions, codes }) => {
  app.get(
    '/api/v1/audit',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: '审计日志 / Audit log of the region',
        querystring: Type.Object({ ...PageQuery, ...AuditFilter }),
        response: { 200: Paged(AuditItem), ...errorResponses },
      },
    },
    async (req) =>
      new AuditService(ctx.db, codes).list(actorOf(req), {
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
        ...filterOf(req.query),
      }),
  );

  // The audit page's action filter offers these: the codes written now, not every name its dictionary
  // keeps for older entries (the list is server code, so the page asks for it rather than bundling it).
  app.get(
    '/api/v1/audit/actions',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: '审计操作代码 / The action codes audit entries are written with',
        response: { 200: Type.Object({ actions: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    () => ({ actions: [...actions].sort() }),
  );

  app.get(
    '/api/v1/audit.csv',
    {
      config: { action: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: '审计日志导出 / Audit log as CSV',
        description: `The same filters as GET /api/v1/audit, newest first, a header in words over the stored columns and the changes in words, at most ${AuditService.CSV_LIMIT} rows (x-truncated: true when there were more). UTF-8 with a byte order mark. The export is itself audited (audit.export).`,
        querystring: Type.Object({
          ...AuditFilter,
          lang: Type.Optional(
            Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], {
              description: 'the language of the header and the changes in words (default zh-CN)',
            }),
          ),
        }),
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await new AuditService(ctx.db, codes).exportCsv(
        actorOf(req),
        filterOf(req.query),
        req.query.lang === 'en' ? 'en' : 'zh',
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment('audit-log.csv'))
        .header('x-truncated', String(r.truncated))
        .send(r.csv);
    },
  );

  app.get(
    '/api/v1/persons/:id/access-log',
    {
      config: { action: 'audit.read-own' },
      schema: {
        tags: ['audit'],
        summary: '谁查看过我的记录 / Who looked at my record',
        params: Type.Object({ id: RowId }),
        querystring: Type.Object(PageQuery),
        response: { 200: Paged(AccessItem), ...errorResponses },
      },
    },
    async (req) =>
      new AuditService(ctx.db, codes).personAccessLog(
        actorOf(req),
        req.params.id,
        req.query.page ?? 1,
        req.query.pageSize ?? 20,
      ),
  );
};
