// One instance of the federation (`shebao federation node`, started by `shebao federation up` or a
// test): a province (its own database, its demo population on first start) or the national
// exchange; the HTTP API with the transfer routes, and the messaging (relay + consumer) on NATS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { makeLogger, openContext } from '../bootstrap.ts';
import { today } from '../core/clock.ts';
import { listenWithGracefulShutdown } from '../listen.ts';
import { isDatabaseEmpty } from '../demo/demo-city.ts';
import { fedDemoParams, seedFederationNational, seedFederationProvince } from '../demo/federation-demo.ts';
import { federationRoutes } from '../federation/federation.routes.ts';
import { CreditedWageRepair } from '../federation/transfer-wages.service.ts';
import { ensureKeyedIndex, markIndexKeyed } from '../federation/fed.index-key.ts';
import { LocateService } from '../federation/transfer-locate.service.ts';
import { CollectionService } from '../federation/transfer-collect.service.ts';
import { collectionRoutes } from '../federation/transfer-collect.routes.ts';
import {
  FederationNode,
  loadKeys,
  NATIONAL,
  setFederationSecret,
  type CrashHook,
  type CrashPoint,
} from '../federation/fed.messaging.ts';
import { NationalService } from '../federation/national.service.ts';
import { TransferService } from '../federation/transfer.service.ts';
import { CentralAdjustmentService } from '../federation/central.service.ts';
import { nationalRoutes } from '../federation/national.routes.ts';
import { buildServer } from '../server.ts';
import { startConsumerLoop } from '../hall/events.job.ts';

export interface NodeOptions {
  node: string;
  natsUrl: string;
  keyDir: string;
  provinces: string[];
  /** test only: SIGKILL this process at a crash point (optionally only for one message kind) */
  crashAt?: { point: CrashPoint; kind?: string; after?: number };
}

export async function runFederationNode(opts: NodeOptions): Promise<void> {
  const config = loadConfig();
  const log = makeLogger(config.logLevel);
  // The national index's key (HMAC of ID numbers): from the configuration, or the local federation's file.
  setFederationSecret(
    config.federationSecret ?? readFileSync(join(opts.keyDir, 'federation.secret'), 'utf8').trim(),
  );
  const ctx = await openContext(config, log);
  if (await isDatabaseEmpty(ctx.db)) {
    if (opts.node === NATIONAL) await seedFederationNational(ctx.db);
    else {
      const report = await seedFederationProvince(ctx.db, ctx.params, opts.node, today());
      await markIndexKeyed(ctx.db);
      log.info({ report }, 'federation demo province seeded');
    }
  }
  if (opts.node !== NATIONAL) {
    const rekeyed = await ensureKeyedIndex(ctx.db, opts.node);
    if (rekeyed.republished > 0) log.info(rekeyed, 'national index republished under the current key');
    // Segments credited before migration 1070 have no average wage: ask their old places once.
    const wages = await new CreditedWageRepair(ctx.db).requestMissing();
    if (wages.requested > 0) log.info(wages, 'average wages of credited segments asked for');
  }
  const registry = JSON.parse(readFileSync(join(opts.keyDir, 'registry.json'), 'utf8')) as Record<
    string,
    string
  >;
  const keys = loadKeys(readFileSync(join(opts.keyDir, `${opts.node}.key`), 'utf8'), registry);
  let hook: CrashHook | undefined;
  if (opts.crashAt) {
    const c = opts.crashAt;
    let seen = 0;
    hook = (point, kind) => {
      if (point !== c.point || (c.kind !== undefined && kind !== c.kind)) return;
      if (++seen <= (c.after ?? 0)) return;
      process.stderr.write(`crash hook: SIGKILL at ${point} (${kind})\n`);
      process.kill(process.pid, 'SIGKILL');
    };
  }
  const fed = new FederationNode(ctx.db, {
    self: opts.node,
    natsUrl: opts.natsUrl,
    keys,
    handlers:
      opts.node === NATIONAL
        ? {
            ...NationalService.handlers(),
            ...NationalService.nationalFigureHandlers(),
            ...LocateService.handlers(opts.provinces),
            ...CentralAdjustmentService.nationalHandlers(opts.provinces, ctx.params),
          }
        : {
            ...TransferService.handlers(opts.node, ctx.params),
            ...CollectionService.handlers(opts.node, ctx.params),
            ...NationalService.provinceFigureHandlers(opts.node),
            ...CentralAdjustmentService.provinceHandlers(opts.node, fedDemoParams(ctx.params)),
          },
    ...(hook ? { hook } : {}),
    // Test only: how soon the broker redelivers a message whose ack a killed node never sent.
    ...(process.env['SHEBAO_FED_ACK_WAIT_SECONDS']
      ? { ackWaitSeconds: Number(process.env['SHEBAO_FED_ACK_WAIT_SECONDS']) }
      : {}),
    log,
  });
  const app = await buildServer(ctx, {
    node:
      opts.node === NATIONAL
        ? { role: 'national', province: null }
        : { role: 'province', province: opts.node },
  });
  await app.register(federationRoutes, {
    ctx,
    self: opts.node,
    provinces: opts.provinces,
    stats: () => ({ ...fed.stats }),
  });
  if (opts.node === NATIONAL) await app.register(nationalRoutes, { ctx, provinces: opts.provinces }); // central adjustment
  if (opts.node !== NATIONAL) await app.register(collectionRoutes, { ctx });
  // Every write through the API may have enqueued a message: the relay looks now.
  app.addHook('onResponse', async (req) => {
    if (req.method !== 'GET') fed.poke();
  });
  await fed.start();
  // A province's service hall shows the applications its processes report (case.status in the outbox:
  // transfers, 跨省通办), as on a single server (serve.ts): its consumer runs beside the requests.
  const hallConsumer = opts.node === NATIONAL ? null : startConsumerLoop(ctx);
  await listenWithGracefulShutdown({
    app,
    ctx,
    background: { stop: () => Promise.all([fed.stop(), hallConsumer?.stop()]) },
    shutdownMessage: 'federation node shutting down',
  });
  log.info(`federation node ${opts.node} on http://${config.host}:${config.port}`);
}
