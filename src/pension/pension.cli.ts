// Pension commands of the `shebao` CLI: payroll run/summary, adjust, retirement due, events process,
// pension demo-awards. Registered by one line in src/cli.ts; jobs are imported when a command runs.
import type { Command } from 'commander';
import type { AppContext } from '../app-context.ts';
import {
  cliOperator,
  printJson,
  registerPayrollCommands,
  withContext,
  type CliHelpers,
} from '../cli-helpers.ts';

const print = printJson;

export function registerPensionCommands(program: Command, { openCliContext, guarded }: CliHelpers): void {
  const withCtx = (fn: (ctx: AppContext) => Promise<void>) => withContext({ openCliContext, guarded }, fn);

  const payroll = program.command('payroll').description('monthly pension payroll / 养老金月度发放');
  registerPayrollCommands(payroll, { openCliContext, guarded }, 'run', {
    periodLabel: 'payment period',
    runDescription:
      'pay every payable pensioner of the region for the period (resumes an interrupted run; never pays twice)',
    chunkLabel: 'awards per transaction',
    defaultChunkSize: '50000',
    bankFileHelp:
      'write the bank payment CSV there (docs/payroll-bank-file.md); it holds full account numbers',
    summaryDescription: 'payments, total and status of a period, as JSON',
    run: async (ctx, o) => {
      const { runPayroll } = await import('./payroll.job.ts');
      const { DeathService } = await import('./death.service.ts');
      const { systemActor } = await import('../auth/actor.ts');
      const actor = systemActor(cliOperator());
      await new DeathService(ctx).processDeathEvents(actor);
      return runPayroll(ctx.db, actor, { ...o, workers: ctx.config.payrollWorkers });
    },
    writeBankFile: async (ctx, where, path) =>
      (await import('./payroll.job.ts')).writeBankFile(ctx.db, where, path),
    summary: async (ctx, o) => (await import('./payroll.job.ts')).payrollSummary(ctx.db, o),
  });

  program
    .command('adjust')
    .description(
      "annual pension adjustment with the region's rule, from January of the year; arrears go to the next payroll",
    )
    .requiredOption('--region <code>', 'region whose adjustment rule applies')
    .requiredOption('--year <yyyy>', 'adjustment year')
    .action((o: { region: string; year: string }) =>
      withCtx(async (ctx) => {
        const { runAdjustment } = await import('./adjustment.job.ts');
        const { systemActor } = await import('../auth/actor.ts');
        const { progressBar } = await import('../cli-progress.ts');
        const bar = progressBar(process.stderr);
        const r = await runAdjustment(ctx, systemActor('cli'), {
          region: o.region,
          year: Number(o.year),
          workers: ctx.config.payrollWorkers,
          onProgress: bar.update,
        });
        bar.done();
        print(r);
      }),
    );

  const retirement = program.command('retirement').description('retirement decisions / 退休审批');
  retirement
    .command('due')
    .description('persons who reach statutory retirement age in the month (default: next month)')
    .option('--month <YYYY-MM>', 'month')
    .option('--region <code>', 'region', '000000')
    .action((o: { month?: string; region: string }) =>
      withCtx(async (ctx) => {
        const { RetirementService } = await import('./retirement.service.ts');
        const { systemActor } = await import('../auth/actor.ts');
        print(
          await new RetirementService(ctx.db, ctx.params).retirementDue(systemActor('cli'), {
            region: o.region,
            ...(o.month === undefined ? {} : { month: o.month }),
          }),
        );
      }),
    );

  program
    .command('events')
    .description('outbox events')
    .command('process')
    .description('process pending person.died events: stop pensions, recover overpayments, pay survivors')
    .action(() =>
      withCtx(async (ctx) => {
        const { DeathService } = await import('./death.service.ts');
        const { systemActor } = await import('../auth/actor.ts');
        print(await new DeathService(ctx).processDeathEvents(systemActor('cli')));
      }),
    );

  program
    .command('pension-demo')
    .description("give the demo city's retirees pension awards (idempotent)")
    .action(() =>
      withCtx(async (ctx) => {
        const { awardDemoPensions } = await import('../demo/demo-pensions.job.ts');
        print(await awardDemoPensions(ctx));
      }),
    );
}
