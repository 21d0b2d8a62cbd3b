// `shebao unemployment …`: the monthly benefit payroll (pay, summary). Registered by one line in
// src/cli.ts. Other modules of the capability add their own subcommands to the same group by passing
// a registrar (e.g. `refunds` from refund.cli.ts): registerUnemploymentCommands(program, helpers, [registerRefunds]).
import type { Command } from 'commander';
import { cliOperator, registerPayrollCommands, type CliHelpers } from '../cli-helpers.ts';

/** Adds subcommands to the `unemployment` group. */
export type UnemploymentCommandRegistrar = (group: Command, helpers: CliHelpers) => void;

/** Builds the `unemployment` command group with its own subcommands and any extra registrars'. */
export function registerUnemploymentCommands(
  program: Command,
  helpers: CliHelpers,
  extra: readonly UnemploymentCommandRegistrar[] = [],
): Command {
  const group = program.command('unemployment').description('unemployment insurance / 失业保险');

  registerPayrollCommands(group, helpers, 'pay', {
    periodLabel: 'benefit month',
    runDescription:
      'pay the month’s unemployment benefits of the region (stops the re-employed first; resumes an interrupted run; never pays twice)',
    chunkLabel: 'claims per transaction',
    defaultChunkSize: '50000',
    bankFileHelp: 'write the bank payment CSV there; it holds full account numbers',
    summaryDescription: 'payments, total and status of a benefit month, as JSON',
    run: async (ctx, o) => {
      const { runBenefitPayroll } = await import('./benefit-payroll.job.ts');
      const { systemActor } = await import('../auth/actor.ts');
      return runBenefitPayroll(ctx, systemActor(cliOperator()), o);
    },
    writeBankFile: async (ctx, where, path) =>
      (await import('./benefit-payroll.job.ts')).writeBenefitBankFile(ctx.db, where, path),
    summary: async (ctx, o) => (await import('./benefit-payroll.job.ts')).benefitPayrollSummary(ctx.db, o),
  });

  for (const register of extra) register(group, helpers);
  return group;
}
