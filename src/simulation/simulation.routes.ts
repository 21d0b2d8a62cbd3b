// The policy simulator over HTTP: run a scenario, list, read and export stored runs.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { errorResponses } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import {
  ScenarioBody,
  SimulationId,
  SimulationList,
  SimulationListQuery,
  SimulationRun,
} from './simulation.schema.ts';
import { SimulationService } from './simulation.service.ts';
import { attachment } from '../http/attachment.ts';

export const simulationRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const simulations = new SimulationService(ctx.db, ctx.params);
  app.post(
    '/api/v1/simulations',
    {
      config: { action: 'simulation.run' },
      schema: {
        tags: ['simulation'],
        summary: '政策模拟 / Run a policy simulation',
        description:
          'Projects the employee pension fund of the region (the caller\u2019s, or `region`) over `years` (1–50): income, expenditure, balance, contributors, pensioners and the dependency ratio, on the region\u2019s own population and the live rules. `{"years": 10}` alone is the baseline; the other fields change the adjustment rate, the employer rate, the base floor, the retirement-age schedule or the assumptions. The run is stored. The same request twice gives the same answer (only `id` and `createdAt` differ). See docs/simulation.md.',
        body: ScenarioBody,
        response: { 200: SimulationRun, ...errorResponses },
      },
    },
    async (req) => simulations.run(actorOf(req), req.body),
  );
  app.get(
    '/api/v1/simulations',
    {
      config: { action: 'simulation.read' },
      schema: {
        tags: ['simulation'],
        summary: '模拟记录 / Stored simulation runs',
        description: 'The runs of the caller\u2019s region (or `region`), newest first.',
        querystring: SimulationListQuery,
        response: { 200: SimulationList, ...errorResponses },
      },
    },
    async (req) => simulations.list(actorOf(req), req.query),
  );
  app.get(
    '/api/v1/simulations/:id',
    {
      config: { action: 'simulation.read' },
      schema: {
        tags: ['simulation'],
        summary: '模拟结果 / One simulation run',
        params: SimulationId,
        response: { 200: SimulationRun, ...errorResponses },
      },
    },
    async (req) => simulations.get(actorOf(req), req.params.id),
  );
  app.get(
    '/api/v1/simulations/:id/export.csv',
    {
      config: { action: 'simulation.read' },
      schema: {
        tags: ['simulation'],
        summary: '导出模拟结果 / Export a run as CSV',
        params: SimulationId,
        response: { 200: { content: { 'text/csv': { schema: Type.String() } } }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { filename, text } = await simulations.csv(actorOf(req), req.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment(filename))
        .send(text);
    },
  );
};
