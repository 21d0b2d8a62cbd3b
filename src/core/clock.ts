// The one source of "today", in the agency's time zone (Asia/Shanghai). Tests fix it.
import { makeDate, type IsoDate } from './dates.ts';

const ZONE = 'Asia/Shanghai';
let fixed: IsoDate | null = null;

export function today(): IsoDate {
  return fixed ?? dayOf(new Date());
}

/** The calendar day of a moment in the agency's time zone. */
export function dayOf(at: Date): IsoDate {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  return makeDate(get('year'), get('month'), get('day'));
}

/** Fix "today" (tests, simulations, `SHEBAO_TODAY`); null returns to the real clock. */
export function fixToday(date: IsoDate | null): void {
  fixed = date;
}

let fixedNow: Date | null = null;

/** The one source of "now" for sessions and login limits; tests move it with `fixNow`. */
export function now(): Date {
  return fixedNow ? new Date(fixedNow.getTime()) : new Date();
}

/** Fix "now" (tests); null returns to the real clock. */
export function fixNow(at: Date | null): void {
  fixedNow = at;
}

let fixedElapsed: number | null = null;

/** performance.now() for the session cache's timing; tests hold it with `fixElapsed` (no real waits). */
export function elapsedNow(): number {
  return fixedElapsed ?? performance.now();
}

/** Fix the elapsed-time clock (tests); null returns to performance.now(). */
export function fixElapsed(ms: number | null): void {
  fixedElapsed = ms;
}

/**
 * Runs `f` as if it were `date` at `time` (Shanghai): today() and now() answer that moment, then what was
 * fixed before is put back. Only for a history built before anything else runs (the demo seed, whose
 * past applications and cases are filed through the services on their own days); never in a server
 * that is answering requests. On the real today a time not yet come is the real moment instead: a demo
 * built at eight in the morning shows nothing done at half past nine.
 */
export async function onDay<T>(date: IsoDate, f: () => Promise<T>, time = '09:30'): Promise<T> {
  const before = { fixed, fixedNow };
  const real = new Date();
  const at = new Date(`${date}T${time}:00+08:00`);
  fixed = date;
  fixedNow = at > real && date === dayOf(real) ? real : at;
  try {
    return await f();
  } finally {
    fixed = before.fixed;
    fixedNow = before.fixedNow;
  }
}
