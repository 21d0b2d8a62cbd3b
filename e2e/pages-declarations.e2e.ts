// The employer's declarations: a month picker, a warning before a file whose wages look like yuan
// typed as fen (or, in a yuan file, fen typed as yuan), a correction that says what changed, and the
// months declared so far — zh 1280, en 390.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertNoErrors, noSidewaysOverflow, session } from './pages-support.ts';
import { BASE, datesBroken, futureRefused, launch, shot, tablesCut } from './support.ts';
import { formatYuan } from '../src/core/money-text.ts';
import { formatMoney, yuanToFen } from '../web/src/format.ts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

const thisMonth = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' })
  .format(new Date())
  .slice(0, 7);

test('employer (中文, 1280): yuan-as-fen and fen-as-yuan warnings, a correction shows what changed, the history lists the month', async () => {
  const s = await session(browser, 'employer', 'zh');
  await s.page.goto(`${BASE}/employer/declarations`);
  await s.page.getByText('申报记录', { exact: true }).waitFor();

  // a file with 7000 in the fen column: the page asks before sending anything
  let sent = false;
  s.page.on('request', (r) => {
    if (r.url().includes('/declarations.csv')) sent = true;
  });
  await s.page.locator('input[type=file]').setInputFiles({
    name: 'wages.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`id_number,name,period,wage_fen\n341802199001010011,张三,${thisMonth},7000\n`),
  });
  await s.page.getByRole('button', { name: '上传申报' }).click();
  await s.page.locator('.ant-modal-confirm-title', { hasText: '有的工资像是把“元”填成了“分”' }).waitFor();
  await s.page.getByText(/第 2 行：7000 分只有/).waitFor();
  await shot(s.page, 'pages-declare-yuan-as-fen-zh');
  await s.page.getByRole('button', { name: '返回修改' }).click();
  assert.equal(sent, false, 'nothing sent after "go back"');

  // the template's yuan file with 650000 (6,500.00 yuan written in fen): asked again, the other way round
  await s.page.locator('input[type=file]').setInputFiles({
    name: 'wages-yuan.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`id_number,name,period,wage_yuan\n341802199001010011,张三,${thisMonth},650000\n`),
  });
  await s.page.getByRole('button', { name: '上传申报' }).click();
  await s.page.locator('.ant-modal-confirm-title', { hasText: '有的工资像是把“分”填成了“元”' }).waitFor();
  await s.page
    .getByText(/第 2 行：650000 元即 ¥650,000\.00，高于缴费基数上限；如果是 650000 分，请填 6500\.00/)
    .waitFor();
  await shot(s.page, 'pages-declare-fen-as-yuan-zh');
  await s.page.getByRole('button', { name: '返回修改' }).click();
  assert.equal(sent, false, 'nothing sent after "go back"');

  // the form for this month (a month not yet come is not offered), then a correction of one wage
  await futureRefused(s.page, s.page.locator('#declare-period'), 'declared month', true);
  await s.page.locator('#declare-period').click();
  await s.page.locator('#declare-period').fill(thisMonth);
  await s.page.locator('#declare-period').press('Enter');
  const first = s.page.getByRole('textbox', { name: /的月工资|wage of/ }).first();
  await first.waitFor();
  const submit = s.page.getByRole('button', { name: /申报 \d+ 人/ });
  await submit.click();
  await s.page
    .getByRole('status')
    .filter({ hasText: /申报成功|已申报|成功/ })
    .first()
    .waitFor();
  // each wage as the pages write money (the boxes showed 18480.00), read back to the exact fen
  const before = await first.inputValue();
  assert.match(before, /^\d{1,3}(,\d{3})*\.\d{2}$/, before);
  const wages = await s.page
    .getByRole('textbox', { name: /的月工资/ })
    .evaluateAll((xs) => xs.map((x) => (x as HTMLInputElement).value));
  for (const w of wages) assert.match(w, /^(\d{1,3}(,\d{3})*\.\d{2})?$/, w);
  const raisedFen = (yuanToFen(before) ?? 500_000) + 10_000;
  await first.fill(formatYuan(raisedFen, false)); // typed without separators
  await first.blur();
  assert.equal(await first.inputValue(), formatMoney(raisedFen).slice(1));
  await submit.click();
  await s.page.locator('.declare-changes li').first().waitFor();
  const change = await s.page.locator('.declare-changes li').first().innerText();
  assert.match(change, /→/);
  assert.ok(change.includes(formatMoney(raisedFen)), `${change} says ${formatMoney(raisedFen)}`);
  await s.page
    .locator('.ant-card')
    .filter({ hasText: '申报记录' })
    .getByText(/\d{4}年\d{1,2}月/)
    .first()
    .waitFor();
  await shot(s.page, 'pages-declare-correction-zh');
  // the records' months and days whole, every column in the card: they broke as 2026年12 / 月
  assert.deepEqual(await datesBroken(s.page), []);
  assert.deepEqual(await tablesCut(s.page), []);
  assertNoErrors(s, 'declarations zh');
  await s.context.close();
});

test('employer (English, 390): the page fits, the history is cards', async () => {
  const s = await session(browser, 'employer', 'en', 390);
  await s.page.goto(`${BASE}/employer/declarations`);
  await s.page.getByText('Declarations so far').waitFor();
  await s.page.waitForLoadState('networkidle');
  await noSidewaysOverflow(s.page, 'declarations 390');
  await shot(s.page, 'pages-declare-en-390');
  assertNoErrors(s, 'declarations en');
  await s.context.close();
});
