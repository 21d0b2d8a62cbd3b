// The online service hall's HTTP face: accounts (public, rate-limited), the service catalogue
// (public), applications and the work queue, certificates and their public verification, messages,
// the demo SMS page and the access statistics.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { authorize } from '../auth/policy.ts';
import { SbError } from '../core/errors.ts';
import { regionLikePattern } from '../core/regions.ts';
import { isDemoDatabase } from '../db/platform-meta.ts';
import { errorResponses, IsoDateString, NoteText, PageQuery, RowId, RowVersion } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { AccountService } from './account.service.ts';
import { ApplicationService, TRANSITIONS } from './application.service.ts';
import { CHANNELS, catalogue, searchServices, serviceByCode } from './catalogue.ts';
import { sha256Hex } from './certificate-support.ts';
import { CertificateService } from './certificate.service.ts';
import { hallDb } from './hall.db.ts';
import { MessageService } from './message.service.ts';
import { homeServiceRoutes } from './home-service.routes.ts';
import { attachment } from '../http/attachment.ts';

const CodeSent = Type.Object({ sentTo: Type.String(), expiresInSeconds: Type.Integer() });
const Username = Type.Object({ username: Type.String() });
const Password = Type.String({ minLength: 1, maxLength: 128 });
const Phone = Type.String({ minLength: 1, maxLength: 20 });
const Code = Type.String({ minLength: 1, maxLength: 12 });
const strict = { additionalProperties: false } as const;
const tooMany = { 422: errorResponses[400], 429: errorResponses[400] };
const requestLimit = { max: 20, timeWindow: '1 minute' };
const confirmLimit = { max: 30, timeWindow: '1 minute' };

const Service = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  category: Type.String(),
  applicants: Type.Array(Type.Union([Type.Literal('citizen'), Type.Literal('employer')])),
  channels: Type.Array(Type.String()),
  known: Type.Array(Type.String(), {
    description: '系统已掌握、无需申请人提供 / what the system already holds',
  }),
  asks: Type.Array(Type.String(), { description: '申请人需提供 / what the applicant provides' }),
  timeLimit: Type.Object({
    workingDays: Type.Union([Type.Integer(), Type.Null()]),
    noteZh: Type.Optional(Type.String()),
    noteEn: Type.Optional(Type.String()),
  }),
  crossProvince: Type.Boolean({ description: '跨省通办' }),
  handledBy: Type.Union([Type.Literal('shebao'), Type.Literal('province')]),
  hallHandled: Type.Boolean({ description: '可在网上大厅直接申请 / the hall takes applications itself' }),
  reference: Type.String(),
  keywords: Type.Array(Type.String()),
});

const Status = Type.Union([
  Type.Literal('submitted'),
  Type.Literal('accepted'),
  Type.Literal('returned'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
  Type.Literal('completed'),
  Type.Literal('withdrawn'),
]);
const Application = Type.Object({
  id: Type.Integer(),
  serviceCode: Type.String(),
  serviceNameZh: Type.String(),
  serviceNameEn: Type.String(),
  personId: Type.Union([Type.Integer(), Type.Null()]),
  employerId: Type.Union([Type.Integer(), Type.Null()]),
  applicantName: Type.Union([Type.String(), Type.Null()]),
  region: Type.String(),
  channel: Type.String(),
  status: Status,
  submittedOn: Type.String(),
  timeLimitWorkingDays: Type.Union([Type.Integer(), Type.Null()]),
  deadline: Type.Union([Type.String(), Type.Null()], {
    description: '法定办结时限（工作日计）/ legal deadline',
  }),
  workingDaysLeft: Type.Union([Type.Integer(), Type.Null()]),
  overdue: Type.Boolean(),
  closedOn: Type.Union([Type.String(), Type.Null()]),
  externalLink: Type.Union([Type.String(), Type.Null()]),
  citizenLink: Type.Union([Type.String(), Type.Null()], {
    description: '参保人本人查看该业务的页面 / the citizen’s own page of the process',
  }),
  note: Type.Union([NoteText, Type.Null()]),
  stage: Type.Union([NoteText, Type.Null()], {
    description:
      '状态中的进展（如 发放中，已发放 3 个月）/ where it stands within its status (e.g. being paid, 3 months paid)',
  }),
  version: Type.Integer(),
  updatedAt: Type.String(),
});
const ApplicationDetail = Type.Intersect([
  Application,
  Type.Object({
    events: Type.Array(
      Type.Object({
        status: Type.String(),
        note: Type.Union([NoteText, Type.Null()]),
        actor: Type.Union([Type.String(), Type.Null()], {
          description: 'null: a staff member, shown to the applicant by role only',
        }),
        role: Type.String(),
        at: Type.String(),
      }),
    ),
  }),
]);
const Message = Type.Object({
  id: Type.Integer(),
  topic: Type.String(),
  titleZh: Type.String(),
  titleEn: Type.String(),
  bodyZh: Type.String(),
  bodyEn: Type.String(),
  link: Type.Union([Type.String(), Type.Null()]),
  read: Type.Boolean(),
  createdAt: Type.String(),
});
const Verification = Type.Object({
  valid: Type.Boolean(),
  code: Type.String(),
  kind: Type.Union([Type.Literal('insurance'), Type.Literal('record'), Type.Literal('receipt')]),
  issuedOn: Type.String(),
  region: Type.String(),
  regionName: Type.String(),
  statement: Type.Record(Type.String(), Type.Unknown()),
  pdfSha256: Type.String(),
  pdfMatches: Type.Optional(Type.Boolean()),
});

export const hallRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const accounts = new AccountService(ctx);
  const applications = new ApplicationService(ctx);
  const certificates = new CertificateService(ctx);
  const messages = new MessageService(ctx.db);

  await app.register(homeServiceRoutes, { ctx });

  app.addContentTypeParser(
    'application/pdf',
    { parseAs: 'buffer', bodyLimit: 2 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );

  // ---- accounts (public) ----
  app.post(
    '/api/v1/accounts/citizen',
    {
      config: { public: true, rateLimit: requestLimit },
      schema: {
        tags: ['hall'],
        summary: '个人注册：发送验证码 / Citizen registration: send a code',
        description:
          'ID number (checksum), name and the phone on record must match the registry; otherwise SB_ERR_REGISTRY_MISMATCH, the same answer for an unknown ID number.',
        body: Type.Object(
          {
            idNumber: Type.String({ minLength: 1, maxLength: 32 }),
            name: Type.String({ minLength: 1, maxLength: 100 }),
            phone: Phone,
          },
          strict,
        ),
        response: { 202: CodeSent, ...errorResponses, ...tooMany },
      },
    },
    async (req, reply) => reply.status(202).send(await accounts.requestCitizen(req.body, req.ip)),
  );
  app.post(
    '/api/v1/accounts/citizen/confirm',
    {
      config: { public: true, rateLimit: confirmLimit },
      schema: {
        tags: ['hall'],
        summary: '个人注册：确认验证码并设置密码 / Citizen registration: confirm the code and set a password',
        description: 'Creates the login (username: the ID number) bound to the person.',
        body: Type.Object(
          {
            idNumber: Type.String({ minLength: 1, maxLength: 32 }),
            phone: Phone,
            code: Code,
            password: Password,
          },
          strict,
        ),
        response: { 201: Username, ...errorResponses, ...tooMany },
      },
    },
    async (req, reply) => reply.status(201).send(await accounts.confirmCitizen(req.body, req.ip)),
  );
  app.post(
    '/api/v1/accounts/employer',
    {
      config: { public: true, rateLimit: requestLimit },
      schema: {
        tags: ['hall'],
        summary: '单位注册：发送验证码 / Employer registration: send a code',
        description:
          'Unified social credit code (GB 32100 checksum) and the legal representative (name and ID number) must match the registry; the code goes to the representative\u2019s phone on record.',
        body: Type.Object(
          {
            creditCode: Type.String({ minLength: 1, maxLength: 32 }),
            legalRepName: Type.String({ minLength: 1, maxLength: 100 }),
            legalRepIdNumber: Type.String({ minLength: 1, maxLength: 32 }),
            phone: Phone,
          },
          strict,
        ),
        response: { 202: CodeSent, ...errorResponses, ...tooMany },
      },
    },
    async (req, reply) => reply.status(202).send(await accounts.requestEmployer(req.body, req.ip)),
  );
  app.post(
    '/api/v1/accounts/employer/confirm',
    {
      config: { public: true, rateLimit: confirmLimit },
      schema: {
        tags: ['hall'],
        summary: '单位注册：确认验证码并设置密码 / Employer registration: confirm',
        body: Type.Object(
          {
            creditCode: Type.String({ minLength: 1, maxLength: 32 }),
            phone: Phone,
            code: Code,
            password: Password,
          },
          strict,
        ),
        response: { 201: Username, ...errorResponses, ...tooMany },
      },
    },
    async (req, reply) => reply.status(201).send(await accounts.confirmEmployer(req.body, req.ip)),
  );
  app.post(
    '/api/v1/accounts/password-reset',
    {
      config: { public: true, rateLimit: requestLimit },
      schema: {
        tags: ['hall'],
        summary: '忘记密码：发送验证码 / Password reset: send a code',
        description:
          'Always answers 202: whether the account exists and the phone is its own is not revealed.',
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), phone: Phone }, strict),
        response: { 202: CodeSent, ...errorResponses, ...tooMany },
      },
    },
    async (req, reply) => reply.status(202).send(await accounts.requestReset(req.body, req.ip)),
  );
  app.post(
    '/api/v1/accounts/password-reset/confirm',
    {
      config: { public: true, rateLimit: confirmLimit },
      schema: {
        tags: ['hall'],
        summary: '忘记密码：确认验证码并设置新密码 / Password reset: confirm',
        description: 'Sets the password, unlocks the account and ends all its sessions.',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            phone: Phone,
            code: Code,
            password: Password,
          },
          strict,
        ),
        response: { 200: Username, ...errorResponses, ...tooMany },
      },
    },
    async (req) => accounts.confirmReset(req.body, req.ip),
  );
  app.get(
    '/api/v1/hall/demo-sms',
    {
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['hall'],
        summary: '演示短信发件箱 / Demo SMS outbox',
        description:
          'Only with the demo sender on a demo database (or HALL_SMS_SENDER=demo set explicitly): the messages sent to one phone in the last hour. 404 otherwise.',
        querystring: Type.Object({ phone: Phone }),
        response: {
          200: Type.Object({
            sender: Type.String(),
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                to: Type.String(),
                body: Type.String(),
                sentAt: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const explicit = process.env['HALL_SMS_SENDER'] === 'demo';
      if (accounts.senderName !== 'demo' || !(explicit || (await isDemoDatabase(ctx.db))))
        throw new SbError('SB_ERR_NOT_FOUND');
      return { sender: accounts.senderName, items: await accounts.demoOutbox(req.query.phone) };
    },
  );

  // ---- the service catalogue (public) ----
  app.get(
    '/api/v1/services',
    {
      config: { public: true },
      schema: {
        tags: ['hall'],
        summary: '办事指南：服务事项目录 / Service catalogue',
        description: '`q` searches names (Chinese and English), keywords and codes; every word must match.',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100 })),
          applicant: Type.Optional(Type.Union([Type.Literal('citizen'), Type.Literal('employer')])),
        }),
        response: {
          200: Type.Object({ items: Type.Array(Service), total: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const items = searchServices(req.query.q, req.query.applicant);
      return { items, total: items.length };
    },
  );
  app.get(
    '/api/v1/services/:code',
    {
      config: { public: true },
      schema: {
        tags: ['hall'],
        summary: '办事指南 / Service guide',
        params: Type.Object({ code: Type.String({ maxLength: 50 }) }),
        response: { 200: Service, ...errorResponses },
      },
    },
    async (req) => {
      const s = serviceByCode(req.params.code);
      if (!s) throw new SbError('SB_ERR_NOT_FOUND', { field: 'code' });
      return s;
    },
  );

  // ---- applications ----
  app.get(
    '/api/v1/applications',
    {
      config: { action: 'application.read' },
      schema: {
        tags: ['hall'],
        summary: '我的办件 / My applications',
        description: 'A citizen or employer: their own; staff: their region\u2019s.',
        querystring: Type.Object({ ...PageQuery }),
        response: {
          200: Type.Object({
            items: Type.Array(Application),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      return applications.listOwn(actorOf(req), {
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      });
    },
  );
  app.post(
    '/api/v1/applications',
    {
      config: { action: 'hall.apply' },
      schema: {
        tags: ['hall'],
        summary: '申请服务事项 / Apply for a service',
        description:
          'For services the hall takes itself (hallHandled). Staff apply at the counter on behalf of personId or employerId.',
        body: Type.Object(
          {
            serviceCode: Type.String({ minLength: 1, maxLength: 50 }),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
            personId: Type.Optional(RowId),
            employerId: Type.Optional(RowId),
          },
          strict,
        ),
        response: { 201: Application, ...errorResponses, 422: errorResponses[400] },
      },
    },
    async (req, reply) => {
      const a = await applications.claim(actorOf(req), req.body);
      return reply.status(201).send(a);
    },
  );
  app.get(
    '/api/v1/applications/queue',
    {
      config: { action: 'application.handle' },
      schema: {
        tags: ['hall'],
        summary: '待办队列 / Staff work queue',
        description:
          'Open applications of the region across services; sorted by deadline (overdue first) or by submission.',
        querystring: Type.Object({
          ...PageQuery,
          sort: Type.Optional(
            Type.Union([Type.Literal('deadline'), Type.Literal('submitted')], { default: 'deadline' }),
          ),
          overdue: Type.Optional(Type.Boolean()),
          serviceCode: Type.Optional(Type.String({ maxLength: 50 })),
          status: Type.Optional(Status),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Application),
            total: Type.Integer(),
            overdue: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const q = req.query;
      return applications.queue(actorOf(req), {
        page: q.page ?? 1,
        pageSize: q.pageSize ?? 20,
        sort: q.sort ?? 'deadline',
        overdueOnly: q.overdue === true,
        ...(q.serviceCode ? { serviceCode: q.serviceCode } : {}),
        ...(q.status ? { status: q.status } : {}),
      });
    },
  );
  app.get(
    '/api/v1/applications/:id',
    {
      config: { action: 'application.read' },
      schema: {
        tags: ['hall'],
        summary: '办件详情与进度 / Application and its history',
        params: Type.Object({ id: RowId }),
        response: { 200: ApplicationDetail, ...errorResponses },
      },
    },
    async (req) => {
      return applications.get(actorOf(req), req.params.id);
    },
  );
  app.post(
    '/api/v1/applications/:id/actions',
    {
      config: { action: 'application.read' },
      schema: {
        tags: ['hall'],
        summary: '办理或补正 / Act on an application',
        description:
          'Staff: accept, return (note: what is missing), approve, reject (note), complete. The applicant: resubmit (restarts the clock), withdraw. `version` guards against two clerks acting at once.',
        params: Type.Object({ id: RowId }),
        body: Type.Object(
          {
            action: Type.Union(Object.keys(TRANSITIONS).map((a) => Type.Literal(a))),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
            version: RowVersion,
          },
          strict,
        ),
        response: { 200: Application, ...errorResponses },
      },
    },
    async (req) => {
      const a = await applications.act(actorOf(req), req.params.id, {
        action: req.body.action,
        version: req.body.version,
        ...(req.body.note === undefined ? {} : { note: req.body.note }),
      });
      return a;
    },
  );

  // ---- certificates ----
  const pdfRoute = (kind: 'insurance' | 'record', url: string, summary: string) =>
    app.get(
      url,
      {
        config: { action: 'certificate.issue' },
        schema: {
          tags: ['hall'],
          summary,
          description:
            'application/pdf with the CJK font embedded; the verification code is also in x-verification-code.',
          params: Type.Object({ id: RowId }),
          response: { 200: Type.String({ format: 'binary' }), ...errorResponses },
        },
      },
      async (req, reply) => {
        const base = `${req.protocol}://${req.host}`;
        const c = await certificates.issue(actorOf(req), req.params.id, kind, base);
        return reply
          .header('content-type', 'application/pdf')
          .header(
            'content-disposition',
            attachment(`${kind === 'insurance' ? 'certificate' : 'record'}-${c.code}.pdf`),
          )
          .header('x-verification-code', c.code)
          .header('cache-control', 'no-store')
          .send(Buffer.from(c.pdf));
      },
    );
  pdfRoute('insurance', '/api/v1/persons/:id/certificate.pdf', '参保证明 PDF / Insurance certificate');
  pdfRoute('record', '/api/v1/persons/:id/record-statement.pdf', '个人权益记录单 PDF / Record statement');

  app.get(
    '/api/v1/bills/:id/receipt.pdf',
    {
      config: { action: 'bill.read' },
      schema: {
        tags: ['hall'],
        summary: '缴费凭证 PDF / Payment receipt of a paid bill',
        description:
          'The payer (employer: its bills; citizen: their own) or staff of the bill\u2019s region; application/pdf with a verification code (x-verification-code) and QR code. A bill not paid: 409 SB_ERR_CONFLICT; another payer\u2019s or another region\u2019s bill answers 404 SB_ERR_NOT_FOUND like an unknown number.',
        params: Type.Object({ id: RowId }),
        response: { 200: Type.String({ format: 'binary' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const c = await certificates.receipt(actorOf(req), req.params.id, `${req.protocol}://${req.host}`);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachment(`receipt-${req.params.id}-${c.code}.pdf`))
        .header('x-verification-code', c.code)
        .header('cache-control', 'no-store')
        .send(Buffer.from(c.pdf));
    },
  );

  app.get(
    '/api/v1/verify/:code',
    {
      config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['hall'],
        summary: '证明核验 / Verify a certificate',
        description:
          'What the certificate stated (names and ID numbers masked). With ?sha256= the PDF\u2019s hash is compared too.',
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }) }),
        querystring: Type.Object({ sha256: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$' })) }),
        response: { 200: Verification, ...errorResponses },
      },
    },
    async (req) => certificates.verify(req.params.code, req.query.sha256),
  );
  app.post(
    '/api/v1/verify/:code/pdf',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['hall'],
        summary: '上传PDF核验 / Verify an uploaded PDF',
        description:
          'Body: the PDF (application/pdf). pdfMatches tells whether it is byte for byte the one issued.',
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }) }),
        response: { 200: Verification, ...errorResponses },
      },
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body))
        throw new SbError('SB_ERR_VALIDATION', { zh: '请上传PDF文件', en: 'send the PDF (application/pdf)' });
      return certificates.verify(req.params.code, sha256Hex(req.body));
    },
  );

  // ---- messages ----
  app.get(
    '/api/v1/messages',
    {
      config: { action: 'message.read' },
      schema: {
        tags: ['hall'],
        summary: '我的消息 / My messages',
        querystring: Type.Object({ ...PageQuery, unread: Type.Optional(Type.Boolean()) }),
        response: {
          200: Type.Object({
            items: Type.Array(Message),
            total: Type.Integer(),
            unread: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      return messages.list(actorOf(req), {
        unreadOnly: req.query.unread === true,
        page: req.query.page ?? 1,
        pageSize: req.query.pageSize ?? 20,
      });
    },
  );
  app.post(
    '/api/v1/messages/:id/read',
    {
      config: { action: 'message.read' },
      schema: {
        tags: ['hall'],
        summary: '标为已读/未读 / Mark read or unread',
        params: Type.Object({ id: RowId }),
        querystring: Type.Object({ unread: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ updated: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => ({
      updated: await messages.markRead(actorOf(req), req.params.id, req.query.unread !== true),
    }),
  );
  app.post(
    '/api/v1/messages/read-all',
    {
      config: { action: 'message.read' },
      schema: {
        tags: ['hall'],
        summary: '全部标为已读 / Mark all read',
        response: { 200: Type.Object({ updated: Type.Integer() }), ...errorResponses },
      },
    },
    async (req) => ({ updated: await messages.markRead(actorOf(req), null) }),
  );

  // ---- access statistics ----
  app.get(
    '/api/v1/hall/statistics',
    {
      config: { action: 'hall.statistics' },
      schema: {
        tags: ['hall'],
        summary: '服务访问统计 / Use of the services by channel',
        querystring: Type.Object({
          from: Type.Optional(IsoDateString),
          to: Type.Optional(IsoDateString),
        }),
        response: {
          200: Type.Object({
            channels: Type.Array(Type.String()),
            items: Type.Array(
              Type.Object({
                serviceCode: Type.String(),
                nameZh: Type.String(),
                nameEn: Type.String(),
                total: Type.Integer(),
                byChannel: Type.Record(Type.String(), Type.Integer()),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      authorize(actor, 'hall.statistics');
      let q = hallDb(ctx.db)
        .selectFrom('hall_service_use')
        .select(['service_code', 'channel', sql<number>`count(*)::int`.as('n')])
        .groupBy(['service_code', 'channel']);
      if (actor.region !== null) q = q.where('region', 'like', regionLikePattern(actor.region));
      if (req.query.from) q = q.where('on_day', '>=', req.query.from);
      if (req.query.to) q = q.where('on_day', '<=', req.query.to);
      const rows = await q.execute();
      const items = catalogue()
        .map((s) => {
          const mine = rows.filter((r) => r.service_code === s.code);
          return {
            serviceCode: s.code,
            nameZh: s.nameZh,
            nameEn: s.nameEn,
            total: mine.reduce((n, r) => n + r.n, 0),
            byChannel: Object.fromEntries(mine.map((r) => [r.channel, r.n])),
          };
        })
        .sort((a, b) => b.total - a.total);
      return { channels: [...CHANNELS], items };
    },
  );
};
