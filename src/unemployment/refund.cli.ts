// Refund and certificate-register commands of the `shebao` CLI, under the `unemployment` group:
//   shebao unemployment refunds --year YYYY          scan every employer (免申即享), notify the qualifying;
//                                                    prints {employersScanned, qualifying, totalFen};
//                                                    a rerun prints the same figures and notifies nobody again
//   shebao unemployment refund-batch --year YYYY [--region code]   the batch's scan and payment figures
//   shebao unemployment certificates-import --file register.csv --region code
// Paying is not a command: a clerk prepares it and a reviewer releases it (four eyes).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cliOperator, printJson, withContext, type CliHelpers } from '../cli-helpers.ts';

export function registerRefundCommands(group: Command, helpers: CliHelpers): void {
  group
    .command('refunds')
    .description(
      'stable-employment refund scan of every employer for a policy year (facts of the year before); resumes an interrupted scan, never notifies twice / 稳岗返还免申即享扫描',
    )
    .requiredOption('--year <YYYY>', 'policy year')
    .option('--chunk-size <n>', 'employers per transaction', '10000')
    .action((o: { year: string; chunkSize: string }) =>
      withContext(helpers, async (ctx) => {
        const { runRefundScan, checkRefundYear } = await import('./refund.job.ts');
        const { systemActor } = await import('../auth/actor.ts');
        const { progressBar } = await import('../cli-progress.ts');
        const year = checkRefundYear(o.year, ctx.params);
        const bar = progressBar(process.stderr);
        const s = await runRefundScan(ctx.db, ctx.params, systemActor(cliOperator()), {
          year,
          chunkSize: Number(o.chunkSize),
          onProgress: bar.update,
        });
        bar.done();
        printJson({ employersScanned: s.employersScanned, qualifying: s.qualifying, totalFen: s.totalFen });
      }),
    );

  group
    .command('refund-batch')
    .description(
      'a policy year’s refund batch: scan figures, paid and awaiting release (JSON) / 稳岗返还批次',
    )
    .requiredOption('--year <YYYY>', 'policy year')
    .option('--region <code>', 'region (000000: all)', '000000')
    .action((o: { year: string; region: string }) =>
      withContext(helpers, async (ctx) => {
        const { RefundService } = await import('./refund.service.ts');
        const { checkRefundYear } = await import('./refund.job.ts');
        const { systemActor } = await import('../auth/actor.ts');
        const svc = new RefundService(ctx.db, ctx.params);
        printJson(
          await svc.batch(systemActor(cliOperator()), {
            year: checkRefundYear(o.year, ctx.params),
            region: o.region,
          }),
        );
      }),
    );

  group
    .command('certificates-import')
    .description(
      'import the vocational skill certificate register (CSV: certificate_no,id_number,name,occupation,level,issue_date,issuer); every row or none / 导入职业技能证书库',
    )
    .requiredOption('--file <path>', 'the CSV file')
    .requiredOption('--region <code>', 'the region the register belongs to')
    .action((o: { file: string; region: string }) =>
      withContext(helpers, async (ctx) => {
        const { CertificateRegisterService } = await import('./certificate-register.service.ts');
        const { systemActor } = await import('../auth/actor.ts');
        const r = await new CertificateRegisterService(ctx.db).import(systemActor(cliOperator()), {
          csv: readFileSync(o.file, 'utf8'),
          filename: o.file.split('/').pop(),
          region: o.region,
        });
        printJson(r);
        if (r.status === 'rejected') process.exitCode = 1;
      }),
    );
}
