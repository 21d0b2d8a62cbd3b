// The web's date display (web/src/format.ts): a timestamp is shown as its day in the agency's time zone
// (Asia/Shanghai), not its UTC day — between 16:00 and 24:00 UTC the two differ, and a transfer filed
// at 06:22 in Shanghai showed "submitted 2 December" next to "accepted 3 December".
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import dayjs from 'dayjs';
import { addDays } from './dates.ts';
import {
  browserTodayIso,
  formatDate,
  formatDateTime,
  formatPeriod,
  isIsoDate,
  pickerFormats,
  setAgencyToday,
  agencyYear,
  todayIso,
} from '../../web/src/format.ts';

/** The web's source files whose names match `ending`. */
function webFiles(ending: RegExp, dir = join(import.meta.dirname, '../../web/src')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? webFiles(ending, full) : ending.test(name) ? [full] : [];
  });
}

test('a calendar date is shown as that date in either language', () => {
  assert.equal(formatDate('2021-09-01', 'zh-CN'), '2021年9月1日');
  assert.equal(formatDate('2021-09-01', 'en'), '1 Sep 2021');
  assert.equal(formatDate(null, 'zh-CN'), '—');
  assert.equal(formatDate('不是日期', 'zh-CN'), '不是日期');
});

test('a timestamp is shown as its day in Shanghai, on both sides of UTC midnight', () => {
  assert.equal(formatDate('2026-12-02T22:22:00.000Z', 'zh-CN'), '2026年12月3日');
  assert.equal(formatDate('2026-12-02T15:59:59.999Z', 'zh-CN'), '2026年12月2日');
  assert.equal(formatDate('2026-12-02T16:00:00.000Z', 'en'), '3 Dec 2026');
  assert.equal(formatDate('2026-12-31T17:00:00+00:00', 'en'), '1 Jan 2027');
});

test('a timestamp with its time is shown in Shanghai time, whatever the browser’s zone', () => {
  assert.match(formatDateTime('2026-12-02T22:25:01.000Z', 'zh-CN'), /^2026年12月3日 06:25$/);
  assert.match(formatDateTime('2026-12-02T22:25:01.000Z', 'zh-CN', 'seconds'), /^2026年12月3日 06:25:01$/);
  assert.match(formatDateTime('2026-12-02T22:25:01.000Z', 'en'), /^3 Dec 2026, 06:25$/);
  // en-GB's own medium date writes September as 'Sept'; the dates elsewhere write 'Sep'.
  assert.equal(formatDateTime('2026-09-25T17:00:05.000Z', 'en', 'seconds'), '26 Sep 2026, 01:00:05');
  assert.equal(formatDateTime(null, 'en'), '—');
  assert.equal(formatDateTime('later', 'en'), 'later');
});

test('no page cuts the UTC day out of a timestamp, or formats one in the browser’s zone or with its own formatter', () => {
  const offenders = webFiles(/\.tsx$/).filter((f) =>
    /formatDate\([^)]*\.slice\(0, 10\)/.test(readFileSync(f, 'utf8')),
  );
  assert.deepEqual(offenders, []);
});

test('a calendar date is told from a month, a timestamp and other text by one test, not a copy per page', () => {
  assert.ok(isIsoDate('2026-08-22'));
  for (const v of ['2026-08', '2026-08-22T10:00:00Z', '20260822', 20260822, null]) assert.ok(!isIsoDate(v));
  // The date test in code (a form's pattern rule is a different thing: it is not followed by .test).
  const copies = webFiles(/\.tsx?$/).filter(
    (f) =>
      !f.endsWith('format.ts') && readFileSync(f, 'utf8').includes(String.raw`/^\d{4}-\d{2}-\d{2}$/.test(`),
  );
  assert.deepEqual(copies, []);
});

test('the date pickers display the words formatDate and formatPeriod write, and also take the ISO form typed', () => {
  const day = dayjs('2026-12-10');
  for (const lang of ['zh-CN', 'en'] as const) {
    const [words, iso] = pickerFormats(lang);
    assert.equal(day.format(words), formatDate('2026-12-10', lang));
    assert.equal(iso, 'YYYY-MM-DD');
    const [month, isoMonth] = pickerFormats(lang, 'month');
    assert.equal(day.format(month), formatPeriod('2026-12', lang));
    assert.equal(isoMonth, 'YYYY-MM');
  }
  // one shared picker: no page takes AntD's own, which showed 2026-12-10 while typing and after picking
  const own = webFiles(/\.tsx$/).filter(
    (f) =>
      !f.endsWith('components/DatePicker.tsx') &&
      /import \{[^}]*\bDatePicker\b[^}]*\} from 'antd'/.test(readFileSync(f, 'utf8')),
  );
  assert.deepEqual(own, []);
});

test('the default day is the agency’s today the session gave, whatever the browser’s clock says', () => {
  const browser = browserTodayIso();
  assert.equal(todayIso(), browser, 'no session: the browser’s date');
  setAgencyToday(addDays(browser, -3)); // the PC's clock runs three days ahead
  try {
    assert.equal(todayIso(), addDays(browser, -3));
    assert.equal(agencyYear(), Number(addDays(browser, -3).slice(0, 4)));
  } finally {
    setAgencyToday(null);
  }
  assert.equal(todayIso(), browser, 'logged out: the browser’s date again');
});

test('no page takes a day or a year from the browser’s clock: only todayIso() (the agency’s) gives one', () => {
  // a default day from new Date() or dayjs() was the PC's, days off the server's on a PC whose clock is wrong
  const own = webFiles(/\.tsx?$/).filter(
    (f) =>
      !f.endsWith('web/src/format.ts') &&
      /new Date\(\)|dayjs\(\)|getFullYear\(/.test(readFileSync(f, 'utf8')),
  );
  assert.deepEqual(own, []);
});
