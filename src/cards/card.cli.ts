// Card commands of the `shebao` CLI: `ecard verify` (offline, no database, no network), `ecard
// rotate-key`, `ecard jwks` / `ecard revoked` (files to load into terminals), `cards death-events`.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { AppContext } from '../app-context.ts';
import { cliOperator, printJson as print, withContext, type CliHelpers } from '../cli-helpers.ts';
import type { RevocationSnapshot, VerifyOptions } from './ecard-verifier.ts';

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
}
