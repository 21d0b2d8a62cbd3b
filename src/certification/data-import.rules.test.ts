// The plain-line path of parseImportLine answers exactly what the general check answers, for good
// lines and for lines wrong in every way the general check knows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeIdNumber } from '../core/ids.ts';
import { IMPORT_KINDS, parseImportCells, parseImportLine } from './data-import.rules.ts';

const TODAY = '2026-12-20';

test('parseImportLine: the plain-line path answers what the general check answers', () => {
  const good = makeIdNumber('341802', '1950-03-04', 17);
  const ids = [
    good,
    good.toLowerCase(),
    `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`, // wrong check character
    makeIdNumber('341802', '1955-07-31', 31).replace(/X$/, 'x'),
    makeIdNumber('341802', '2027-01-01', 1), // born in the future
    makeIdNumber('341802', '1799-12-31', 1),
    '34180219500230017X', // 30 February
    ` ${good}`,
    `${good} `,
    '341802500304017', // 15 digits
    good.slice(0, 17),
    `${good}1`,
  ];
  const dates = [
    '2026-03-01',
    '2026-12-20',
    '2026-12-21', // future
    '2014-12-31', // before the earliest life sign
    '1949-12-31', // before the earliest death
    '1950-03-03', // before the birth
    '2026-02-30',
    '2026-3-01',
    ' 2026-03-01',
  ];
  const thirds = ['上海铁路局', '', ' rail', 'rail ', 'x'.repeat(100), 'x'.repeat(101), '"rail"', 'a,b'];
  let plain = 0;
  for (const kind of IMPORT_KINDS)
    for (const id of ids)
      for (const d of dates)
        for (const third of thirds) {
          const raw = `${id},${d},${third}`;
          const want = parseImportCells(kind, 7, raw, TODAY);
          assert.deepEqual(parseImportLine(kind, 7, raw, TODAY), want, raw);
          if (!Array.isArray(want)) plain += 1;
        }
  assert.ok(plain > 20, 'good lines were among the cases');
});
