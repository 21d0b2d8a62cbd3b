// Ledger commands of the `shebao` CLI: `ledger verify` and `report funds`. The sub-ledger checks
// belong to the capabilities above the ledger; src/cli.ts passes them in.
import type { Command } from 'commander';
import { cliOperator, printJson, withContext, type CliHelpers } from '../cli-helpers.ts';
import type { SubLedgerCheck } from './ledger-verify.repository.ts';

export function registerLedgerCommands(
  program: Command,
  helpers: CliHelpers,
  subLedgerChecks: () => Promise<readonly SubLedgerCheck[]>,
): void {
  const ledger = program.command('ledger').description('the fund ledger / 基金账务');
  ledger
    .command('verify')
    .description(
      'recompute every balance from the journal, check every entry balances and the sub-ledgers agree; exit 1 on any difference / 账务核对',
    )
    .action(() =>
      withContext(helpers, async (ctx) => {
        const { verifyLedger } = await import('./ledger-verify.repository.ts');
        const r = await verifyLedger(ctx.db, await subLedgerChecks());
        printJson(r);
        process.stderr.write(
          `${r.ok ? 'OK' : 'DIFFERENCES FOUND'}: ${r.entries} entries, ${r.lines} lines, ${r.unbalancedEntries.length} unbalanced, ${r.equationDifferences.length} equation differences, ${r.subLedgers.filter((s) => !s.ok).length} sub-ledger differences\n`,
        );
        if (!r.ok) process.exitCode = 1;
      }),
    );

  program
    .command('report')
    .description('reports / 报表')
    .command('funds')
    .description('income, expenditure and balance per fund and region (JSON) / 基金收支结余')
    .requiredOption('--period <YYYY-MM>', 'period')
    .option('--region <code>', 'region (default: all)')
    .action((o: { period: string; region?: string }) =>
      withContext(helpers, async (ctx) => {
        const { parsePeriod } = await import('../core/dates.ts');
        const { systemActor } = await import('../auth/actor.ts');
        const { FundReportService } = await import('./fund-report.service.ts');
        printJson(
          await new FundReportService(ctx.db, ctx.params).fundsReport(systemActor(cliOperator()), {
            period: parsePeriod(o.period),
            ...(o.region === undefined ? {} : { region: o.region }),
          }),
        );
      }),
    );
}
