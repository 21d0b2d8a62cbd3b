// GET /api/v1/regions, GET /api/v1/regions/{code}: public reference data (GB/T 2260), no login,
// on the public lookups' one budget per address (src/http/public-lookup-limit.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import type { PublicLookupLimit } from '../http/public-lookup-limit.ts';
import { errorResponses } from '../http/schemas.ts';
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

export const regionRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext;
  publicLookupLimit: PublicLookupLimit;
}> = async (app, { ctx, publicLookupLimit }) => {
  const regions = new RegionService(ctx.db);
  app.get(
    '/api/v1/regions',
    {
      config: { public: true },
      onRequest: publicLookupLimit,
      schema: {
        tags: ['registry'],
        summary: '行政区划 / Regions (GB/T 2260)',
        description: 'Public reference data: no login.',
        response: { 200: Type.Array(Region), ...errorResponses },
      },
    },
    async () => regions.list(),
  );
  app.get(
    '/api/v1/regions/:code',
    {
      config: { public: true },
      onRequest: publicLookupLimit,
      schema: {
        tags: ['registry'],
        summary: '行政区划及其上级 / A region with its name and parent chain',
        description: 'Public reference data: no login.',
        params: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }),
        response: { 200: RegionDetail, ...errorResponses },
      },
    },
    async (req) => regions.get(req.params.code),
  );
};
