// A node:test reporter for scripts/e2e.mjs, beside the spec one: one line of JSON at the end with the
// run's counts (the summary TAP would print: "pass 12", "fail 0" …), the files that failed, and each
// journey file's wall time in seconds, which the runner prints. (A third reporter, TAP to a file, made
// Node 20 warn of a listener leak in the runner.) The files run one after another, each a suite of
// scripts/test-group.mjs named by its path, so a file's time runs from the last event of the file
// before it to its own suite's end (its `after`: the browser closed).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const group = fileURLToPath(new URL('test-group.mjs', import.meta.url));

export default async function* report(source) {
  const root = process.cwd();
  const name = (file) => (file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file);
  const counts = {};
  // a file's suite that failed in its own hooks, not by a test (a leftover named by the group's check):
  // the summary counts tests only
  let hooksFailed = 0;
  const failed = new Set();
  const last = new Map();
  let from = Date.now();
  // E2E_PROFILE: each test's name, file and when it ran (its end is when its result came)
  const tests = [];
  for await (const event of source) {
    if (
      process.env.E2E_PROFILE &&
      (event.type === 'test:pass' || event.type === 'test:fail') &&
      event.data.details?.type !== 'suite' &&
      event.data.file
    ) {
      const end = Date.now();
      tests.push({
        file: event.data.file,
        name: event.data.name,
        nesting: event.data.nesting,
        start: end - event.data.details.duration_ms,
        end,
      });
    }
    const m = event.type === 'test:diagnostic' && /^(pass|fail|cancelled) (\d+)$/.exec(event.data.message);
    if (m && event.data.nesting === 0) counts[m[1]] = Number(m[2]);
    // a file's suite is declared in the group's module and named by the file's path
    const file =
      event.data?.file === group ? event.data.name && join(root, event.data.name) : event.data?.file;
    if (!file) continue;
    if (event.type === 'test:fail') {
      failed.add(file);
      if (event.data.details?.type === 'suite' && event.data.details.error?.failureType !== 'subtestsFailed')
        hooksFailed++;
    }
    last.delete(file); // re-inserted: the Map keeps the files in the order they finished
    last.set(file, Date.now());
  }
  const files = [];
  for (const [file, at] of last) {
    files.push([name(file), Math.round((at - from) / 1000)]);
    from = at;
  }
  yield `${JSON.stringify({ pass: counts.pass ?? 0, fail: (counts.fail ?? 0) + hooksFailed, cancelled: counts.cancelled ?? 0, failed: [...failed].map(name), files, tests })}\n`;
}
