// The guard of scripts/test-group.mjs, as a test file the grouping pattern of scripts/test.mjs misses
// would meet it: each that leaves process-wide state changed fails by name (on the old runner all of
// these passed, and the files after them ran on the changed state), a file that puts things back
// passes, and the neighbour after a culprit is not blamed for it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const url = (path) => JSON.stringify(pathToFileURL(join(root, path)).href);

const FILES = {
  'a-clean': `process.env.SHEBAO_GUARD_A = '1'; delete process.env.SHEBAO_GUARD_A;
    import { after, before, test } from 'node:test';
    before(() => { process.env.SHEBAO_GUARD_B = '1'; });
    after(() => { delete process.env.SHEBAO_GUARD_B; });
    test('sets and puts back', () => {});`,
  'b-env': `import { test } from 'node:test';
    test('leaves an environment variable', () => { process.env.SHEBAO_GUARD_LEAK = '1'; });`,
  // as a PostgreSQL session left connected would: open after its file (closed a few seconds later, or
  // the group would never end)
  'b-socket': `import { createServer, connect } from 'node:net';
    import { test } from 'node:test';
    test('leaves a connection open', async () => {
      const server = createServer((s) => setTimeout(() => { s.destroy(); server.close(); }, 5000).unref());
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      await new Promise((r) => connect(server.address().port, '127.0.0.1', r));
    });`,
  'c-neighbour': `import { test } from 'node:test';
    test('runs after a culprit', () => {});`,
  'd-load': `process.env.SHEBAO_GUARD_LOAD = '1';
    import { test } from 'node:test';
    test('changed the environment when it loaded', () => {});`,
  'e-clock': `import { test } from 'node:test';
    import { fixNow, fixToday } from ${url('src/core/clock.ts')};
    test('leaves the clock fixed', () => { fixToday('2020-01-01'); fixNow(new Date('2020-01-01T00:00:00Z')); });`,
  'f-mock': `import { mock, test } from 'node:test';
    test('leaves a global mock', () => { mock.method(Math, 'random', () => 0.5); });`,
  'h-listener': `import { test } from 'node:test';
    test('swallows uncaught errors', () => { process.on('unhandledRejection', () => {}); });`,
  'i-secret': `import { test } from 'node:test';
    import { setFederationSecret } from ${url('src/federation/fed.messaging.ts')};
    test('sets the one test secret', () => { setFederationSecret('test-federation-secret-0123456789abcdef'); });`,
  'j-other-secret': `import { test } from 'node:test';
    import { setFederationSecret } from ${url('src/federation/fed.messaging.ts')};
    test('sets another secret', () => { setFederationSecret('x'.repeat(32)); });`,
  // last: the runner after it would wait on mocked timers
  'z-timers': `import { mock, test } from 'node:test';
    test('leaves the clock and timers mocked', () => { mock.timers.enable({ apis: ['setTimeout', 'Date'] }); });`,
};

/**
 * Runs `files` (name → text, written into `dir`) as one group, `options` given to testGroup, in a test
 * run of its own (not a part of this one: node:test would skip it); its TAP output and exit status.
 */
function runGroup(dir, files, options) {
  const paths = Object.entries(files).map(([name, text]) => {
    const file = join(dir, `${name}.test.mjs`);
    writeFileSync(file, text);
    return file;
  });
  const group = join(dir, 'group.test.mjs');
  writeFileSync(
    group,
    `import { testGroup } from ${url('scripts/test-group.mjs')};\ntestGroup(${JSON.stringify(paths)}${options ? `, ${JSON.stringify(options)}` : ''});\n`,
  );
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', group], {
    cwd: root,
    encoding: 'utf8',
    env,
  });
  return { out: r.stdout + r.stderr, status: r.status };
}

test('a grouped file that leaves process-wide state changed fails by name; one that puts it back passes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shebao-guard-'));
  try {
    const { out, status } = runGroup(dir, FILES);
    // each file's suite: "ok N - <path>" or "not ok N - <path>", at the group's top level
    const verdict = (name) => {
      const m = new RegExp(`^(not ok|ok) \\d+ - .*${name}\\.test\\.mjs$`, 'm').exec(out);
      assert.ok(m, `${name}: no verdict in\n${out}`);
      return m[1] === 'ok';
    };
    assert.equal(verdict('a-clean'), true, out);
    assert.equal(verdict('c-neighbour'), true, out);
    assert.equal(verdict('i-secret'), true, out);
    for (const name of [
      'b-env',
      'b-socket',
      'd-load',
      'e-clock',
      'f-mock',
      'h-listener',
      'j-other-secret',
      'z-timers',
    ])
      assert.equal(verdict(name), false, `${name} passed:\n${out}`);
    for (const what of [
      /b-env\.test\.mjs after its tests left process-wide state changed.*process\.env\.SHEBAO_GUARD_LEAK added/,
      /b-socket\.test\.mjs after its tests .*TCP connections open changed; TCP servers listening changed/,
      /d-load\.test\.mjs when it loaded left process-wide state changed.*process\.env\.SHEBAO_GUARD_LOAD added/,
      /e-clock\.test\.mjs after its tests .*clock: today\(\) fixed changed; clock: now\(\) fixed changed/,
      /f-mock\.test\.mjs after its tests .*Math\.random changed/,
      /z-timers\.test\.mjs after its tests .*globalThis\.Date changed.*globalThis\.setTimeout changed/,
      /h-listener\.test\.mjs after its tests .*process\.on\('unhandledRejection'\) #\d+ added/,
      /j-other-secret\.test\.mjs after its tests .*the federation secret changed/,
    ])
      assert.match(out, what);
    assert.notEqual(status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with children (the journeys), a file that leaves a process running fails by name and the process is ended', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shebao-guard-'));
  try {
    const files = {
      'a-leaves': `import { spawn } from 'node:child_process';
        import { writeFileSync } from 'node:fs';
        import { test } from 'node:test';
        test('starts a process and forgets it', () => {
          writeFileSync(${JSON.stringify(join(dir, 'pid'))}, String(spawn('sleep', ['60'], { stdio: 'ignore' }).pid));
        });`,
      'b-ends': `import { spawn } from 'node:child_process';
        import { once } from 'node:events';
        import { test } from 'node:test';
        test('starts a process and ends it', async () => {
          const child = spawn('sleep', ['60'], { stdio: 'ignore' });
          child.kill();
          await once(child, 'exit');
        });`,
    };
    const { out, status } = runGroup(dir, files, { children: true });
    assert.match(out, /^not ok \d+ - .*a-leaves\.test\.mjs$/m, out);
    assert.match(out, /^ok \d+ - .*b-ends\.test\.mjs$/m, out);
    assert.match(out, /a-leaves\.test\.mjs after its tests left .*child process \d+ \(sleep\) added/, out);
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    // ended by the check (a zombie of the exited group at most, gone with it)
    assert.equal(
      existsSync(`/proc/${pid}`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')),
      false,
    );
    assert.notEqual(status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
