// POST /api/v1/calc/{rule}, GET /api/v1/calc (the list), GET /api/v1/params?region=…&date=…
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { today } from '../core/clock.ts';
import { parseDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { FieldReader } from '../core/input.ts';
import { errorResponses, IsoDateString, RegionCode, TraceSchema } from '../http/schemas.ts';
import { getRule, RULES } from './rules-catalogue.ts';
import { readRegion, runRule } from '../core/rule.ts';

export const calcRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  // Anyone may calculate, so a caller's address may not spend the server's CPU freely: 60 a minute over
  // the three routes together (the other public reads' limit). One limiter, so one store: a route's own
  // `config.rateLimit` gets a store of its own and gave an address 60 on each. The address is the
  // socket's unless TRUSTED_PROXIES names the proxy.
  const publicCalcLimit = app.rateLimit({ max: 60, timeWindow: '1 minute' });
  app.get(
    '/api/v1/calc',
    {
      config: { public: true },
      onRequest: publicCalcLimit,
      schema: {
        tags: ['calc'],
        summary: '计算规则列表 / The rules of the calculation contract',
        response: {
          200: Type.Array(
            Type.Object({ rule: Type.String(), titleZh: Type.String(), titleEn: Type.String() }),
          ),
        },
      },
    },
    async () => [...RULES.values()].map((r) => ({ rule: r.name, titleZh: r.title.zh, titleEn: r.title.en })),
  );

  app.post(
    '/api/v1/calc/:rule',
    {
      config: { public: true },
      onRequest: publicCalcLimit,
      schema: {
        tags: ['calc'],
        summary: '按规则计算 / Compute one rule',
        description:
          'Same JSON input and answer as `shebao calc <rule>`; see docs/calc-contract.md. Money in fen, a trace of every parameter and figure used.',
        params: Type.Object({ rule: Type.String({ maxLength: 64 }) }),
        body: Type.Unknown(),
        response: {
          200: Type.Object({ trace: TraceSchema }, { additionalProperties: true }),
          400: errorResponses[400],
        },
      },
    },
    async (req) => runRule(getRule(req.params.rule), req.body, ctx.params),
  );

  app.get(
    '/api/v1/params',
    {
      config: { public: true },
      onRequest: publicCalcLimit,
      schema: {
        tags: ['calc'],
        summary: '适用的政策参数 / Parameters in force for a region on a date',
        querystring: Type.Object({
          region: Type.Optional(RegionCode),
          date: Type.Optional(IsoDateString),
        }),
        response: {
          200: Type.Object({
            region: Type.String(),
            date: Type.String(),
            parameters: Type.Array(
              Type.Object({
                path: Type.String(),
                description: Type.String(),
                unit: Type.String(),
                value: Type.Unknown(),
                region: Type.String(),
                effectiveFrom: Type.String(),
                reference: Type.Object({ zh: Type.String(), en: Type.String() }),
                uncertain: Type.Boolean(),
              }),
            ),
          }),
          400: errorResponses[400],
        },
      },
    },
    async (req) => {
      const region = readRegion(
        new FieldReader(req.query.region === undefined ? {} : { region: req.query.region }),
        ctx.params,
      );
      const date = req.query.date === undefined ? today() : parseDate(req.query.date, 'date');
      if (!ctx.params) throw new SbError('SB_ERR_INTERNAL');
      return { region, date, parameters: ctx.params.resolveAll(region, date) };
    },
  );
};
