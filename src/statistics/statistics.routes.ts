// GET /api/v1/statistics/overview: coverage figures of a region for the agency dashboard.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { Overview, OverviewQuery } from './statistics.schema.ts';
import { StatisticsService } from './statistics.service.ts';

export const statisticsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const statistics = new StatisticsService(ctx.db);
  app.get(
    '/api/v1/statistics/overview',
    {
      config: { action: 'statistics.read' },
      schema: {
        tags: ['statistics'],
        summary: '参保概况 / Coverage overview of a region',
        description:
          'Living persons, employers, open employments, active enrolments by scheme and kind, and an age pyramid, for the staff member\u2019s region (or a sub-region they cover).',
        querystring: OverviewQuery,
        response: { 200: Overview, ...errorResponses },
      },
    },
    async (req) => statistics.overview(actorOf(req), req.query),
  );
};
