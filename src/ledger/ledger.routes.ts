// /api/v1 ledger: the fund report (income, expenditure, balance per fund and region) and the ledger
// verification. The sub-ledger checks belong to the capabilities above; server.ts passes them in.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { authorize } from '../auth/policy.ts';
import { errorResponses, PeriodString } from '../http/schemas.ts';
import { actorOf } from '../http/session.plugin.ts';
import { FundReportService } from './fund-report.service.ts';
import { verifyLedger, type SubLedgerCheck } from './ledger-verify.repository.ts';
import { FundsReportSchema, LedgerVerifySchema } from './ledger.schema.ts';

export const ledgerRoutes: FastifyPluginAsyncTypebox<{
  ctx: AppContext;
  subLedgerChecks: readonly SubLedgerCheck[];
}> = async (app, { ctx, subLedgerChecks }) => {
  app.get(
    '/api/v1/reports/funds',
    {
      config: { action: 'report.read' },
      schema: {
        tags: ['reports'],
        summary: '基金收支结余 / Fund income, expenditure and balance',
        description:
          "Per fund and region: the month, the year to date and the cumulative balance (总收入 … 总支出 … 累计结余 …), each fund's twelve months up to the period (income, expenditure, balance at the month's end), insured counts per scheme, and the central adjustment between the regions present (2018–2021).",
        querystring: Type.Object({
          period: PeriodString,
          region: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
        }),
        response: { 200: FundsReportSchema, ...errorResponses },
      },
    },
    async (req) =>
      new FundReportService(ctx.db, ctx.params).fundsReport(actorOf(req), {
        period: req.query.period,
        ...(req.query.region === undefined ? {} : { region: req.query.region }),
      }),
  );

  app.get(
    '/api/v1/ledger/verify',
    {
      config: { action: 'ledger.verify' },
      schema: {
        tags: ['reports'],
        summary: '账务核对 / Verify the ledger and the contribution sub-ledgers',
        response: { 200: LedgerVerifySchema, ...errorResponses },
      },
    },
    async (req) => {
      authorize(actorOf(req), 'ledger.verify');
      return verifyLedger(ctx.db, subLedgerChecks);
    },
  );
};
