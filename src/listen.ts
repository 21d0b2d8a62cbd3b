// Start-up's last step for every server process (`shebao serve`, a federation node): listen, and on
// SIGINT or SIGTERM stop the background work, close the HTTP server and the database, then exit
// (forced after 10 s). One place, so every process shuts down the same way.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from './app-context.ts';

export interface ListenOptions {
  app: FastifyInstance;
  /** Its configuration gives the port and host, its logger the shutdown line. */
  ctx: AppContext;
  /** Background work to stop before the server closes (the hall's consumer, a federation relay). */
  background: { stop: () => Promise<unknown> };
  /** The log line on a signal ("shutting down", "federation node shutting down"). */
  shutdownMessage?: string;
}

/** Listens on the configured port and host, and installs the graceful shutdown on SIGINT and SIGTERM. */
export async function listenWithGracefulShutdown(o: ListenOptions): Promise<void> {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    o.ctx.log.info({ signal }, o.shutdownMessage ?? 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    void o.background
      .stop()
      .then(() => o.app.close())
      .then(() => o.ctx.handle.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  await o.app.listen({ port: o.ctx.config.port, host: o.ctx.config.host });
}
