// 数据比对导入: a file with bad lines is refused with each problem listed by line and field in words
// (zh, 1280); a hospital-visit file naming the demo's retired pensioner imports and shows its counts
// (en, 390).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertNoErrors, noSidewaysOverflow, session } from './pages-support.ts';
import { today } from '../src/core/clock.ts';
import { dayNumber, fromDayNumber } from '../src/core/dates.ts';
import { apiAs, BASE, launch, shot } from './support.ts';

let browser: Browser;
let retireeIdNumber = '';
before(async () => {
  browser = await launch();
  const retiree = await apiAs('retiree');
  const me = (await retiree('GET', '/api/v1/auth/me')) as { user: { personId: number } };
  const clerk = await apiAs('clerk');
  const p = (await clerk('GET', `/api/v1/persons/${me.user.personId}`)) as { idNumber: string };
  retireeIdNumber = p.idNumber;
});
after(async () => {
  await browser.close();
});

const yesterday = fromDayNumber(dayNumber(today()) - 1);

test('clerk (中文, 1280): a file with bad lines is refused, each problem listed', async () => {
  const s = await session(browser, 'clerk', 'zh');
  await s.page.goto(`${BASE}/agency/certification/imports`);
  await s.page.getByRole('heading', { name: '数据比对' }).waitFor();
  await s.page.locator('input[type=file]').setInputFiles({
    name: 'hospital-bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      `id_number,visit_date,hospital\n123,${yesterday},甲医院\n${retireeIdNumber},2026-13-40,乙医院\n`,
    ),
  });
  await s.page.getByRole('button', { name: '导入 hospital-bad.csv' }).click();
  await s.page.locator('.line-errors').waitFor();
  const table = await s.page.locator('.line-errors').innerText();
  assert.match(table, /2/, 'line 2 listed');
  assert.match(table, /3/, 'line 3 listed');
  assert.match(table, /就医日期/, 'the field in words');
  assert.doesNotMatch(table, /visit_date|id_number/, 'no column codes');
  await shot(s.page, 'pages-imports-errors-zh');
  assert.deepEqual(
    s.errors.filter((e) => !e.startsWith('400 POST /api/v1/certification/imports')),
    [],
    'only the refusal the user caused',
  );
  await s.context.close();
});

test('clerk (English, 390): a hospital-visit file imports and shows its counts', async () => {
  const s = await session(browser, 'clerk', 'en', 390);
  await s.page.goto(`${BASE}/agency/certification/imports`);
  await s.page.getByRole('heading', { name: 'Data comparison' }).waitFor();
  await s.page.locator('input[type=file]').setInputFiles({
    name: 'hospital.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`id_number,visit_date,hospital\n${retireeIdNumber},${yesterday},City Hospital\n`),
  });
  await s.page.getByRole('button', { name: 'Import hospital.csv' }).click();
  await s.page.getByText('Data imported').waitFor();
  await s.page.getByText('Already certified').waitFor();
  await noSidewaysOverflow(s.page, 'imports 390');
  await shot(s.page, 'pages-imports-en-390');
  assertNoErrors(s, 'imports en');
  await s.context.close();
});
