// Card commands of the `shebao` CLI: `ecard verify` (offline, no database, no network), `ecard
// rotate-key`, `ecard jwks` / `ecard revoked` (files to load into terminals), `cards death-events`,
// `cards terminal-keys` (a region's terminals re-keyed at once, the keys in a file only the operator reads).
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import type { Command } from 'commander';
import type { AppContext } from '../app-context.ts';
import { cliOperator, printJson as print, withContext, type CliHelpers } from '../cli-helpers.ts';
import type { TerminalWithKey } from './card-terminal.service.ts';
import type { RevocationSnapshot, VerifyOptions } from './ecard-verifier.ts';

/**
 * Issues keys into a new file readable by its owner only (0600, `<terminal id>\t<key>` a line). The file is
 * made before the keys (refused if it exists: an earlier batch's keys are never overwritten, no link is
 * followed), so keys are never issued with nowhere to go; it is removed if the issue fails.
 */
export async function issueIntoKeyFile(
  path: string,
  issue: () => Promise<ReadonlyArray<{ terminalId: string; key: string }>>,
): Promise<void> {
  const fd = openSync(path, 'wx', 0o600);
  try {
    const issued = await issue();
    writeSync(fd, issued.map((k) => `${k.terminalId}\t${k.key}\n`).join(''));
  } catch (e) {
    unlinkSync(path);
    throw e;
  } finally {
    closeSync(fd);
  }
}

/** The terminal ids of a list file: one a line; blank lines and `#` comments skipped. */
export const terminalIdsOf = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

export function registerCardCommands(program: Command, helpers: CliHelpers): void {
  const { guarded } = helpers;
  const withCtx = (fn: (ctx: AppContext) => Promise<void>) => withContext(helpers, fn);
  const operator = cliOperator;

  const ecard = program.command('ecard').description('electronic social security card / 电子社保卡');
  ecard
    .command('verify')
    .description(
      'verify an e-card QR token offline, as a terminal does (exit 0 valid; 1 refused: expired, bad-signature, revoked, replayed, malformed)',
    )
    .requiredOption('--token <jws>', 'the scanned token')
    .requiredOption('--jwks <file>', 'the JWKS (GET /api/v1/ecard/jwks)')
    .option('--revoked <file>', 'the revocation snapshot (GET /api/v1/ecard/revoked)')
    .option('--state <file>', "the terminal's memory of nonces it has seen (created if missing)")
    .option('--at <iso>', "the terminal's clock (default: now)")
    .action((o: { token: string; jwks: string; revoked?: string; state?: string; at?: string }) =>
      guarded(async () => {
        // Only the verifier module: no database, no server, no network.
        const { verifyEcardToken, parseState } = await import('./ecard-verifier.ts');
        let jwks: unknown;
        let revoked: unknown = null;
        try {
          jwks = JSON.parse(readFileSync(o.jwks, 'utf8'));
          if (o.revoked !== undefined) revoked = JSON.parse(readFileSync(o.revoked, 'utf8'));
        } catch (e) {
          process.stderr.write(`shebao: cannot read the JWKS or snapshot: ${(e as Error).message}\n`);
          process.exitCode = 2;
          return;
        }
        const state =
          o.state === undefined
            ? null
            : parseState(existsSync(o.state) ? readFileSync(o.state, 'utf8') : null);
        const now = o.at === undefined ? new Date() : new Date(o.at);
        const result = await verifyEcardToken(o.token, {
          jwks: jwks as VerifyOptions['jwks'],
          revoked: revoked as RevocationSnapshot | null,
          state,
          now,
        });
        if (state !== null && o.state !== undefined) {
          const tmp = `${o.state}.tmp`;
          writeFileSync(tmp, JSON.stringify(state));
          renameSync(tmp, o.state);
        }
        print(result);
        if (!result.ok) process.exitCode = 1;
      }),
    );

  ecard
    .command('rotate-key')
    .description('retire the signing key, promote the published next key, publish a new next key (audited)')
    .action(() =>
      withCtx(async (ctx) => {
        const { EcardKeyService } = await import('./ecard-key.service.ts');
        const { systemActor } = await import('../auth/actor.ts');
        print(await new EcardKeyService(ctx.db).rotateKeys(systemActor(operator())));
      }),
    );

  ecard
    .command('jwks')
    .description('print the public JWKS (what GET /api/v1/ecard/jwks answers), to load into terminals')
    .action(() =>
      withCtx(async (ctx) => {
        const { EcardKeyService } = await import('./ecard-key.service.ts');
        print(await new EcardKeyService(ctx.db).publicJwks());
      }),
    );

  ecard
    .command('revoked')
    .description('print the revocation snapshot (what GET /api/v1/ecard/revoked answers)')
    .action(() =>
      withCtx(async (ctx) => {
        const { CardService } = await import('./card.service.ts');
        print(await new CardService(ctx.db).revocationSnapshot());
      }),
    );

  const cards = program.command('cards').description('social security cards / 社会保障卡');
  cards
    .command('certify-uses')
    .description(
      "feed accepted card uses to certification's data comparison (a holder seen at a registered terminal is alive; one file per terminal region)",
    )
    .requiredOption('--region <code>', 'region')
    .requiredOption('--from <YYYY-MM-DD>', 'first day of use')
    .requiredOption('--to <YYYY-MM-DD>', 'last day of use')
    .action((o: { region: string; from: string; to: string }) =>
      withCtx(async (ctx) => {
        const { CardCertificationService } = await import('./card-certification.service.ts');
        const { systemActor } = await import('../auth/actor.ts');
        print(await new CardCertificationService(ctx.db).certifyFromCardUses(systemActor(operator()), o));
      }),
    );
  cards
    .command('death-events')
    .description('cancel the live cards of persons whose death the registry published (person.died)')
    .action(() =>
      withCtx(async (ctx) => {
        const { CardService } = await import('./card.service.ts');
        const { systemActor } = await import('../auth/actor.ts');
        print(await new CardService(ctx.db).processDeathEvents(systemActor(operator())));
      }),
    );
  cards
    .command('terminal-keys')
    .description(
      "new upload keys for a list of one region's card terminals, all or none (audited as the operator); the keys go to --out only (0600), never to the screen or the log",
    )
    .requiredOption(
      '--region <code>',
      'the region whose terminals these are (another region’s id refuses the list)',
    )
    .requiredOption('--ids <file>', 'the terminal ids, one a line')
    .requiredOption(
      '--out <file>',
      'a new file for the keys (terminal id, tab, key a line); refused if it exists',
    )
    .option(
      '--old-key <fate>',
      'stop-now (a key that may be compromised) or overlap (valid until the new key’s first use or the overlap hours)',
      'overlap',
    )
    .action((o: { region: string; ids: string; out: string; oldKey: string }) =>
      withCtx(async (ctx) => {
        const { OLD_KEY_FATES } = await import('../auth/machine-key.ts');
        const fate = OLD_KEY_FATES.find((f) => f === o.oldKey);
        if (fate === undefined) throw new Error('--old-key is stop-now or overlap');
        if (existsSync(o.out))
          throw new Error('--out names a file that exists: keys are written to a new file only');
        const { CardTerminalService } = await import('./card-terminal.service.ts');
        const { systemActor } = await import('../auth/actor.ts');
        const terminalIds = terminalIdsOf(readFileSync(o.ids, 'utf8'));
        let issued: TerminalWithKey[] = [];
        await issueIntoKeyFile(o.out, async () => {
          issued = await new CardTerminalService(ctx.db).newKeys(systemActor(operator()), {
            region: o.region,
            terminalIds,
            oldKey: fate,
          });
          return issued;
        });
        // the summary names the prefixes only: the keys are in --out
        print({
          out: o.out,
          issued: issued.map((k) => ({
            terminalId: k.terminalId,
            keyPrefix: k.keyPrefix,
            oldKeyValidUntil: k.oldKeyValidUntil,
          })),
        });
      }),
    );
}
