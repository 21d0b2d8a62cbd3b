// `shebao supervision scan --region R`: every detector over a region, printed as JSON
// ({findings: {<detector>: count}, newFindings, …}); a second run adds no duplicate finding.
import type { Command } from 'commander';
import type { AppContext } from '../app-context.ts';
import { systemActor } from '../auth/actor.ts';

export interface CliHelpers {
  openCliContext: () => Promise<AppContext>;
  guarded: (fn: () => Promise<void>) => Promise<void>;
}

/** Registers the `supervision` group and answers it, so other supervision commands can join it. */
export function registerSupervisionCommands(
  program: Command,
  { openCliContext, guarded }: CliHelpers,
): Command {
  const group = program.command('supervision').description('fund supervision / 基金监管');
  group
    .command('scan')
    .description('run the detectors over a region and print the findings by detector / 运行监管检测规则')
    .requiredOption('--region <code>', 'the region (with its sub-regions), e.g. 341800')
    .option('--detector <name...>', 'only these detectors (default: all)')
    .action((o: { region: string; detector?: string[] }) =>
      guarded(async () => {
        const ctx = await openCliContext();
        try {
          const { ScanService } = await import('./scan.service.ts');
          const operator = process.env['USER'] ? `cli:${process.env['USER']}` : 'cli';
          const result = await new ScanService(ctx.db, ctx.params).scan(systemActor(operator), {
            region: o.region,
            ...(o.detector === undefined ? {} : { detectors: o.detector }),
          });
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        } finally {
          await ctx.handle.close();
        }
      }),
    );
  return group;
}
