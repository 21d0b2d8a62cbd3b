// GET /api/v1/regions
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { Nullable } from './person.schema.ts';
import { RegionService } from './region.service.ts';

const Region = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  parentCode: Nullable(Type.String()),
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
};
