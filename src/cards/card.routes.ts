// /api/v1/cards (the holder's cards, loss, history, activation, reissue; staff production steps;
// employer batch application; terminal use records and the register of card terminals) and
// /api/v1/ecard (QR token; public JWKS and revocation snapshot for terminals); /api/v1/terminal-api: a
// card terminal uploading its own uses with its upload key (X-Terminal-Key), without a login session.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../auth/actor.ts';
import { machineNamed } from '../auth/machines.ts';
import { SbError } from '../core/errors.ts';
import { errorResponses, KeyRotation, Paged, PageQuery, RegionCode, RowId } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { authenticateTerminalKey, CardTerminalService } from './card-terminal.service.ts';
import { CardService } from './card.service.ts';
import { EcardKeyService } from './ecard-key.service.ts';

const IdParams = Type.Object({ id: RowId });
/** A register page of the staff member's region, or of a sub-region named by `region`. */
const RegionPageQuery = { ...PageQuery, region: Type.Optional(RegionCode) };
const regionPage = (q: { region?: string; page?: number; pageSize?: number }) => ({
  ...(q.region !== undefined ? { region: q.region } : {}),
  page: q.page ?? 1,
  pageSize: q.pageSize ?? 20,
});
const Status = Type.Union([
  Type.Literal('applied'),
  Type.Literal('produced'),
  Type.Literal('issued'),
  Type.Literal('activated'),
  Type.Literal('temp_lost'),
  Type.Literal('lost'),
  Type.Literal('cancelled'),
]);
const Card = Type.Object({
  id: Type.Integer(),
  personId: Type.Integer(),
  region: Type.String(),
  cardNo: Type.String({ description: '社会保障卡卡号 (changes on reissue; not the ID number)' }),
  status: Status,
  appliedVia: Type.String(),
  appliedAt: Type.String(),
  statusChangedAt: Type.String(),
  lossUntil: Type.Union([Type.String(), Type.Null()]),
  replacesCardId: Type.Union([Type.Integer(), Type.Null()]),
  bankName: Type.Union([Type.String(), Type.Null()], { description: '社保卡金融功能: the cooperating bank' }),
  bankAccount: Type.Union([Type.String(), Type.Null()], {
    description: 'the card\u2019s bank account, masked (last 4 digits)',
  }),
});
const CardEvent = Type.Object({
  id: Type.Integer(),
  fromStatus: Type.Union([Status, Type.Null()]),
  toStatus: Status,
  kind: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String(),
  at: Type.String(),
});
const Note = Type.String({ minLength: 1, maxLength: 500 });
const Jwk = Type.Object(
  {
    kty: Type.String(),
    crv: Type.String(),
    x: Type.String(),
    kid: Type.String(),
    alg: Type.String(),
    use: Type.String(),
  },
  { additionalProperties: false },
);
/** A POST without a body (no content type) is read as {} — "an empty body is a temporary loss". */
const emptyBodyIsObject = async (req: FastifyRequest): Promise<void> => {
  if (req.body === undefined || req.body === null) req.body = {};
};
const CardRef = Type.String({ pattern: '^[0-9a-f]{32}$' });
const TerminalId = Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$', maxLength: 64 });
const TerminalKind = Type.Union([
  Type.Literal('bus'),
  Type.Literal('library'),
  Type.Literal('hospital'),
  Type.Literal('counter'),
  Type.Literal('other'),
]);
const Terminal = Type.Object({
  terminalId: Type.String(),
  kind: TerminalKind,
  name: Type.String({ description: 'the place: 宣城市图书馆正门' }),
  region: Type.String(),
  registeredOn: Type.String(),
  retiredOn: Type.Union([Type.String(), Type.Null()]),
  registeredBy: Type.String(),
  keyPrefix: Type.Union([Type.String(), Type.Null()], {
    description: 'the upload key’s first letters (sbt_…), never the key; none when retired',
  }),
  keyIssuedOn: Type.Union([Type.String(), Type.Null()]),
  oldKeyPrefix: Type.Union([Type.String(), Type.Null()], {
    description: 'the key a rotation kept valid beside the new one (overlap), until oldKeyValidUntil',
  }),
  oldKeyValidUntil: Type.Union([Type.String(), Type.Null()], {
    description: 'until when the kept old key opens, unless the new key is used first (ISO time)',
  }),
});
const TerminalWithKey = Type.Composite([
  Terminal,
  Type.Object({ key: Type.String({ description: 'the upload key: in this answer only, stored hashed' }) }),
]);
const UseUpload = Type.Object(
  {
    terminalId: TerminalId,
    terminalKind: TerminalKind,
    region: RegionCode,
    records: Type.Array(
      Type.Object(
        {
          seq: Type.Integer({ minimum: 0, maximum: 9_000_000_000_000 }),
          cardRef: CardRef,
          usedAt: Type.String({ format: 'date-time', maxLength: 40 }),
          accepted: Type.Boolean(),
          reason: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10000 },
    ),
  },
  { additionalProperties: false },
);
const UploadAnswer = Type.Object({
  received: Type.Integer(),
  inserted: Type.Integer(),
  duplicates: Type.Integer(),
});
const UPLOAD_RULES =
  'A batch sent again as it was adds nothing. A use dated after today, before 2015, before its terminal was registered or before its card was issued is 400 naming the record (records.<i>.usedAt); a number held with another card, time or outcome is 409 naming the record.';

declare module 'fastify' {
  interface FastifyRequest {
    terminalActor?: Actor;
  }
}

/** The machine path: a terminal uploads its own uses with its key, no session (src/auth/machine-key.ts). */
const terminalApi: FastifyPluginAsyncTypebox<{ ctx: AppContext; service: CardService }> = async (
  app,
  { ctx, service },
) => {
  app.addHook('onRequest', async (req) => {
    const h = req.headers[machineNamed('terminal').keyHeader];
    const actor = await authenticateTerminalKey(ctx.db, typeof h === 'string' ? h.trim() : null, req.ip);
    req.terminalActor = { ...actor, requestId: req.id };
  });
  app.post(
    '/api/v1/terminal-api/card-uses',
    {
      config: { public: true },
      schema: {
        tags: ['cards'],
        summary:
          '终端自行上传用卡记录（上传密钥） / A terminal uploads its own use records (by its upload key)',
        description: `Header X-Terminal-Key: the key issued when the terminal was registered or last given a new key. An unknown, replaced or retired terminal’s key is 401 SB_ERR_TERMINAL_KEY_INVALID (the same for all; failures from one address are throttled: 429 SB_ERR_TOO_MANY_ATTEMPTS). The key uploads for its own terminal only: another terminalId is 404 terminalId, as one never registered. ${UPLOAD_RULES}`,
        body: UseUpload,
        response: { 200: UploadAnswer, ...errorResponses },
      },
    },
    async (req) => {
      if (!req.terminalActor) throw new SbError('SB_ERR_TERMINAL_KEY_INVALID');
      return service.uploadUses(req.terminalActor, req.body);
    },
  );
};

export const cardRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const service = new CardService(ctx.db, ctx.params);
  const terminals = new CardTerminalService(ctx.db);
  const tags = ['cards'];
  await app.register(terminalApi, { ctx, service });

  app.get(
    '/api/v1/cards',
    {
      config: { action: 'card.read' },
      schema: {
        tags,
        summary: '我的社保卡 / The holder\u2019s own cards (newest first)',
        querystring: Type.Object(PageQuery),
        response: { 200: Paged(Card), ...errorResponses },
      },
    },
    async (req) => service.listOwn(actorOf(req), req.query.page ?? 1, req.query.pageSize ?? 20),
  );

  app.post(
    '/api/v1/cards',
    {
      config: { action: 'card.apply' },
      schema: {
        tags,
        summary: '申领社保卡 / Apply for a card (the person, or a clerk for them)',
        description:
          'A person with a live card → 409 SB_ERR_DUPLICATE. A citizen may only apply for themself.',
        body: Type.Object({ personId: RowId }, { additionalProperties: false }),
        response: { 201: Card, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await service.apply(actorOf(req), req.body.personId)),
  );

  app.get(
    '/api/v1/card-register',
    {
      config: { action: 'card.register' },
      schema: {
        tags,
        summary:
          '社保卡登记簿 / The card register of the staff member\u2019s region, by status; search by the whole ID number, its last four characters with the name, or the card number (audited)',
        querystring: Type.Object({
          ...RegionPageQuery,
          status: Type.Optional(Status),
          idNumber: Type.Optional(Type.String({ maxLength: 18 })),
          name: Type.Optional(Type.String({ maxLength: 50 })),
          cardNo: Type.Optional(Type.String({ maxLength: 9 })),
        }),
        response: { 200: Paged(Card), ...errorResponses },
      },
    },
    async (req) =>
      service.listRegion(actorOf(req), {
        ...regionPage(req.query),
        ...(req.query.status !== undefined ? { status: req.query.status } : {}),
        ...(req.query.idNumber !== undefined ? { idNumber: req.query.idNumber } : {}),
        ...(req.query.name !== undefined ? { name: req.query.name } : {}),
        ...(req.query.cardNo !== undefined ? { cardNo: req.query.cardNo } : {}),
      }),
  );

  app.get(
    '/api/v1/persons/:id/cards',
    {
      config: { action: 'card.read' },
      schema: {
        tags,
        summary: '人员的社保卡 / A person\u2019s cards (staff in their region, or the person)',
        params: IdParams,
        querystring: Type.Object(PageQuery),
        response: { 200: Paged(Card), ...errorResponses },
      },
    },
    async (req) =>
      service.listPerson(actorOf(req), req.params.id, req.query.page ?? 1, req.query.pageSize ?? 20),
  );

  app.get(
    '/api/v1/cards/:id/history',
    {
      config: { action: 'card.read' },
      schema: {
        tags,
        summary: '社保卡变更记录 / The card\u2019s history',
        params: IdParams,
        response: { 200: Type.Object({ card: Card, events: Type.Array(CardEvent) }), ...errorResponses },
      },
    },
    async (req) => service.history(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/cards/:id/loss',
    {
      preValidation: emptyBodyIsObject,
      config: { action: 'card.loss' },
      schema: {
        tags,
        summary: '挂失 / Report the card lost (blocked at once)',
        description:
          'An empty body is a temporary loss (临时挂失, undone by /unblock); {"kind":"formal"} is permanent (正式挂失) and a reissue follows. The card leaves the e-card at once and enters the revocation snapshot.',
        params: IdParams,
        body: Type.Optional(
          Type.Object(
            {
              kind: Type.Optional(Type.Union([Type.Literal('temporary'), Type.Literal('formal')])),
              note: Type.Optional(Note),
            },
            { additionalProperties: false },
          ),
        ),
        response: { 200: Card, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      return service.reportLoss(actorOf(req), req.params.id, {
        ...(b.kind !== undefined ? { kind: b.kind } : {}),
        ...(b.note !== undefined ? { note: b.note } : {}),
      });
    },
  );

  app.post(
    '/api/v1/cards/:id/unblock',
    {
      config: { action: 'card.loss' },
      schema: {
        tags,
        summary: '解挂 / Lift a temporary loss',
        params: IdParams,
        response: { 200: Card, ...errorResponses },
      },
    },
    async (req) => service.unblock(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/cards/:id/activate',
    {
      config: { action: 'card.activate' },
      schema: {
        tags,
        summary: '启用 / Activate an issued card',
        params: IdParams,
        response: { 200: Card, ...errorResponses },
      },
    },
    async (req) => service.activate(actorOf(req), req.params.id),
  );

  app.put(
    '/api/v1/cards/:id/bank',
    {
      config: { action: 'card.apply' },
      schema: {
        tags,
        summary:
          '绑定金融账户 / Bind the card\u2019s bank account (16–19 digits); an activated card\u2019s account becomes the person\u2019s',
        params: IdParams,
        body: Type.Object(
          {
            bankName: Type.String({ minLength: 1, maxLength: 100 }),
            bankAccount: Type.String({ minLength: 1, maxLength: 40, description: '16–19 digits' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Card, ...errorResponses },
      },
    },
    async (req) => service.setBank(actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/v1/cards/:id/reissue',
    {
      preValidation: emptyBodyIsObject,
      config: { action: 'card.apply' },
      schema: {
        tags,
        summary: '补卡 / Reissue: the card is formally lost and a new card (new number) is applied for',
        params: IdParams,
        body: Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false }),
        response: { 201: Card, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.reissue(actorOf(req), req.params.id, req.body.note)),
  );

  app.post(
    '/api/v1/cards/:id/production',
    {
      config: { action: 'card.produce' },
      schema: {
        tags,
        summary: '制卡、发卡 / Production steps (applied → produced → issued)',
        params: IdParams,
        body: Type.Object(
          { step: Type.Union([Type.Literal('produce'), Type.Literal('issue')]) },
          { additionalProperties: false },
        ),
        response: { 200: Card, ...errorResponses },
      },
    },
    async (req) => service.advance(actorOf(req), req.params.id, req.body.step),
  );

  app.post(
    '/api/v1/card-production-batches',
    {
      config: { action: 'card.produce' },
      schema: {
        tags,
        summary:
          '批量制卡、发卡 / Production batch: produce all applied (or issue all produced) cards of the region or of an employer batch; idempotent',
        body: Type.Object(
          {
            step: Type.Union([Type.Literal('produce'), Type.Literal('issue')]),
            region: Type.Optional(RegionCode),
            batchId: Type.Optional(RowId),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            step: Type.String(),
            moved: Type.Integer(),
            cardIds: Type.Array(Type.Integer()),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      service.advanceBatch(actorOf(req), {
        step: req.body.step,
        ...(req.body.region !== undefined ? { region: req.body.region } : {}),
        ...(req.body.batchId !== undefined ? { batchId: req.body.batchId } : {}),
      }),
  );

  app.post(
    '/api/v1/employers/:id/card-batches',
    {
      preValidation: emptyBodyIsObject,
      config: { action: 'card.batch-apply' },
      schema: {
        tags,
        summary: '单位批量申领 / Employer batch application for its current staff without a live card',
        params: IdParams,
        body: Type.Object(
          { personIds: Type.Optional(Type.Array(RowId, { maxItems: 10000 })) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            batchId: Type.Integer(),
            accepted: Type.Integer(),
            requested: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await service.batchApply(actorOf(req), req.params.id, req.body.personIds)),
  );

  app.post(
    '/api/v1/card-uses',
    {
      config: { action: 'card.use-upload' },
      schema: {
        tags,
        summary: '终端用卡记录上传 / Terminal use records, in batches (idempotent by terminal and sequence)',
        description: `A clerk’s upload (a terminal’s memory carried to the counter; audited as the clerk’s, manual). A terminal sends its own with its key: POST /api/v1/terminal-api/card-uses. Only through a terminal of the region registered in the register of card terminals (/api/v1/card-terminals): an id not registered there, or registered by another region, is 404 terminalId; a retired terminal is 409 terminalId. The kind stored is the register’s. ${UPLOAD_RULES}`,
        body: UseUpload,
        response: { 200: UploadAnswer, ...errorResponses },
      },
    },
    async (req) => service.uploadUses(actorOf(req), req.body),
  );

  app.get(
    '/api/v1/card-terminals',
    {
      config: { action: 'card.terminal' },
      schema: {
        tags,
        summary: '用卡终端登记 / The card terminals of the staff member’s region, in service first',
        querystring: Type.Object(RegionPageQuery),
        response: { 200: Paged(Terminal), ...errorResponses },
      },
    },
    async (req) => terminals.list(actorOf(req), regionPage(req.query)),
  );

  app.post(
    '/api/v1/card-terminals',
    {
      config: { action: 'card.terminal' },
      schema: {
        tags,
        summary:
          '登记用卡终端 / Register a card terminal of the region (audited); its uses may then be uploaded',
        description:
          'The region is the staff member’s unless named (a sub-region). The answer carries the terminal’s upload key, once (only its hash is kept). An id already registered, by any region, is 409 SB_ERR_DUPLICATE terminalId.',
        body: Type.Object(
          {
            terminalId: TerminalId,
            kind: TerminalKind,
            name: Type.String({ minLength: 1, maxLength: 100 }),
            region: Type.Optional(RegionCode),
          },
          { additionalProperties: false },
        ),
        response: { 201: TerminalWithKey, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      return reply.status(201).send(
        await terminals.register(actorOf(req), {
          terminalId: b.terminalId,
          kind: b.kind,
          name: b.name,
          ...(b.region !== undefined ? { region: b.region } : {}),
        }),
      );
    },
  );

  app.post(
    '/api/v1/card-terminals/:id/retirement',
    {
      config: { action: 'card.terminal' },
      schema: {
        tags,
        summary: '停用用卡终端 / Retire a card terminal from today (audited): it takes no more uploads',
        description: 'A terminal of another region answers 404 like one not registered.',
        params: Type.Object({ id: TerminalId }),
        response: { 200: Terminal, ...errorResponses },
      },
    },
    async (req) => terminals.retire(actorOf(req), req.params.id),
  );

  app.post(
    '/api/v1/card-terminals/:id/key',
    {
      config: { action: 'card.terminal' },
      schema: {
        tags,
        summary:
          '更换用卡终端上传密钥 / A new upload key for a terminal (audited): the old one stops now, or at the new key’s first use',
        description:
          'The key is in this answer only. A terminal of another region answers 404 like one not registered; a retired terminal 409.',
        params: Type.Object({ id: TerminalId }),
        querystring: KeyRotation,
        response: { 201: TerminalWithKey, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await terminals.newKey(actorOf(req), req.params.id, req.query.oldKey ?? 'stop-now')),
  );

  app.get(
    '/api/v1/ecard/qr',
    {
      config: { action: 'ecard.qr' },
      schema: {
        tags,
        summary: '电子社保卡二维码 / The e-card QR token (Ed25519 JWS, valid 60 s, one scan)',
        response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String() }), ...errorResponses },
      },
    },
    async (req) => service.qr(actorOf(req)),
  );

  app.get(
    '/api/v1/ecard/jwks',
    {
      config: { public: true },
      schema: {
        tags,
        summary: '电子社保卡公钥 / Public keys (JWKS) terminals verify codes with',
        response: { 200: Type.Object({ keys: Type.Array(Jwk) }) },
      },
    },
    async () => new EcardKeyService(ctx.db).publicJwks(),
  );

  app.get(
    '/api/v1/ecard/revoked',
    {
      config: { public: true },
      schema: {
        tags,
        summary: '挂失/注销卡快照 / Revocation snapshot: references of lost or cancelled cards',
        response: {
          200: Type.Object({
            generatedAt: Type.String(),
            count: Type.Integer(),
            refs: Type.Array(Type.String()),
          }),
        },
      },
    },
    async () => new CardService(ctx.db).revocationSnapshot(),
  );
};
