// Contribution commands of the `shebao` CLI: contributions assess, accounts interest. Registered by one line in src/cli.ts; modules are imported when a command runs.
import type { Command } from 'commander';
import { cliOperator, printJson, withContext, type CliHelpers } from '../cli-helpers.ts';

export function registerContributionCommands(program: Command, helpers: CliHelpers): void {
  const withCtx = (fn: Parameters<typeof withContext>[1]) => withContext(helpers, fn);

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
        const r = await new ContributionService(ctx.db, ctx.params).assess(systemActor(cliOperator()), {
          region: o.region,
          period: parsePeriod(o.period),
        });
        printJson({ ...r, seconds: (performance.now() - t) / 1000 });
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
        printJson(
          await runAccountInterest(ctx.db, ctx.params, systemActor(cliOperator()), {
            year,
            region: o.region,
          }),
        );
      }),
    );
}
