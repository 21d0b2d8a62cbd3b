// Pension commands of the `shebao` CLI: payroll run/summary, adjust, retirement due, events process,
// pension demo-awards. Registered by one line in src/cli.ts; jobs are imported when a command runs.
import type { Command } from 'commander';
import type { AppContext } from '../app-context.ts';
import { printJson, withContext, type CliHelpers } from '../cli-helpers.ts';

const print = printJson;

export function registerPensionCommands(program: Command, { openCliContext, guarded }: CliHelpers): void {
  const withCtx = (fn: (ctx: AppContext) => Promise<void>) => withContext({ openCliContext, guarded }, fn);

  const payroll = program.command('payroll').description('monthly pension payroll / 养老金月度发放');
  payroll
    .command('run')
    .description(
      'pay every payable pensioner of the region for the period (resumes an interrupted run; never pays twice)',
    )
    .requiredOption('--period <YYYY-MM>', 'payment period')
    .option('--region <code>', 'region (000000: all)', '000000')
    .option('--chunk-size <n>', 'awards per transaction', '50000')
    .option(
      '--bank-file <path>',
      'write the bank payment CSV there (docs/payroll-bank-file.md); it holds full account numbers',
    )
    .action((o: { period: string; region: string; chunkSize: string; bankFile?: string }) =>
      withCtx(async (ctx) => {
        const { runPayroll, writeBankFile } = await import('./payroll.job.ts');
        const { processDeathEvents } = await import('./death.service.ts');
        const { systemActor } = await import('../auth/actor.ts');
        const { progressBar } = await import('../cli-progress.ts');
        const actor = systemActor(process.env['USER'] ? `cli:${process.env['USER']}` : 'cli');
        await processDeathEvents(ctx, actor);
        const bar = progressBar(process.stderr);
        const summary = await runPayroll(ctx.db, actor, {
          period: o.period,
          region: o.region,
          chunkSize: Number(o.chunkSize),
          onProgress: bar.update,
        });
        bar.done();
        if (o.bankFile !== undefined && summary.status === 'done') {
          const file = await writeBankFile(ctx.db, { period: o.period, region: o.region }, o.bankFile);
          print({ ...summary, bankFile: { lines: file.lines, totalFen: file.totalFen } });
        } else print(summary);
      }),
    );
  payroll
    .command('summary')
    .description('payments, total and status of a period, as JSON')
    .requiredOption('--period <YYYY-MM>', 'payment period')
    .option('--region <code>', 'region (000000: all)', '000000')
    .action((o: { period: string; region: string }) =>
      withCtx(async (ctx) => {
        const { payrollSummary } = await import('./payroll.job.ts');
        print(await payrollSummary(ctx.db, o));
      }),
    );

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
        const { processDeathEvents } = await import('./death.service.ts');
        const { systemActor } = await import('../auth/actor.ts');
        print(await processDeathEvents(ctx, systemActor('cli')));
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
