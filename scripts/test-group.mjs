// Several test files in one test process (scripts/test.mjs writes a file per group that calls this): each
// file's tests, and its before/after hooks, make a suite named by the file. scripts/test.mjs keeps apart
// the files it sees change process-wide state (a pattern over their text); a file the pattern misses
// would change it for the files after it in the group, silently. So the files load one after another,
// and each must leave the process-wide state as it found it — once loaded (its top level runs before
// any test of the group) and once its tests and hooks are done — or its suite fails, naming what changed.
import { AsyncResource } from 'node:async_hooks';
import { readdirSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { after, before, describe } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { elapsedNow, now, today } from '../src/core/clock.ts';
import { federationSecret } from '../src/federation/fed.messaging.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The built-in methods a test mocks (mock.method, mock.timers) or replaces. */
const METHODS = {
  console: ['log', 'info', 'warn', 'error', 'debug'],
  Date: ['now'],
  Math: ['random'],
  performance: ['now'],
  crypto: ['randomUUID', 'getRandomValues'],
};

// the real clocks and timer, taken before any test could mock them (mock.timers replaces Date)
const wallNow = Date.now;
const perfNow = performance.now.bind(performance);
const realSetTimeout = setTimeout;

/** A clock function that answers the same however time goes on: fixed by a test. */
function frozen(read) {
  const a = read();
  for (const start = perfNow(); perfNow() - start < 2;); // two milliseconds
  return read() === a;
}

/**
 * What a test file could change for the files after it in the process, each a named slot: the
 * environment, the working folder, the app's clocks and federation secret, every global (read, so
 * that Node's lazily made ones are made), the built-in methods tests mock, and who listens for
 * uncaught errors (a listener there hides a neighbour's failure). Not the other process events, nor
 * process's own methods: libraries add and patch those as they load and close (an exit listener of
 * the database's, signal-exit's emit). The TCP connections and servers open. With `children`, also this
 * process's children still running.
 */
export function processState({ children = false } = {}) {
  const slots = new Map();
  if (children) for (const [pid, comm] of childProcesses()) slots.set(`child process ${pid} (${comm})`, pid);
  for (const [k, v] of Object.entries(process.env)) slots.set(`process.env.${k}`, v);
  slots.set('process.cwd()', process.cwd());
  // A connection or a server left open outlives its file: on PostgreSQL a session whose database is
  // dropped under it errs in a neighbour's test (only what keeps the process alive is listed: not the
  // idle keep-alive sockets of fetch).
  const open = process.getActiveResourcesInfo();
  slots.set('TCP connections open', open.filter((r) => r === 'TCPSocketWrap').length);
  slots.set('TCP servers listening', open.filter((r) => r === 'TCPServerWrap').length);
  const realDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(wallNow());
  slots.set('clock: today() fixed', today() !== realDay);
  slots.set(
    'clock: now() fixed',
    frozen(() => now().getTime(), Date.now),
  );
  slots.set(
    'clock: elapsedNow() fixed',
    frozen(elapsedNow, () => performance.now()),
  );
  let secret = null;
  try {
    secret = federationSecret();
  } catch {
    // not set
  }
  slots.set('the federation secret', secret);
  for (const k of Object.getOwnPropertyNames(globalThis)) {
    try {
      slots.set(`globalThis.${k}`, globalThis[k]);
    } catch {
      // a getter that throws outside its context
    }
  }
  for (const [name, keys] of Object.entries(METHODS))
    for (const k of keys) slots.set(`${name}.${k}`, globalThis[name][k]);
  for (const e of ['uncaughtException', 'unhandledRejection'])
    process.listeners(e).forEach((f, i) => slots.set(`process.on('${e}') #${i + 1}`, f));
  return slots;
}

/**
 * What differs between two states: a slot changed, removed or added. Two kinds of addition pass: a
 * global (a library's, made as it loads: tslib's helpers), and the federation secret set where it was
 * not (there is no unsetting it; every test that sets it sets the same test secret, and setting
 * another one fails here). A child process gone passes too: one the file before left, ended by its
 * check while this file began.
 */
export function stateChanges(was, is) {
  const changes = [];
  for (const [k, v] of is) {
    if (!was.has(k)) {
      if (!k.startsWith('globalThis.')) changes.push(`${k} added`);
    } else if (!Object.is(was.get(k), v) && !(k === 'the federation secret' && was.get(k) === null))
      changes.push(`${k} changed`);
  }
  for (const k of was.keys()) if (!is.has(k) && !k.startsWith('child process ')) changes.push(`${k} removed`);
  return changes;
}

/**
 * This process's children still running (pid → command name; an ended one not yet reaped is a zombie,
 * gone), but the loader's: tsx starts its compiler (esbuild's service) when a file is first compiled,
 * and every file after it needs it. Linux only (/proc); elsewhere none.
 */
export function childProcesses() {
  const found = new Map();
  let names = [];
  try {
    names = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return found;
  }
  for (const n of names) {
    try {
      const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
      // after "(comm) ": state is field 3, the parent's pid field 4
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (Number(ppid) === process.pid && state !== 'Z' && comm !== 'esbuild') found.set(Number(n), comm);
    } catch {
      // ended while we looked
    }
  }
  return found;
}

async function check(was, name, when, options) {
  let is = processState(options);
  let changes = stateChanges(was, is);
  // a connection or a process takes a moment to go after the code that closed it has returned (pg's
  // Pool.end() resolves before its sockets close): up to two seconds before the file is blamed
  for (let i = 0; changes.some((c) => /^(TCP|child process) /.test(c)) && i < 20; i++) {
    await new Promise((r) => realSetTimeout(r, 100));
    is = processState(options);
    changes = stateChanges(was, is);
  }
  if (changes.length === 0) return;
  // a child left running would take a core from the files after it: ended here, and named below
  for (const [slot, pid] of is)
    if (slot.startsWith('child process ') && !was.has(slot))
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // it ended meanwhile
      }
  throw new Error(
    `${name} ${when} left process-wide state changed, for the files after it in its group: ${changes.join('; ')}. Put it back in an after hook, or make the file run alone (alone in scripts/test.mjs).`,
  );
}

/**
 * `children`: the files start processes (the journeys: a browser, a federation's broker and nodes), and
 * one still running after its file's tests counts as state left changed.
 */
export function testGroup(files, options = {}) {
  let loaded = Promise.resolve();
  for (const file of files) {
    const name = relative(root, file);
    describe(name, () => {
      let found; // taken when the file's tests begin (none when it has none)
      before(async () => {
        // no test of the group runs before every file has loaded (the chain is complete by now)
        await loaded;
        found = processState(options);
      });
      // the file loads in this suite's scope (its tests and hooks join the suite, not the top level),
      // after the file before it has loaded
      const scope = new AsyncResource('shebao-test-group-file');
      const load = loaded.then(() =>
        scope.runInAsyncScope(async () => {
          const was = processState(options);
          await import(pathToFileURL(file).href);
          await check(was, name, 'when it loaded', options);
          // registered after the file's own: runs after its after hooks have put things back
          after(() => found && check(found, name, 'after its tests', options));
        }),
      );
      loaded = load.catch(() => undefined);
      return load;
    });
  }
}
