// /api/v1/transfers (a province: apply, progress) and /api/v1/federation (this node's messaging
// state; at the national exchange, the person index by hashed ID number).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { authorize } from '../auth/policy.ts';
import { errorResponses, NoteText, PeriodString, RowId, TraceSchema } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { sql } from 'kysely';
import { int } from '../db/values.ts';
import { idHash, NATIONAL } from './fed.messaging.ts';
import { NationalService } from './national.service.ts';
import { transferTotals } from './transfer.repository.ts';
import { TransferService } from './transfer.service.ts';
import { NationalArticleSchema } from './national.schema.ts';
import { crossProvinceRoutes } from './cross-province.routes.ts';

const Nullable = <T extends ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);
const Status = Type.Union([
  Type.Literal('requested'),
  Type.Literal('sent'),
  Type.Literal('credited'),
  Type.Literal('completed'),
  Type.Literal('refused'),
]);
const Kind = Type.Union([
  Type.Literal('pension'),
  Type.Literal('unemployment'),
  Type.Literal('scheme-bridging'),
]);
const Fund = Type.Union([Type.Literal('employee_pension'), Type.Literal('resident_pension'), Type.Null()]);
const Transfer = Type.Object({
  id: Type.Integer(),
  ref: Type.String(),
  kind: Kind,
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  status: Status,
  personId: Nullable(Type.Integer()),
  fromProvince: Type.Union([Type.String(), Type.Null()], {
    description:
      '转出省份（全国平台查得前为空）/ the old place, null until the national index has located it',
  }),
  toProvince: Type.String(),
  appliedBy: Type.String(),
  months: Nullable(Type.Integer()),
  pooledFen: Nullable(Type.Integer()),
  accountFen: Nullable(Type.Integer()),
  totalFen: Nullable(Type.Integer()),
  pooledByYear: Type.Union([Type.Record(Type.String(), Type.Integer()), Type.Null()]),
  unemployment: Type.Union([
    Type.Object({
      contribMonths: Type.Integer(),
      carriedContribMonths: Type.Integer(),
      remainingMonths: Type.Integer(),
      outMonthlyFen: Type.Integer(),
      benefitFen: Type.Integer(),
      subsidiesFen: Type.Integer(),
      fundsMove: Type.Boolean(),
    }),
    Type.Null(),
  ]),
  bridging: Type.Union(
    [
      Type.Object({
        direction: Type.Union([
          Type.Literal('resident→employee'),
          Type.Literal('employee→resident'),
          Type.Literal('end resident relation'),
        ]),
        employeeMonths: Type.Integer(),
        residentMonths: Type.Integer(),
        employeeAccountFen: Type.Integer(),
        residentAccountFen: Type.Integer(),
        overlapMonths: Type.Integer(),
        movedFen: Type.Integer(),
        fromFund: Fund,
        toFund: Fund,
        refundFen: Type.Integer(),
        subsidyStaysFen: Type.Integer(),
        toReturnOrOffsetFen: Type.Integer(),
      }),
      Type.Null(),
    ],
    { description: '城乡养老保险制度衔接的决定和金额 / scheme bridging: the decision and the amounts' },
  ),
  note: Type.Union([NoteText, Type.Null()]),
  steps: Type.Array(
    Type.Object({
      step: Type.String(),
      on: Type.String(),
      dueBy: Type.Union([Type.String(), Type.Null()]),
      node: Type.String(),
      note: Type.Union([NoteText, Type.Null()]),
    }),
  ),
});

export interface FederationRouteOptions {
  ctx: AppContext;
  self: string;
  provinces: readonly string[];
  stats: () => Record<string, number>;
}

export const federationRoutes: FastifyPluginAsyncTypebox<FederationRouteOptions> = async (
  app,
  { ctx, self, provinces, stats },
) => {
  const tags = ['federation'];
  const service = new TransferService(ctx.db, self, provinces, ctx.params);

  app.get(
    '/api/v1/federation/status',
    {
      config: { action: 'federation.read' },
      schema: {
        tags,
        summary: '本节点联网状态 / This node: role, messages in and out, refusals, transfer money out and in',
        response: {
          200: Type.Object({
            node: Type.String(),
            provinces: Type.Array(Type.String()),
            outboxPending: Type.Integer(),
            published: Type.Integer(),
            inbox: Type.Integer(),
            refused: Type.Array(
              Type.Object({
                msgId: Type.Union([Type.String(), Type.Null()]),
                claimedFrom: Type.Union([Type.String(), Type.Null()]),
                reason: Type.String(),
              }),
            ),
            transfers: Type.Record(Type.String(), Type.Integer()),
            transferOutFen: Type.Integer(),
            transferInFen: Type.Integer(),
            process: Type.Record(Type.String(), Type.Integer()),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      authorize(actorOf(req), 'federation.read');
      const c = await sql<{ pending: unknown; published: unknown; inbox: unknown }>`
        SELECT (SELECT count(*) FROM fed_outbox WHERE published_at IS NULL)::bigint AS pending,
               (SELECT count(*) FROM fed_outbox WHERE published_at IS NOT NULL)::bigint AS published,
               (SELECT count(*) FROM fed_inbox)::bigint AS inbox`.execute(ctx.db);
      const refused = await sql<{ msg_id: string | null; claimed_from: string | null; reason: string }>`
        SELECT msg_id, claimed_from, reason FROM fed_refused ORDER BY id DESC LIMIT 100`.execute(ctx.db);
      const byStatus = await sql<{ k: string; n: unknown }>`
        SELECT direction || ':' || status AS k, count(*)::bigint AS n FROM fed_transfer GROUP BY 1`.execute(
        ctx.db,
      );
      const totals = await transferTotals(ctx.db);
      return {
        node: self,
        provinces: [...provinces],
        outboxPending: int(c.rows[0]?.pending),
        published: int(c.rows[0]?.published),
        inbox: int(c.rows[0]?.inbox),
        refused: refused.rows.map((r) => ({
          msgId: r.msg_id,
          claimedFrom: r.claimed_from,
          reason: r.reason,
        })),
        transfers: Object.fromEntries(byStatus.rows.map((r) => [r.k, int(r.n)])),
        transferOutFen: totals.outFen,
        transferInFen: totals.inFen,
        process: stats(),
      };
    },
  );

  if (self === NATIONAL) {
    app.post(
      '/api/v1/federation/index/lookup',
      {
        config: { action: 'federation.read' },
        schema: {
          tags,
          summary:
            '全国参保人员索引查询 / Which provinces hold segments of a person (the ID number is hashed; only the hash is kept)',
          body: Type.Object(
            { idNumber: Type.String({ pattern: '^[0-9]{17}[0-9Xx]$' }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              idHash: Type.String(),
              provinces: Type.Array(
                Type.Object({
                  province: Type.String(),
                  months: Type.Integer(),
                  lastPeriod: Type.Union([Type.String(), Type.Null()]),
                  relationHeld: Type.Boolean(),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        authorize(actorOf(req), 'federation.read');
        const h = idHash(req.body.idNumber);
        return { idHash: h, provinces: await new NationalService(ctx.db).indexLookup(h) };
      },
    );
    app.get(
      '/api/v1/federation/index',
      {
        config: { action: 'federation.read' },
        schema: {
          tags,
          summary: '全国参保人员索引概况 / The national person index by province',
          response: {
            200: Type.Array(
              Type.Object({
                province: Type.String(),
                persons: Type.Integer(),
                relationsHeld: Type.Integer(),
                withOtherProvinces: Type.Integer(),
              }),
            ),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        authorize(actorOf(req), 'federation.read');
        return new NationalService(ctx.db).indexSummary();
      },
    );
    app.post(
      '/api/v1/federation/payment-place',
      {
        config: { action: 'federation.read' },
        schema: {
          tags,
          summary:
            '待遇领取地 / The place of pension payment at retirement (国办发〔2009〕66号 第六条, rule pension-payment-place) from every province\u2019s segments in the national index',
          body: Type.Object(
            {
              idNumber: Type.String({ pattern: '^[0-9]{17}[0-9Xx]$' }),
              hukou: Type.String({ pattern: '^[1-8][0-9]0000$', description: '户籍所在省 / hukou province' }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              place: Type.String(),
              rule: Type.Integer(),
              reason: Type.String(),
              collectTemporary: Type.Array(Type.String()),
              segments: Type.Array(Type.Object({ province: Type.String(), months: Type.Integer() })),
              trace: TraceSchema,
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        authorize(actorOf(req), 'federation.read');
        return new NationalService(ctx.db).paymentPlace(req.body.idNumber, req.body.hukou);
      },
    );
    const Figures = Type.Object({
      fund: Type.String(),
      incomeFen: Type.Integer(),
      expenditureFen: Type.Integer(),
      balanceFen: Type.Integer(),
      personalAccountFen: Type.Integer(),
    });
    app.post(
      '/api/v1/national/report',
      {
        config: { action: 'federation.read' },
        schema: {
          tags,
          summary:
            '向各省征集基金收支数据 / Ask every province for a period\u2019s fund figures (they answer by message)',
          body: Type.Object({ period: PeriodString }, { additionalProperties: false }),
          response: {
            202: Type.Object({ period: Type.String(), requested: Type.Array(Type.String()) }),
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        authorize(actorOf(req), 'federation.read');
        await new NationalService(ctx.db).requestFigures(provinces, req.body.period);
        return reply.status(202).send({ period: req.body.period, requested: [...provinces] });
      },
    );
    app.get(
      '/api/v1/national/report',
      {
        config: { action: 'federation.read' },
        schema: {
          tags,
          summary:
            '全国基金收支情况 / Fund income, expenditure and balance per province and in total, as reported',
          querystring: Type.Object({ period: PeriodString }),
          response: {
            200: Type.Object({
              period: Type.String(),
              provinces: Type.Record(
                Type.String(),
                Type.Object({ funds: Type.Array(Figures), reportedAt: Type.String() }),
              ),
              total: Type.Array(Figures),
              missing: Type.Array(Type.String()),
              article: NationalArticleSchema,
            }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        authorize(actorOf(req), 'federation.read');
        return new NationalService(ctx.db).nationalReport(provinces, req.query.period);
      },
    );
    return;
  }

  await app.register(crossProvinceRoutes, { ctx, self, provinces });

  app.post(
    '/api/v1/transfers',
    {
      config: { action: 'transfer.apply' },
      schema: {
        tags,
        summary:
          '养老保险或失业保险关系转移接续申请（转入地）、城乡养老保险制度衔接申请 / Apply to transfer a pension (国办发〔2009〕66号) or unemployment relation in from another province, or to bridge the employee and residents\u2019 schemes (人社部发〔2014〕17号)',
        description:
          'At the new place, by the person (citizen login) or a clerk. The national exchange locates the old place from its index (a `fromProvince` given is only a hint the index must confirm); the old place computes and sends the funds (`pension-transfer-funds` or `unemployment-transfer-funds`); follow the steps with GET /api/v1/transfers/{id}. Amounts and dates are never taken from the applicant.',
        body: Type.Object(
          {
            fromProvince: Type.Optional(
              Type.String({
                pattern: '^[0-9]{6}$',
                description:
                  '转出省份（可选，须与全国索引一致）/ optional hint, checked against the national index; for scheme-bridging, the province holding the other scheme\u2019s records (it checks them itself)',
              }),
            ),
            kind: Type.Optional(Kind),
            approvedTransfer: Type.Optional(
              Type.Boolean({
                description:
                  '组织调动（经办人员核实，国办发〔2009〕66号 第五条第三项）/ a move approved by an organisation or HR department (clerk only)',
              }),
            ),
            idNumber: Type.Optional(Type.String({ pattern: '^[0-9]{17}[0-9Xx]$' })),
            personId: Type.Optional(RowId),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.Integer(), status: Status }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await service.apply(actorOf(req), {
        ...(req.body.fromProvince !== undefined ? { fromProvince: req.body.fromProvince } : {}),
        ...(req.body.kind !== undefined ? { kind: req.body.kind } : {}),
        ...(req.body.approvedTransfer !== undefined ? { approvedTransfer: req.body.approvedTransfer } : {}),
        ...(req.body.idNumber !== undefined ? { idNumber: req.body.idNumber } : {}),
        ...(req.body.personId !== undefined ? { personId: req.body.personId } : {}),
      });
      return reply.status(201).send(r);
    },
  );

  app.get(
    '/api/v1/transfers/:id',
    {
      config: { action: 'transfer.read' },
      schema: {
        tags,
        summary: '转移进度 / A transfer: each step with its date and legal time limit, and the amounts',
        params: Type.Object({ id: RowId }),
        response: { 200: Transfer, ...errorResponses },
      },
    },
    async (req) => service.get(actorOf(req), req.params.id),
  );

  app.get(
    '/api/v1/transfers',
    {
      config: { action: 'transfer.read' },
      schema: {
        tags,
        summary:
          '转移申请列表 / Transfers at this province (in and out), newest first; a citizen sees their own',
        querystring: Type.Object({ ref: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 200: Type.Array(Transfer), ...errorResponses },
      },
    },
    async (req) => service.list(actorOf(req), req.query.ref === undefined ? {} : { ref: req.query.ref }),
  );
};
