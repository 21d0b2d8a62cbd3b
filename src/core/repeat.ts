// A pass repeated in the background of a server process (the hall's outbox consumer, the scheduled
// supervision scan): the next pass is scheduled when the previous one ended, so passes never pile
// up; stop() ends the loop and waits for the pass under way.

export interface BackgroundJob {
  /** Stops the loop and waits for the pass under way to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` every `intervalMs` (0 or less: never), the first time after `firstDelayMs`. The pass
 * handles its own errors. `unrefFirst`: the first wait does not keep the process alive.
 */
export function repeatInBackground(
  pass: () => Promise<unknown>,
  intervalMs: number,
  opts: { firstDelayMs?: number; unrefFirst?: boolean } = {},
): BackgroundJob {
  let stopped = intervalMs <= 0;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    timer = null;
    if (stopped) return;
    current = pass().finally(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  if (!stopped) timer = setTimeout(tick, opts.firstDelayMs ?? intervalMs);
  if (opts.unrefFirst) timer?.unref();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await current;
    },
  };
}
