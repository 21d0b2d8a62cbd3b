// Commands for the direct settlement with hospitals, under `shebao injury`:
//   injury settle --period YYYY-MM     pay hospitals their accepted bills (idempotent, resumable)
//   injury hospital-add …              add a hospital or rehabilitation institution
//   injury hospital-key --code C …     make an API key for a hospital's system (printed once)
import type { Command } from 'commander';
import type { AppContext } from '../app-context.ts';
import { cliOperator, printJson as print, withContext, type CliHelpers } from '../cli-helpers.ts';

export function registerSettlementCommands(group: Command, helpers: CliHelpers): void {
  const withCtx = (fn: (ctx: AppContext) => Promise<void>) => withContext(helpers, fn);
  const operator = async () => {
    const { systemActor } = await import('../auth/actor.ts');
    return systemActor(cliOperator());
  };

  group
    .command('settle')
    .description(
      'pay hospitals the accepted amounts of their work-injury bills submitted up to the end of the period, posted to the work-injury fund (idempotent, resumable) / 工伤医疗费用医院结算',
    )
    .requiredOption('--period <YYYY-MM>', 'the settlement period')
    .action((o: { period: string }) =>
      withCtx(async (ctx) => {
        const { runSettlement } = await import('./settlement.job.ts');
        const r = await runSettlement(ctx.db, await operator(), {
          period: o.period,
          onProgress: (done, total) => process.stderr.write(`chunk ${done}/${total}\n`),
        });
        print(r);
      }),
    );

  group
    .command('rehab-screen')
    .description(
      'screen every recognised work-injury case not yet screened for rehabilitation / 工伤康复筛查',
    )
    .action(() =>
      withCtx(async (ctx) => {
        const { RehabService } = await import('./rehab.service.ts');
        print(await new RehabService(ctx.db).screenRecognisedCases(await operator()));
      }),
    );

  group
    .command('hospital-add')
    .description('add a hospital (医疗机构) or rehabilitation institution (康复机构)')
    .requiredOption('--code <code>', 'institution code, 6–24 capital letters or digits')
    .requiredOption('--name <name>', 'name')
    .requiredOption('--region <code>', 'GB/T 2260 region code')
    .option('--kind <kind>', 'hospital or rehab', 'hospital')
    .action((o: { code: string; name: string; region: string; kind: string }) =>
      withCtx(async (ctx) => {
        const { HospitalService } = await import('./hospital.service.ts');
        print(
          await new HospitalService(ctx.db).createHospital(await operator(), {
            code: o.code,
            name: o.name,
            region: o.region,
            kind: o.kind === 'rehab' ? 'rehab' : 'hospital',
          }),
        );
      }),
    );

  group
    .command('hospital-key')
    .description("make an API key for a hospital's system; the key is printed once and only its hash is kept")
    .requiredOption('--code <code>', 'the hospital code')
    .option('--label <label>', 'what the key is for', 'HIS')
    .action((o: { code: string; label: string }) =>
      withCtx(async (ctx) => {
        const { HospitalService } = await import('./hospital.service.ts');
        const { sql } = await import('kysely');
        const h = (await sql<{ id: unknown }>`SELECT id FROM hospital WHERE code = ${o.code}`.execute(ctx.db))
          .rows[0];
        if (!h) throw new Error(`no hospital with code ${o.code}`);
        print(await new HospitalService(ctx.db).createApiKey(await operator(), Number(h.id), o.label));
      }),
    );
}
