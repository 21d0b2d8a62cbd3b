// The `shebao` command line: start, serve, migrate, seed, calc, audit verify, user add.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { loadConfig } from './config.ts';
import { isSbError } from './core/errors.ts';
import { fixToday, today } from './core/clock.ts';
import { parseDate } from './core/dates.ts';
import { projectParams } from './core/params-loader.ts';
import { checkParamCodeLists } from './code-lists.ts';
import { VERSION } from './version.ts';
import type { AppContext } from './app-context.ts';
import { registerCardCommands } from './cards/card.cli.ts';
import { registerSettlementCommands } from './injury/settlement.cli.ts';
import { registerCertificationCommands } from './certification/certification.cli.ts';
import { registerContributionCommands } from './contributions/contribution.cli.ts';
import { registerLedgerCommands } from './ledger/ledger.cli.ts';
import { registerHallCommands } from './hall/hall.cli.ts';
import { registerInjuryCommands } from './injury/injury.cli.ts';
import { registerPensionCommands } from './pension/pension.cli.ts';
import { registerUnemploymentCommands } from './unemployment/unemployment.cli.ts';
import { registerRefundCommands } from './unemployment/refund.cli.ts';
import { registerFederationCommands } from './ops/federation.cli.ts';
import { registerSupervisionCommands } from './supervision/supervision.cli.ts';

// Commands load what they need when they run, so `shebao calc` starts without the database or the server.
// A command on a real database refuses SHEBAO_TODAY as the server does (a payroll or a sweep would be
// dated by it); `seed` skips that, for it builds the demo into an empty database only.
async function openCliContext(opts: { seeding?: boolean } = {}): Promise<AppContext> {
  const { makeLogger, openContext } = await import('./bootstrap.ts');
  const { refuseFixedTodayOnRealDatabase } = await import('./db/platform-meta.ts');
  const config = loadConfig();
  const ctx = await openContext(
    config,
    makeLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr),
  );
  if (opts.seeding !== true)
    await refuseFixedTodayOnRealDatabase(ctx.db, process.env['SHEBAO_TODAY']).catch(async (e: unknown) => {
      await ctx.handle.close();
      throw e;
    });
  return ctx;
}

const program = new Command('shebao')
  .description('Shebao 社保 — social insurance administration platform / 社会保险经办平台')
  .version(VERSION);

/** CLI errors: the stable code and message on stderr, exit 1, never a stack trace. */
async function guarded(fn: () => Promise<void>): Promise<void> {
  try {
    if (process.env['SHEBAO_TODAY']) fixToday(parseDate(process.env['SHEBAO_TODAY'], 'SHEBAO_TODAY'));
    await fn();
  } catch (e) {
    if (isSbError(e)) {
      process.stderr.write(`${JSON.stringify({ error: e.toBody() })}\n`);
    } else {
      process.stderr.write(`shebao: ${(e as Error).message}\n`);
    }
    process.exitCode = 1;
  }
}

program
  .command('start')
  .description(
    'migrate, seed the demo city on first start when the database is empty, and serve / 迁移、首次启动时生成演示城市并启动服务',
  )
  .action(() => guarded(async () => (await import('./serve.ts')).serve({ seedIfEmpty: true })));

program
  .command('serve')
  .description('serve the API and the web portals / 启动服务')
  .action(() => guarded(async () => (await import('./serve.ts')).serve({ seedIfEmpty: false })));

program
  .command('migrate')
  .description('apply database migrations / 数据库迁移')
  .action(() =>
    guarded(async () => {
      const ctx = await openCliContext();
      process.stdout.write(`migrated (${ctx.dbKind})\n`);
      await ctx.handle.close();
    }),
  );

program
  .command('seed')
  .description(
    'build the synthetic demo city Xuancheng (341800) on an empty database / 生成演示城市（宣城市）',
  )
  .option('--seed <n>', 'random seed', '20211231')
  .option('--persons <n>', 'number of persons', '20000')
  .option('--employers <n>', 'number of employers (default: persons / 25)')
  .option(
    '--as-of <YYYY-MM-DD>',
    'the day the city is built as of (default today): same seed + same day = same city',
  )
  .action((o: { seed: string; persons: string; employers?: string; asOf?: string }) =>
    guarded(async () => {
      if (o.asOf !== undefined) fixToday(parseDate(o.asOf, '--as-of'));
      const persons = Number(o.persons);
      const employers =
        o.employers === undefined ? Math.max(10, Math.round(persons / 25)) : Number(o.employers);
      const seed = Number(o.seed);
      for (const [name, v] of [
        ['--persons', persons],
        ['--employers', employers],
        ['--seed', seed],
      ] as const) {
        if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
      }
      const { buildDemo } = await import('./demo/demo-seed.ts');
      const { progressBar } = await import('./cli-progress.ts');
      const ctx = await openCliContext({ seeding: true });
      try {
        const bar = progressBar(process.stderr);
        const report = await buildDemo(ctx, {
          seed,
          persons,
          employers,
          asOf: today(),
          onProgress: bar.update,
        });
        bar.done();
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } finally {
        await ctx.handle.close();
      }
    }),
  );

program
  .command('calc')
  .description('compute a rule of the calculation contract / 按规则计算 (docs/calc-contract.md)')
  .argument('[rule]', 'rule name, see --list')
  .option('--input <file>', 'JSON input file, or - for standard input', '-')
  .option('--batch <file>', 'JSON array of {"rule","input"}; answers an array in order')
  .option('--list', 'list the rules')
  .addOption(
    new Option('--explain [lang]', 'print the trace as readable text (zh or en)').choices(['zh', 'en']),
  )
  .action(
    async (
      rule: string | undefined,
      o: { input?: string; batch?: string; list?: boolean; explain?: boolean | string },
    ) => {
      const { runCalcCli } = await import('./calc/calc.cli.ts');
      let params;
      try {
        params = projectParams();
        checkParamCodeLists(params);
      } catch (e) {
        process.stdout.write(
          `${JSON.stringify({ error: isSbError(e) ? e.toBody() : { code: 'SB_ERR_INTERNAL', message: String(e) } })}\n`,
        );
        process.exitCode = 1;
        return;
      }
      const out = runCalcCli(rule, o, params, () => readFileSync(0, 'utf8'));
      process.stdout.write(`${out.stdout}\n`);
      process.exitCode = out.exitCode;
    },
  );

const audit = program.command('audit').description('the tamper-evident audit log / 审计日志');
audit
  .command('verify')
  .description('re-walk the hash chain and name the first broken entry / 校验审计链')
  .action(() =>
    guarded(async () => {
      const { verifyAuditChain } = await import('./audit/audit.repository.ts');
      const ctx = await openCliContext();
      try {
        const r = await verifyAuditChain(ctx.db);
        process.stdout.write(`${JSON.stringify(r)}\n`);
        if (!r.ok) process.exitCode = 1;
      } finally {
        await ctx.handle.close();
      }
    }),
  );

program
  .command('backup')
  .description('back up the database (PostgreSQL: pg_dump custom format; PGlite: its data folder) / 备份')
  .requiredOption('--out <file>', 'backup file to write')
  .action((o: { out: string }) =>
    guarded(async () => {
      const { backup } = await import('./ops/backup.ts');
      const ctx = await openCliContext();
      try {
        const r = await backup(ctx.handle, ctx.config.databaseUrl, o.out);
        process.stdout.write(`${JSON.stringify({ file: o.out, ...r })}\n`);
      } finally {
        await ctx.handle.close();
      }
    }),
  );

program
  .command('restore')
  .description('restore a backup into an empty database (DATABASE_URL) or an empty DATA_DIR / 恢复到空数据库')
  .requiredOption('--from <file>', 'backup file to read')
  .action((o: { from: string }) =>
    guarded(async () => {
      const { restore } = await import('./ops/backup.ts');
      const config = loadConfig();
      const r = await restore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }, o.from);
      process.stdout.write(`${JSON.stringify({ restored: o.from, ...r })}\n`);
    }),
  );

program
  .command('params')
  .description('list the parameters in force for a region on a date / 查询政策参数')
  .option('--region <code>', 'GB/T 2260 region code', '000000')
  .option('--date <YYYY-MM-DD>', 'date (default today)')
  .action((o: { region: string; date?: string }) =>
    guarded(async () => {
      const date = o.date === undefined ? today() : parseDate(o.date, 'date');
      process.stdout.write(`${JSON.stringify(projectParams().resolveAll(o.region, date), null, 2)}\n`);
    }),
  );

registerPensionCommands(program, { openCliContext, guarded });

registerContributionCommands(program, { openCliContext, guarded });

registerLedgerCommands(program, { openCliContext, guarded }, async () => [
  ...(await import('./contributions/ledger-checks.repository.ts')).CONTRIBUTION_CHECKS,
  ...(await import('./unemployment/refund.service.ts')).REFUND_CHECKS,
  ...(await import('./unemployment/skill-subsidy.service.ts')).SKILL_SUBSIDY_CHECKS,
  ...(await import('./injury/settlement.job.ts')).SETTLEMENT_CHECKS,
  ...(await import('./pension/ledger-checks.repository.ts')).PENSION_CHECKS,
]);

registerCertificationCommands(program, { openCliContext, guarded });

registerHallCommands(program, { openCliContext, guarded });
registerCardCommands(program, { openCliContext, guarded });
// the `unemployment` group; other unemployment modules pass their registrars in the array
registerUnemploymentCommands(program, { openCliContext, guarded }, [registerRefundCommands]);

// work injury: the group is answered so `injury settle` (src/injury/settlement.cli.ts) can join it
registerSettlementCommands(registerInjuryCommands(program, { openCliContext, guarded }), {
  openCliContext,
  guarded,
});
registerFederationCommands(program, { guarded });
registerSupervisionCommands(program, { openCliContext, guarded });

await program.parseAsync(process.argv);
