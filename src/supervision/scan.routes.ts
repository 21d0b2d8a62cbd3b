// Fund supervision, the detector part: POST /api/v1/supervision/scans runs the detectors over a
// region (a supervisor of that region); GET /api/v1/supervision/findings lists the findings.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { FindingPage, FindingQuery, ScanAnswer, ScanBody } from './scan.schema.ts';
import { ScanService } from './scan.service.ts';

const tags = ['supervision'];

export const scanRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const scans = new ScanService(ctx.db, ctx.params);
  app.post(
    '/api/v1/supervision/scans',
    {
      config: { action: 'supervision.scan' },
      schema: {
        tags,
        summary: '基金监管扫描 / Run the supervision detectors over a region',
        description:
          'Every detector (or the ones named) over the region and its sub-regions. Idempotent: a finding already known (same detector, subject and period) is not added again. Answers the findings by detector after the scan and the ones this scan added.',
        body: ScanBody,
        response: { 200: ScanAnswer, ...errorResponses },
      },
    },
    async (req) =>
      scans.scan(actorOf(req), {
        region: req.body.region,
        ...(req.body.detectors === undefined ? {} : { detectors: req.body.detectors }),
      }),
  );

  app.get(
    '/api/v1/supervision/findings',
    {
      config: { action: 'supervision.read' },
      schema: {
        tags,
        summary: '监管疑点 / Supervision findings of a region',
        description:
          'Newest first, with their evidence; filter by detector, region (default: your own) and status. A supervisor sees only findings in their region.',
        querystring: FindingQuery,
        response: { 200: FindingPage, ...errorResponses },
      },
    },
    async (req) => scans.listFindings(actorOf(req), req.query),
  );
};
