// Where a journey run's wall time goes (scripts/e2e.mjs with E2E_PROFILE=1): every half second the CPU
// each of the run's processes used since the last look (/proc), by kind — the server, the browsers, the
// journeys' own Node processes, the federation's broker and nodes a journey starts — and, from what
// e2e/support.ts records in each journey process, the time spent in its waits. Joined with each test's
// start and end (from the reporter), that gives per test: seconds, CPU by kind, the seconds in which no
// process of the run computed, and the seconds inside each kind of wait.
import { readdirSync, readFileSync } from 'node:fs';

/** pid → { ppid, comm } of every process now. */
function processes() {
  const all = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      all.set(Number(name), { ppid: Number(f[1]), comm });
    } catch {
      // ended while we looked
    }
  }
  return all;
}

/** Nanoseconds the process's threads have run and have waited for a core (/proc/…/task/…/schedstat). */
function sched(pid) {
  let run = 0;
  let wait = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const [r, w] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
        run += Number(r);
        wait += Number(w);
      } catch {
        // the thread ended
      }
    }
  } catch {
    // the process ended
  }
  return { run, wait };
}

function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * Starts sampling `rootPid` (the runner: counted with the journeys) and the processes below it;
 * `serverPid`: the journeys' server. stop() returns the samples: { at, cpu: { server, browser, journey,
 * federation }, queued }: seconds run by each kind and seconds its threads waited for a core, since the
 * last sample. (A thread that ends between two looks loses its last half second: a small undercount.)
 */
export function startSampler(rootPid, serverPid) {
  const samples = [];
  const last = new Map();
  const kinds = new Map(); // pid → kind, decided once
  function kindOf(pid, all) {
    if (kinds.has(pid)) return kinds.get(pid);
    let under = false;
    let server = false;
    for (let p = pid, n = 0; p && n < 40; p = all.get(p)?.ppid, n++) {
      if (p === serverPid) server = true;
      if (p === rootPid) {
        under = true;
        break;
      }
    }
    const cmd = under && !server ? cmdline(pid) : '';
    const kind = !under
      ? null
      : server
        ? 'server'
        : /chrom/i.test(all.get(pid).comm)
          ? 'browser'
          : /nats-server| federation node /.test(cmd)
            ? 'federation'
            : 'journey';
    kinds.set(pid, kind);
    return kind;
  }
  const look = () => {
    const all = processes();
    const cpu = { server: 0, browser: 0, journey: 0, federation: 0 };
    let queued = 0;
    for (const pid of all.keys()) {
      const kind = kindOf(pid, all);
      if (!kind) continue;
      const now = sched(pid);
      const before = last.get(pid) ?? { run: 0, wait: 0 };
      cpu[kind] += (now.run - before.run) / 1e9;
      queued += (now.wait - before.wait) / 1e9;
      last.set(pid, now);
    }
    samples.push({ at: Date.now(), cpu, queued });
  };
  look();
  const timer = setInterval(look, 500);
  return {
    stop() {
      clearInterval(timer);
      look();
      return samples;
    },
  };
}

/**
 * Per test (from the reporter's { file, name, start, end }): seconds, CPU by kind, seconds waited for a
 * core, idle seconds (samples in which the run's processes ran and waited under a twentieth of a core:
 * waiting on a timer or an answer), and the waits support.ts recorded ({ kind, start, end }) inside the
 * test's time — in seconds, or counted (×) for the zero-length marks (a login, a script fetched).
 */
export function profile(tests, samples, waits) {
  return tests.map((t) => {
    const cpu = { server: 0, browser: 0, journey: 0, federation: 0 };
    let idle = 0;
    let queued = 0;
    for (let i = 1; i < samples.length; i++) {
      const s = samples[i];
      const from = samples[i - 1].at;
      if (from < t.start || s.at > t.end) continue;
      let sum = 0;
      for (const k of Object.keys(cpu)) {
        cpu[k] += s.cpu[k];
        sum += s.cpu[k];
      }
      queued += s.queued;
      // nothing of the run ran or waited for a core (on a machine others load, a starved process is not idle)
      if (sum + s.queued < 0.05 * ((s.at - from) / 1000)) idle += (s.at - from) / 1000;
    }
    const inWaits = {};
    for (const w of waits) {
      // a count (a login, a script fetched): how many in the test's time
      if (w.end === w.start) {
        if (w.start >= t.start && w.start <= t.end)
          inWaits[`${w.kind} ×`] = (inWaits[`${w.kind} ×`] ?? 0) + 1;
        continue;
      }
      const ms = Math.min(w.end, t.end) - Math.max(w.start, t.start);
      if (ms > 0) inWaits[w.kind] = (inWaits[w.kind] ?? 0) + ms / 1000;
    }
    return { ...t, seconds: (t.end - t.start) / 1000, cpu, queued, idle, waits: inWaits };
  });
}
