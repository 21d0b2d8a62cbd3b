// /api/v1/transfers/collections: at retirement, the place of payment gathers the person's records
// from every province (国办发〔2009〕66号 Art. 6); registered beside federation.routes.ts on a province.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses, RowId } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { COLLECTION_PAGE, CollectionService } from './transfer-collect.service.ts';

const Status = Type.Union([
  Type.Literal('requested'),
  Type.Literal('gathering'),
  Type.Literal('elsewhere'),
  Type.Literal('completed'),
]);
const Nullable = <T extends ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

/** A collection's decision and progress, as the clerk's detail and the person's own read show it. */
const Progress = Type.Object({
  id: Type.Integer(),
  appliedOn: Type.String({ description: '申请日期 / the day applied (Asia/Shanghai)' }),
  status: Status,
  place: Type.Union([Type.String(), Type.Null()]),
  rule: Nullable(Type.Integer()),
  reason: Type.Union([Type.String(), Type.Null()]),
  segments: Type.Array(Type.Object({ province: Type.String(), months: Type.Integer() })),
  transfers: Type.Array(
    Type.Object({
      id: Type.Integer(),
      fromProvince: Type.Union([Type.String(), Type.Null()]),
      status: Type.String(),
      months: Nullable(Type.Integer()),
      totalFen: Nullable(Type.Integer()),
      cameThrough: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

export const collectionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tags = ['federation'];
  const service = new CollectionService(ctx.db);
  app.post(
    '/api/v1/transfers/collections',
    {
      config: { action: 'transfer.apply' },
      schema: {
        tags,
        summary:
          '待遇领取地确认与归集 / At retirement: the exchange decides the place of payment (pension-payment-place) from its index; if it is this province, every other province holding a segment sends it with its funds',
        body: Type.Object(
          {
            idNumber: Type.Optional(Type.String({ pattern: '^[0-9]{17}[0-9Xx]$' })),
            personId: Type.Optional(RowId),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.Integer(), status: Status }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await service.apply(actorOf(req), req.body);
      return reply.status(201).send(r);
    },
  );
  app.get(
    '/api/v1/transfers/collections',
    {
      config: { action: 'transfer.read' },
      schema: {
        tags,
        summary:
          '归集申请列表 / The collections of the clerk\u2019s region, newest first, a page at a time, with how many of their transfers are complete (staff only)',
        description:
          'Keyset paging: pass the `next` of a page as `cursor` for the rows after it (null on the last page). A cursor that does not name a collection of the caller\u2019s list → 400 SB_ERR_INVALID_CURSOR.',
        querystring: Type.Object({
          cursor: Type.Optional(
            Type.String({ description: '上一页的 next / the previous page\u2019s next' }),
          ),
          limit: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 200, default: COLLECTION_PAGE, description: 'rows a page' }),
          ),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                personId: Type.Integer(),
                name: Type.String(),
                status: Status,
                place: Type.Union([Type.String(), Type.Null()]),
                rule: Nullable(Type.Integer()),
                appliedOn: Type.String({ description: '申请日期 / the day applied (Asia/Shanghai)' }),
                transfers: Type.Integer(),
                completed: Type.Integer(),
              }),
            ),
            next: Type.Union([Type.String(), Type.Null()], {
              description: '下一页的翻页标记 / the cursor of the next page; null on the last',
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      service.list(actorOf(req), {
        ...(req.query.cursor !== undefined ? { cursor: req.query.cursor } : {}),
        ...(req.query.limit !== undefined ? { limit: req.query.limit } : {}),
      }),
  );
  app.get(
    '/api/v1/transfers/collections/mine',
    {
      config: { action: 'transfer.read' },
      schema: {
        tags,
        summary:
          '我的待遇领取地归集 / The insured person\u2019s own collections, newest first: the place of payment decided, the rule, each province\u2019s months and the transfers gathering them. The person is the session\u2019s (citizens only; staff use the list and the detail).',
        response: { 200: Type.Array(Progress), ...errorResponses },
      },
    },
    async (req) => service.mine(actorOf(req)),
  );
  app.get(
    '/api/v1/transfers/collections/:id',
    {
      config: { action: 'transfer.read' },
      schema: {
        tags,
        summary: '归集进度 / The place of payment decided, the segments, and the transfers gathering them',
        params: Type.Object({ id: RowId }),
        response: {
          200: Type.Object({
            ...Progress.properties,
            ref: Type.String(),
            personId: Type.Integer(),
            name: Type.String(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => service.get(actorOf(req), req.params.id),
  );
};
