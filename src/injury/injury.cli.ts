// The `shebao injury` command group: `injury pay` (the monthly allowance payroll; idempotent, resumes
// an interrupted run) and `injury summary`. registerInjuryCommands answers the group so other
// work-injury commands (the hospital settlement's `injury settle`, src/injury/settlement.cli.ts) can
// be added to it from src/cli.ts. Jobs are imported when a command runs.
import type { Command } from 'commander';
import type { AppContext } from '../app-context.ts';
import { cliOperator, printJson, withContext, type CliHelpers } from '../cli-helpers.ts';

export function registerInjuryCommands(program: Command, helpers: CliHelpers): Command {
  const withCtx = (fn: (ctx: AppContext) => Promise<void>) => withContext(helpers, fn);
  const injury = program.command('injury').description('work-injury insurance / 工伤保险');
  injury
    .command('pay')
    .description(
      'pay the fund’s monthly work-injury benefits (grade 1–4 allowances, nursing, dependants) for the period; resumes an interrupted run and never pays twice',
    )
    .requiredOption('--period <YYYY-MM>', 'payment period')
    .option('--region <code>', 'region (000000: all)', '000000')
    .option('--chunk-size <n>', 'benefits per transaction', '20000')
    .option('--bank-file <path>', 'write the bank payment CSV there; it holds full account numbers')
    .action((o: { period: string; region: string; chunkSize: string; bankFile?: string }) =>
      withCtx(async (ctx) => {
        const { runInjuryPayroll, writeInjuryBankFile } = await import('./injury-payroll.job.ts');
        const { systemActor } = await import('../auth/actor.ts');
        const summary = await runInjuryPayroll(ctx.db, systemActor(cliOperator()), {
          period: o.period,
          region: o.region,
          chunkSize: Number(o.chunkSize),
        });
        if (o.bankFile !== undefined && summary.status === 'done') {
          const file = await writeInjuryBankFile(ctx.db, { period: o.period, region: o.region }, o.bankFile);
          printJson({ ...summary, bankFile: file });
        } else printJson(summary);
      }),
    );
  injury
    .command('summary')
    .description('payments, total and status of a period’s work-injury payroll, as JSON')
    .requiredOption('--period <YYYY-MM>', 'payment period')
    .option('--region <code>', 'region (000000: all)', '000000')
    .action((o: { period: string; region: string }) =>
      withCtx(async (ctx) => {
        const { injuryPayrollSummary } = await import('./injury-payroll.job.ts');
        printJson(await injuryPayrollSummary(ctx.db, o));
      }),
    );
  return injury;
}
