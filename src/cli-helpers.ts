// What every capability's `shebao` commands share: the helpers src/cli.ts hands them (open the
// context, report errors and set the exit code), a context that is closed after the command, JSON
// output and the operator recorded in the audit log.
import type { Command } from 'commander';
import type { AppContext } from './app-context.ts';
import { progressBar, type ProgressBar } from './cli-progress.ts';

export interface CliHelpers {
  openCliContext: () => Promise<AppContext>;
  guarded: (fn: () => Promise<void>) => Promise<void>;
}

/** Runs `fn` with an open context and closes it afterwards, under `guarded`. */
export function withContext(
  { openCliContext, guarded }: CliHelpers,
  fn: (ctx: AppContext) => Promise<void>,
): Promise<void> {
  return guarded(async () => {
    const ctx = await openCliContext();
    try {
      await fn(ctx);
    } finally {
      await ctx.handle.close();
    }
  });
}

export const printJson = (v: unknown): void => {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
};

/** The operator the audit log records for a command: `cli:<login>`. */
export const cliOperator = (): string => (process.env['USER'] ? `cli:${process.env['USER']}` : 'cli');

/** What a monthly payroll offers the command line: a resumable run, its bank file and its summary. */
export interface PayrollCommands {
  /** "pension payment period", "benefit month", … (help text of --period). */
  periodLabel: string;
  runDescription: string;
  /** Help text of --chunk-size and its default. */
  chunkLabel: string;
  defaultChunkSize: string;
  bankFileHelp: string;
  summaryDescription: string;
  run: (
    ctx: AppContext,
    o: { period: string; region: string; chunkSize: number; onProgress: ProgressBar['update'] },
  ) => Promise<{ status: string }>;
  writeBankFile: (
    ctx: AppContext,
    where: { period: string; region: string },
    path: string,
  ) => Promise<{ lines: number; totalFen: number }>;
  summary: (ctx: AppContext, o: { period: string; region: string }) => Promise<unknown>;
}

/**
 * Adds `<runName>` (pay the period with a progress bar on stderr, then optionally write the bank
 * file) and `summary` to a payroll's command group: one shape for the pension, unemployment and
 * work-injury payrolls.
 */
export function registerPayrollCommands(
  group: Command,
  helpers: CliHelpers,
  runName: string,
  p: PayrollCommands,
): void {
  group
    .command(runName)
    .description(p.runDescription)
    .requiredOption('--period <YYYY-MM>', p.periodLabel)
    .option('--region <code>', 'region (000000: all)', '000000')
    .option('--chunk-size <n>', p.chunkLabel, p.defaultChunkSize)
    .option('--bank-file <path>', p.bankFileHelp)
    .action((o: { period: string; region: string; chunkSize: string; bankFile?: string }) =>
      withContext(helpers, async (ctx) => {
        const bar = progressBar(process.stderr);
        const summary = await p.run(ctx, {
          period: o.period,
          region: o.region,
          chunkSize: Number(o.chunkSize),
          onProgress: bar.update,
        });
        bar.done();
        if (o.bankFile !== undefined && summary.status === 'done') {
          const file = await p.writeBankFile(ctx, { period: o.period, region: o.region }, o.bankFile);
          printJson({ ...summary, bankFile: { lines: file.lines, totalFen: file.totalFen } });
        } else printJson(summary);
      }),
    );
  group
    .command('summary')
    .description(p.summaryDescription)
    .requiredOption('--period <YYYY-MM>', p.periodLabel)
    .option('--region <code>', 'region (000000: all)', '000000')
    .action((o: { period: string; region: string }) =>
      withContext(helpers, async (ctx) => printJson(await p.summary(ctx, o))),
    );
}
