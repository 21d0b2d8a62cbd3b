// Certification commands of the `shebao` CLI: campaign create/show, the deadline sweep, data-comparison
// imports from a file (streamed line by line). Registered by one line in src/cli.ts; services are
// imported when a command runs.
import type { Command } from 'commander';
import type { AppContext } from '../app-context.ts';
import { printJson, withContext, type CliHelpers } from '../cli-helpers.ts';

const print = printJson;

function positiveInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}

export function registerCertificationCommands(
  program: Command,
  { openCliContext, guarded }: CliHelpers,
): void {
  const withCtx = (fn: (ctx: AppContext) => Promise<void>) => withContext({ openCliContext, guarded }, fn);
  const operator = async () => {
    const { systemActor } = await import('../auth/actor.ts');
    return systemActor(process.env['USER'] ? `cli:${process.env['USER']}` : 'cli');
  };

  const cert = program
    .command('certification')
    .description('pensioner eligibility certification / 待遇领取资格认证');

  cert
    .command('campaign')
    .description(
      'open the yearly campaign of a region (12-month window ending on the deadline) / 创建年度认证批次',
    )
    .requiredOption('--region <code>', 'GB/T 2260 region code')
    .requiredOption('--year <yyyy>', 'campaign year')
    .option('--deadline <YYYY-MM-DD>', 'deadline (default: 31 December of the year)')
    .action((o: { region: string; year: string; deadline?: string }) =>
      withCtx(async (ctx) => {
        const { CampaignService } = await import('./campaign.service.ts');
        print(
          await new CampaignService(ctx.db).create(await operator(), {
            region: o.region,
            year: positiveInt('--year', o.year),
            deadline: o.deadline,
          }),
        );
      }),
    );

  cert
    .command('show')
    .description('a campaign with its counts by channel / 认证批次进度')
    .requiredOption('--campaign <id>', 'campaign id')
    .action((o: { campaign: string }) =>
      withCtx(async (ctx) => {
        const { CampaignService } = await import('./campaign.service.ts');
        print(await new CampaignService(ctx.db).get(await operator(), positiveInt('--campaign', o.campaign)));
      }),
    );

  cert
    .command('sweep')
    .description(
      'after the deadline: suspend everyone not certified, with a notice each (idempotent, resumes) / 暂停未认证人员待遇',
    )
    .requiredOption('--campaign <id>', 'campaign id')
    .option('--chunk-size <n>', 'awards per transaction', '50000')
    .action((o: { campaign: string; chunkSize: string }) =>
      withCtx(async (ctx) => {
        const { CampaignService } = await import('./campaign.service.ts');
        const { progressBar } = await import('../cli-progress.ts');
        const bar = progressBar(process.stderr);
        const r = await new CampaignService(ctx.db).sweep(
          await operator(),
          positiveInt('--campaign', o.campaign),
          {
            chunkSize: positiveInt('--chunk-size', o.chunkSize),
            onProgress: (done: number, total: number) => bar.update(done, total, 'sweep'),
          },
        );
        bar.done();
        print(r);
      }),
    );

  cert
    .command('import')
    .description(
      'data comparison: death, hospital, transit or card records (CSV, docs/certification.md); a bad line writes nothing / 数据比对导入',
    )
    .requiredOption('--kind <kind>', 'death | hospital | transit | card')
    .requiredOption('--file <path>', 'CSV file')
    .requiredOption('--region <code>', 'region the records are matched in')
    .action((o: { kind: string; file: string; region: string }) =>
      withCtx(async (ctx) => {
        const path = await import('node:path');
        const { DataImportService } = await import('./data-import.service.ts');
        const { fileLines } = await import('./import-lines.ts');
        const { IMPORT_KINDS } = await import('./data-import.rules.ts');
        const kind = IMPORT_KINDS.find((k) => k === o.kind);
        if (kind === undefined) throw new Error(`--kind must be one of ${IMPORT_KINDS.join(', ')}`);
        const lines = fileLines(o.file);
        const r = await new DataImportService(ctx.db).import(await operator(), {
          kind,
          region: o.region,
          filename: path.basename(o.file),
          lines,
        });
        print(r);
        if (r.status === 'rejected') process.exitCode = 1;
      }),
    );
}
