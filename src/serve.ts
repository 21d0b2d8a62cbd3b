// Starts the platform: configuration, database, demo city on first start, HTTP server, graceful shutdown.
import { loadConfig } from './config.ts';
import { today } from './core/clock.ts';
import { makeLogger, openContext } from './bootstrap.ts';
import { isDatabaseEmpty } from './demo/demo-city.ts';
import { progressBar } from './cli-progress.ts';
import { buildServer } from './server.ts';
import { startConsumerLoop } from './hall/events.job.ts';
import { listenWithGracefulShutdown } from './listen.ts';
import { startScanLoop } from './supervision/scan.job.ts';

export async function serve(opts: { seedIfEmpty: boolean }): Promise<void> {
  const config = loadConfig();
  const log = makeLogger(config.logLevel);
  const ctx = await openContext(config, log);
  if (opts.seedIfEmpty && config.seedDemo && (await isDatabaseEmpty(ctx.db))) {
    log.info('empty database: building the demo city Xuancheng (341800), 20,000 people');
    const bar = progressBar(process.stderr);
    const { buildDemo } = await import('./demo/demo-seed.ts');
    const report = await buildDemo(ctx, {
      seed: 20211231,
      persons: 20_000,
      employers: 800,
      asOf: today(),
      onProgress: bar.update,
    });
    bar.done();
    log.info({ report }, `demo city ready in ${report.seconds.toFixed(1)} s`);
  }
  const app = await buildServer(ctx);
  // The online hall's outbox consumer runs beside the requests (one server at a time holds it).
  const hallConsumer = startConsumerLoop(ctx);
  // The scheduled supervision scan (SUPERVISION_SCAN_INTERVAL_MINUTES, default daily).
  const supervisionScan = startScanLoop(ctx);
  await listenWithGracefulShutdown({
    app,
    ctx,
    background: { stop: () => Promise.all([hallConsumer.stop(), supervisionScan.stop()]) },
  });
  log.info(`Shebao 社保 on http://localhost:${config.port} (${ctx.dbKind})`);
}
