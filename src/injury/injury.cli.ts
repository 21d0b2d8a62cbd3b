// The `shebao injury` command group: `injury pay` (the monthly allowance payroll; idempotent, resumes
// an interrupted run) and `injury summary`. registerInjuryCommands answers the group so other
// work-injury commands (the hospital settlement's `injury settle`, src/injury/settlement.cli.ts) can
// be added to it from src/cli.ts. Jobs are imported when a command runs.
import type { Command } from 'commander';
import { cliOperator, registerPayrollCommands, type CliHelpers } from '../cli-helpers.ts';

export function registerInjuryCommands(program: Command, helpers: CliHelpers): Command {
  const injury = program.command('injury').description('work-injury insurance / 工伤保险');
  registerPayrollCommands(injury, helpers, 'pay', {
    periodLabel: 'payment period',
    runDescription:
      'pay the fund’s monthly work-injury benefits (grade 1–4 allowances, nursing, dependants) for the period; resumes an interrupted run and never pays twice',
    chunkLabel: 'benefits per transaction',
    defaultChunkSize: '20000',
    bankFileHelp: 'write the bank payment CSV there; it holds full account numbers',
    summaryDescription: 'payments, total and status of a period’s work-injury payroll, as JSON',
    run: async (ctx, o) => {
      const { runInjuryPayroll } = await import('./injury-payroll.job.ts');
      const { systemActor } = await import('../auth/actor.ts');
      return runInjuryPayroll(ctx.db, systemActor(cliOperator()), {
        period: o.period,
        region: o.region,
        chunkSize: o.chunkSize,
      });
    },
    writeBankFile: async (ctx, where, path) =>
      (await import('./injury-payroll.job.ts')).writeInjuryBankFile(ctx.db, where, path),
    summary: async (ctx, o) => (await import('./injury-payroll.job.ts')).injuryPayrollSummary(ctx.db, o),
  });
  return injury;
}
