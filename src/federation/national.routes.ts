// The national exchange's central adjustment (/api/v1/national/central-adjustment): the exchange's
// administrator settles a year (once; the provinces answer and post by message, central.service.ts);
// the national supervisor and administrator follow it. Registered only on the national node.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { CentralAdjustmentService } from './central.service.ts';
import { CentralRunSchema } from './national.schema.ts';

export interface NationalRouteOptions {
  ctx: AppContext;
  provinces: readonly string[];
}

const Year = Type.Integer({ minimum: 2018, maximum: 2100, description: '年度 / year' });

export const nationalRoutes: FastifyPluginAsyncTypebox<NationalRouteOptions> = async (
  app,
  { ctx, provinces },
) => {
  const tags = ['federation'];
  const service = new CentralAdjustmentService(ctx.db, provinces);

  app.post(
    '/api/v1/national/central-adjustment',
    {
      config: { action: 'central-adjustment.run' },
      schema: {
        tags,
        summary:
          '发起年度基本养老保险基金中央调剂 / Settle a year\u2019s central adjustment of the pension fund (国发〔2018〕18号): the provinces report, the exchange computes (rule central-adjustment-national) and every province posts its share; once per year',
        body: Type.Object({ year: Year }, { additionalProperties: false }),
        response: {
          200: CentralRunSchema,
          202: CentralRunSchema,
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const r = await service.run(actorOf(req), req.body.year);
      return reply.status(r.started ? 202 : 200).send(r.view);
    },
  );

  app.get(
    '/api/v1/national/central-adjustment',
    {
      config: { action: 'federation.read' },
      schema: {
        tags,
        summary: '中央调剂年度列表 / The years whose central adjustment was settled or asked for',
        response: { 200: Type.Object({ years: Type.Array(Type.Integer()) }), ...errorResponses },
      },
    },
    async (req) => ({ years: await service.list(actorOf(req)) }),
  );

  app.get(
    '/api/v1/national/central-adjustment/:year',
    {
      config: { action: 'federation.read' },
      schema: {
        tags,
        summary:
          '年度中央调剂结果 / A year\u2019s central adjustment: each province\u2019s figures, contribution, allocation, net, and whether it posted',
        params: Type.Object({ year: Year }),
        response: { 200: CentralRunSchema, ...errorResponses },
      },
    },
    async (req) => service.get(actorOf(req), req.params.year),
  );
};
