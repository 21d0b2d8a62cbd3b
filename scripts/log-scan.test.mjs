// Greps the log output of the whole test suite (written by src/testing/test-db.ts into
// SHEBAO_TEST_LOG_DIR) for what must never be logged: passwords, session tokens, full ID numbers (18
// characters with a valid checksum, or the old 15 digits), mobile phone numbers and bank accounts.
// scripts/test.mjs runs it after the whole suite and after any run of database tests (the hostile-input
// suite's logs included).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const dir = process.env.SHEBAO_TEST_LOG_DIR;
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const validId = (s) =>
  '10X98765432'[[...s.slice(0, 17)].reduce((a, c, i) => a + Number(c) * W[i], 0) % 11] ===
  s[17].toUpperCase();

// Not preceded by a letter, digit or decimal point (the fraction of "responseTime":0.9024070000014035 is no account).
const B = '(?<![\\dA-Za-z.])';
const E = '(?![\\dA-Za-z])';
const PHONE = new RegExp(`${B}1[3-9]\\d{9}${E}`, 'g');
const BANK = new RegExp(`${B}\\d{16,19}${E}`, 'g');
const OLD_ID = new RegExp(`${B}\\d{6}\\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])\\d{3}${E}`, 'g');

test('the suite logged, and no password, session token, full ID number, phone or bank account', () => {
  assert.ok(dir, 'SHEBAO_TEST_LOG_DIR is set by scripts/test.mjs');
  const files = readdirSync(dir).filter((f) => f.endsWith('.log'));
  let lines = 0;
  let requests = 0;
  const leaks = [];
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      lines += 1;
      if (line.includes('"req":')) requests += 1;
      if (/test-pass-2021|shebao-demo/.test(line)) leaks.push(`password in ${f}: ${line.slice(0, 160)}`);
      if (/sb_session=[A-Za-z0-9_-]{10,}|Bearer [A-Za-z0-9_-]{20,}/.test(line))
        leaks.push(`session token in ${f}: ${line.slice(0, 160)}`);
      for (const m of line.match(/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g) ?? []) {
        if (validId(m)) leaks.push(`ID number in ${f}: ${m.slice(0, 4)}…`);
      }
      for (const m of line.match(OLD_ID) ?? []) leaks.push(`15-digit ID number in ${f}: ${m.slice(0, 4)}…`);
      for (const m of line.match(PHONE) ?? []) leaks.push(`phone in ${f}: ${m.slice(0, 3)}…`);
      for (const m of line.match(BANK) ?? []) leaks.push(`bank account in ${f}: ${m.slice(0, 4)}…`);
    }
  }
  // After the whole suite the scan must have read something, or it proves nothing. A targeted run may
  // pick database tests that serve no request and log nothing (a job's test alone); there only the
  // leaks are checked.
  if (process.env.SHEBAO_LOG_SCAN_REQUESTS !== '0')
    assert.ok(
      files.length > 0 && lines > 0 && requests > 0,
      `logs were written (${files.length} files, ${lines} lines, ${requests} requests)`,
    );
  assert.deepEqual(leaks.slice(0, 10), []);
});
