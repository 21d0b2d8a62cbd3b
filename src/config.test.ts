// Configuration of the HTTP edge: no proxy trusted by default, TRUSTED_PROXIES parsed and checked,
// the staff idle timeout, the payroll's workers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './config.ts';

test('no proxy is trusted by default, and staff sessions idle out after 30 minutes', () => {
  const c = loadConfig({});
  assert.deepEqual(c.trustedProxies, []);
  assert.equal(c.sessionIdleMinutes, 30);
  assert.equal(c.sessionHours, 8);
});

test('TRUSTED_PROXIES takes comma-separated addresses and CIDRs, and refuses anything else', () => {
  assert.deepEqual(loadConfig({ TRUSTED_PROXIES: '127.0.0.1, 10.1.0.0/16,::1,fd00::/8' }).trustedProxies, [
    '127.0.0.1',
    '10.1.0.0/16',
    '::1',
    'fd00::/8',
  ]);
  for (const bad of ['true', '10.0.0.0/33', 'proxy.local', '1.2.3.4/8/1'])
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: bad }), /TRUSTED_PROXIES/, bad);
  assert.equal(loadConfig({ SESSION_IDLE_MINUTES: '15' }).sessionIdleMinutes, 15);
  assert.throws(() => loadConfig({ SESSION_IDLE_MINUTES: '0' }), /SESSION_IDLE_MINUTES/);
});

test('PAYROLL_WORKERS: 1 by default and always on PGlite, 1–8 on PostgreSQL', () => {
  const pgUrl = { DATABASE_URL: 'postgres://localhost/shebao' };
  assert.equal(loadConfig(pgUrl).payrollWorkers, 1);
  assert.equal(loadConfig({ ...pgUrl, PAYROLL_WORKERS: '3' }).payrollWorkers, 3);
  assert.equal(loadConfig({ PAYROLL_WORKERS: '3' }).payrollWorkers, 1);
  for (const bad of ['0', '9', 'two'])
    assert.throws(() => loadConfig({ ...pgUrl, PAYROLL_WORKERS: bad }), /PAYROLL_WORKERS/, bad);
});
