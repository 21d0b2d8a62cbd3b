// The demo city's places in English: an English page read 户籍地 东湖区 for a person registered in
// Nanchang, since only the demo's own city had English names (src/core/regions.ts). Every county and
// city the demo puts on a person — where they are insured, their hukou — has one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parentRegion, regionInfo } from '../core/regions.ts';
import { DISTRICTS, ORIGINS } from './demo-data.ts';

test('every region on a demo person, and the city above it, has an English name', () => {
  const codes = [...DISTRICTS.map((d) => d.code), ...ORIGINS.flatMap((o) => [o.hukou, o.idRegion])];
  for (const code of codes)
    for (const c of [code, parentRegion(code) ?? code]) {
      const r = regionInfo(c);
      assert.ok(r, `${c} is a region`);
      assert.match(r.nameEn, /^[A-Za-z][A-Za-z .'-]*$/, `${c} ${r.nameZh} in English: ${r.nameEn}`);
    }
});
