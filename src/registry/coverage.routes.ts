// GET /api/v1/coverage-gaps
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses, Paged, PageQuery, RowId } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { CoverageService } from './coverage.service.ts';
import { SchemeSchema } from './enrolment.schema.ts';

const Gap = Type.Object({
  employmentId: Type.Integer(),
  personId: Type.Integer(),
  name: Type.String(),
  idNumber: Type.String({ description: 'masked' }),
  employerId: Type.Integer(),
  employerName: Type.String(),
  employerRegion: Type.String(),
  startDate: Type.String(),
  missingSchemes: Type.Array(SchemeSchema),
});

export const coverageRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const coverage = new CoverageService(ctx.db);
  app.get(
    '/api/v1/coverage-gaps',
    {
      config: { action: 'coverage.gaps' },
      schema: {
        tags: ['registry'],
        summary: '应保未保 / Coverage gaps',
        description:
          'People in a current employment without an open enrolment in the employee pension, unemployment or work-injury insurance, by the employer\u2019s region (staff: default their own) or for one employer (an employer: itself only).',
        querystring: Type.Object({
          region: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
          employerId: Type.Optional(RowId),
          scheme: Type.Optional(SchemeSchema),
          ...PageQuery,
        }),
        response: { 200: Paged(Gap), ...errorResponses },
      },
    },
    async (req) => coverage.gaps(actorOf(req), req.query),
  );
};
