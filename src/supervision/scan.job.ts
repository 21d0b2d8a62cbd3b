// The scheduled supervision scan, a background job of the server process beside the hall's outbox
// consumer: every `SUPERVISION_SCAN_INTERVAL_MINUTES` (default 1440, once a day; 0 turns it off for
// installations that run `shebao supervision scan` from cron) every top-level region is scanned with
// all detectors. A scan is idempotent, so an overlap with a supervisor's own scan adds nothing twice.
import type { AppContext } from '../app-context.ts';
import { systemActor } from '../auth/actor.ts';
import { repeatInBackground, type BackgroundJob } from '../core/repeat.ts';
import { rootRegionCodes } from '../registry/region.repository.ts';
import { ScanService } from './scan.service.ts';

/** One pass: every region without a parent (the nation, or the provinces of an installation). */
export async function runScheduledScan(ctx: AppContext): Promise<number> {
  const roots = await rootRegionCodes(ctx.db);
  const svc = new ScanService(ctx.db, ctx.params);
  let added = 0;
  for (const code of roots) {
    const result = await svc.scan(systemActor('supervision-schedule'), { region: code.trim() });
    added += result.newTotal;
  }
  return added;
}

export function startScanLoop(ctx: AppContext, intervalMs = scanInterval()): BackgroundJob {
  return repeatInBackground(
    () =>
      runScheduledScan(ctx)
        .then((n) => ctx.log.info({ newFindings: n }, 'supervision: scheduled scan done'))
        .catch((err: unknown) => ctx.log.error({ err }, 'supervision: scheduled scan failed')),
    intervalMs,
    { unrefFirst: true },
  );
}

export function scanInterval(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['SUPERVISION_SCAN_INTERVAL_MINUTES'];
  const n = raw === undefined || raw === '' ? 1440 : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n * 60_000 : 1440 * 60_000;
}
