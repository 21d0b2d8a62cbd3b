// Issue #10: no log line carries a query's parameters, a full ID number, a phone or a bank account.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { sql } from 'kysely';
import { MACHINE_KEY_HEADERS } from './auth/machines.ts';
import { makeLogger, maskPersonalNumbers } from './bootstrap.ts';
import { makeIdNumber } from './core/ids.ts';
import { openTestDb } from './testing/test-db.ts';

function memoryLog(): { log: ReturnType<typeof makeLogger>; text: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { log: makeLogger('debug', sink), text: () => chunks.join('') };
}

const ID = makeIdNumber('341802', '1985-06-15', 11);
const PHONE = '13912345678';
const BANK = '6222021234567890123';

test('a database error is logged without its query parameters or the values in its message', async () => {
  const t = await openTestDb();
  try {
    let caught: unknown;
    try {
      await sql`SELECT ${ID}::int, ${PHONE}::text, ${BANK}::text`.execute(t.ctx.db);
    } catch (e) {
      caught = e;
    }
    // The raw error carries the values: in its message (both drivers) and, on PGlite, as `params`.
    const params = (caught as { params?: unknown }).params;
    assert.ok((caught as Error).message.includes(ID));
    if (t.ctx.dbKind === 'pglite') assert.ok(JSON.stringify(params).includes(PHONE));
    const { log, text } = memoryLog();
    log.error({ err: caught }, 'request failed');
    const out = text();
    assert.ok(out.includes('request failed') && out.includes('"code":"22'), out);
    for (const v of [ID, PHONE, BANK]) assert.ok(!out.includes(v), `${v} in ${out}`);
    if (params !== undefined) assert.match(out, /"params":"\[redacted\]"/);
  } finally {
    await t.close();
  }
});

test('ID numbers (18 and 15), phones and bank accounts are masked in any message, key or number', () => {
  const { log, text } = memoryLog();
  log.warn(
    { note: `call ${PHONE}`, account: BANK, n: 13912345678, nested: { old: '341802850615111' } },
    `person ${ID}`,
  );
  const out = text();
  for (const v of [ID, PHONE, BANK, '341802850615111', '13912345678'])
    assert.ok(!out.includes(v), `${v} in ${out}`);
  assert.ok(out.includes('139****5678'));
  assert.equal((JSON.parse(out) as { app: string }).app, 'shebao', 'still one JSON object per line');
  // Timestamps (13 digits) and short numbers stay as they are.
  assert.equal(maskPersonalNumbers('1764599769123 and 12345'), '1764599769123 and 12345');
});

test('a machine key (every machine’s of src/auth/machines.ts) is never logged: its header is redacted, the key anywhere cut to its prefix', () => {
  const key = `sbt_0123456789_${'A'.repeat(43)}`;
  const hospitalKey = `sbh_abcdef0123_${'b'.repeat(43)}`;
  const { log, text } = memoryLog();
  log.info({ req: { headers: { 'x-terminal-key': key, 'x-hospital-key': hospitalKey } } }, 'upload');
  log.warn({ call: { headers: { 'x-terminal-key': key } }, note: `sent ${key}` }, `refused ${hospitalKey}`);
  // whatever a machine's header holds (a key of a shape the masking does not know yet)
  for (const h of MACHINE_KEY_HEADERS)
    log.info(
      { req: { headers: { [h]: `secret-of-${h}` } }, call: { headers: { [h]: `secret-of-${h}` } } },
      'call',
    );
  const out = text();
  for (const v of [key, hospitalKey, 'A'.repeat(43), 'b'.repeat(43), 'secret-of-'])
    assert.ok(!out.includes(v), `${v} in ${out}`);
  assert.ok(out.includes('sbt_0123456789_[redacted]'), out);
  assert.ok(MACHINE_KEY_HEADERS.length >= 2);
});
