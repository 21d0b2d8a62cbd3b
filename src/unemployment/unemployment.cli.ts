// `shebao unemployment …`: the monthly benefit payroll (pay, summary). Registered by one line in
// src/cli.ts. Other modules of the capability add their own subcommands to the same group by passing
// a registrar (e.g. `refunds` from refund.cli.ts): registerUnemploymentCommands(program, helpers, [registerRefunds]).
import type { Command } from 'commander';
import type { AppContext } from '../app-context.ts';
import { cliOperator, printJson, withContext, type CliHelpers } from '../cli-helpers.ts';

/** Adds subcommands to the `unemployment` group. */
export type UnemploymentCommandRegistrar = (group: Command, helpers: CliHelpers) => void;

/** Builds the `unemployment` command group with its own subcommands and any extra registrars'. */
export function registerUnemploymentCommands(
  program: Command,
  helpers: CliHelpers,
  extra: readonly UnemploymentCommandRegistrar[] = [],
): Command {
  const withCtx = (fn: (ctx: AppContext) => Promise<void>) => withContext(helpers, fn);
  const group = program.command('unemployment').description('unemployment insurance / 失业保险');

  group
    .command('pay')
    .description(
      'pay the month’s unemployment benefits of the region (stops the re-employed first; resumes an interrupted run; never pays twice)',
    )
    .requiredOption('--period <YYYY-MM>', 'benefit month')
    .option('--region <code>', 'region (000000: all)', '000000')
    .option('--chunk-size <n>', 'claims per transaction', '50000')
    .option('--bank-file <path>', 'write the bank payment CSV there; it holds full account numbers')
    .action((o: { period: string; region: string; chunkSize: string; bankFile?: string }) =>
      withCtx(async (ctx) => {
        const { runBenefitPayroll, writeBenefitBankFile } = await import('./benefit-payroll.job.ts');
        const { systemActor } = await import('../auth/actor.ts');
        const { progressBar } = await import('../cli-progress.ts');
        const bar = progressBar(process.stderr);
        const summary = await runBenefitPayroll(ctx, systemActor(cliOperator()), {
          period: o.period,
          region: o.region,
          chunkSize: Number(o.chunkSize),
          onProgress: bar.update,
        });
        bar.done();
        if (o.bankFile !== undefined && summary.status === 'done') {
          const file = await writeBenefitBankFile(ctx.db, { period: o.period, region: o.region }, o.bankFile);
          printJson({ ...summary, bankFile: { lines: file.lines, totalFen: file.totalFen } });
        } else printJson(summary);
      }),
    );

  group
    .command('summary')
    .description('payments, total and status of a benefit month, as JSON')
    .requiredOption('--period <YYYY-MM>', 'benefit month')
    .option('--region <code>', 'region (000000: all)', '000000')
    .action((o: { period: string; region: string }) =>
      withCtx(async (ctx) => {
        const { benefitPayrollSummary } = await import('./benefit-payroll.job.ts');
        printJson(await benefitPayrollSummary(ctx.db, o));
      }),
    );

  for (const register of extra) register(group, helpers);
  return group;
}
