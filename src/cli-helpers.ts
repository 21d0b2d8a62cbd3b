// What every capability's `shebao` commands share: the helpers src/cli.ts hands them (open the
// context, report errors and set the exit code), a context that is closed after the command, JSON
// output and the operator recorded in the audit log.
import type { AppContext } from './app-context.ts';

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
