// The local federation's demo people (issue 16): every province has a `citizen` who arrived from
// another province and whose relation moves in, so the transfer journey works as that citizen; Jiangsu
// (the collection journey's node) has a second, `citizen2`, the applicant it places in another province.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectParams } from '../core/params-loader.ts';
import { temporaryAccountCheck } from '../federation/temporary-account.rules.ts';
import { arrivalsOf, FED_DEMO_PROVINCES, fedDemoPeople } from './federation-demo.ts';

test('each province has a citizen login (Jiangsu two) who arrived from elsewhere and is not held in a temporary account', () => {
  const people = fedDemoPeople();
  for (const { code } of FED_DEMO_PROVINCES) {
    const arrivals = arrivalsOf(people, code, projectParams());
    assert.ok(arrivals.length >= (code === '320000' ? 2 : 1), `${code}: ${arrivals.length} arrivals`);
    for (const c of arrivals.slice(0, 2)) {
      assert.equal(c.segments.at(-1)?.province, code);
      assert.ok(
        c.segments.some((s) => s.province !== code),
        `${code}: the citizen has no segment elsewhere`,
      );
      const start = c.segments.at(-1)?.from ?? '';
      const check = temporaryAccountCheck(
        {
          sex: c.sex,
          birthDate: c.birthDate,
          hukou: `${c.hukou.slice(0, 2)}0000`,
          newProvince: code,
          startDate: start,
        },
        projectParams(),
      );
      assert.equal(check.temporaryAccount, false, `${code}: ${check.reason}`);
    }
  }
});

test('the movers of the demo are the same people on every instance, with unique ID numbers', () => {
  const a = fedDemoPeople();
  const b = fedDemoPeople();
  assert.deepEqual(
    a.map((p) => p.idNumber),
    b.map((p) => p.idNumber),
  );
  assert.equal(new Set(a.map((p) => p.idNumber)).size, a.length);
  // Anhui (the demo city) has arrivals: before, every mover's last province was Jiangsu or Zhejiang.
  assert.ok(a.filter((p) => p.segments.length > 1 && p.segments.at(-1)?.province === '340000').length >= 4);
});
