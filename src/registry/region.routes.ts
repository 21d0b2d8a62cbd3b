// GET /api/v1/regions, GET /api/v1/regions/{code}
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { Nullable } from './person.schema.ts';
import { RegionService } from './region.service.ts';

const Level = Type.Union([
  Type.Literal('national'),
  Type.Literal('province'),
  Type.Literal('prefecture'),
  Type.Literal('county'),
]);

const Region = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  parentCode: Nullable(Type.String()),
  level: Level,
});

const RegionDetail = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  parentCode: Nullable(Type.String()),
  level: Level,
  chain: Type.Array(Region, {
    description: '省 → 地市 → 区县 / province → prefecture → county, the region itself last',
  }),
  fullNameZh: Type.String(),
  fullNameEn: Type.String(),
});

export const regionRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const regions = new RegionService(ctx.db);
  app.get(
    '/api/v1/regions',
    {
      config: { action: 'region.read' },
      schema: {
        tags: ['registry'],
        summary: '行政区划 / Regions (GB/T 2260)',
        response: { 200: Type.Array(Region), ...errorResponses },
      },
    },
    async (req) => regions.list(actorOf(req)),
  );
  app.get(
    '/api/v1/regions/:code',
    {
      config: { action: 'region.read' },
      schema: {
        tags: ['registry'],
        summary: '行政区划及其上级 / A region with its name and parent chain',
        params: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }),
        response: { 200: RegionDetail, ...errorResponses },
      },
    },
    async (req) => regions.get(actorOf(req), req.params.code),
  );
};
