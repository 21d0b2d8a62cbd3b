// Contribution commands of the `shebao` CLI: ledger verify, report funds, contributions assess,
// accounts interest. Registered by one line in src/cli.ts; modules are imported when a command runs.
import type { Command } from 'commander';
import type { AppContext } from '../app-context.ts';

export interface CliHelpers {
  openCliContext: () => Promise<AppContext>;
  guarded: (fn: () => Promise<void>) => Promise<void>;
}

const print = (v: unknown): void => {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
};

const operator = (): string => (process.env['USER'] ? `cli:${process.env['USER']}` : 'cli');

export function registerContributionCommands(
  program: Command,
  { openCliContext, guarded }: CliHelpers,
): void {
  const withCtx = (fn: (ctx: AppContext) => Promise<void>) =>
    guarded(async () => {
      const ctx = await openCliContext();
      try {
        await fn(ctx);
      } finally {
        await ctx.handle.close();
      }
    });

  const ledger = program.command('ledger').description('the fund ledger / 基金账务');
  ledger
    .command('verify')
    .description(
      'recompute every balance from the journal, check every entry balances and the sub-ledgers agree; exit 1 on any difference / 账务核对',
    )
    .action(() =>
      withCtx(async (ctx) => {
        const { verifyLedger } = await import('../ledger/ledger-verify.repository.ts');
        const { CONTRIBUTION_CHECKS } = await import('./ledger-checks.repository.ts');
        const r = await verifyLedger(ctx.db, CONTRIBUTION_CHECKS);
        print(r);
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
      withCtx(async (ctx) => {
        const { parsePeriod } = await import('../core/dates.ts');
        const { systemActor } = await import('../auth/actor.ts');
        const { fundsReport } = await import('./fund-report.service.ts');
        print(
          await fundsReport(ctx.db, ctx.params, systemActor(operator()), {
            period: parsePeriod(o.period),
            ...(o.region === undefined ? {} : { region: o.region }),
          }),
        );
      }),
    );

  program
    .command('contributions')
    .description('contributions / 社会保险费征缴')
    .command('assess')
    .description('assess a period into bills (set-based; a rerun picks up only late declarations) / 核定征缴')
    .requiredOption('--period <YYYY-MM>', 'period')
    .option('--region <code>', 'region', '341800')
    .action((o: { period: string; region: string }) =>
      withCtx(async (ctx) => {
        const { parsePeriod } = await import('../core/dates.ts');
        const { systemActor } = await import('../auth/actor.ts');
        const { ContributionService } = await import('./contribution.service.ts');
        const t = performance.now();
        const r = await new ContributionService(ctx.db, ctx.params).assess(systemActor(operator()), {
          region: o.region,
          period: parsePeriod(o.period),
        });
        print({ ...r, seconds: (performance.now() - t) / 1000 });
      }),
    );

  program
    .command('accounts')
    .description('personal accounts / 个人账户')
    .command('interest')
    .description('credit the year-end interest (idempotent, resumable) / 年度记账利息')
    .requiredOption('--year <YYYY>', 'year')
    .option('--region <code>', 'region', '341800')
    .action((o: { year: string; region: string }) =>
      withCtx(async (ctx) => {
        const { systemActor } = await import('../auth/actor.ts');
        const { runAccountInterest } = await import('./account-interest.job.ts');
        const year = Number(o.year);
        if (!Number.isInteger(year)) throw new Error('--year must be a year');
        print(
          await runAccountInterest(ctx.db, ctx.params, systemActor(operator()), { year, region: o.region }),
        );
      }),
    );
}
