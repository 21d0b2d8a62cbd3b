// 参保登记 on the agency's person page: a clerk enrols a new person in the residents' pension and
// ends the enrolment again (zh, 1280); a refusal is shown in words (en, 390).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertNoErrors, noSidewaysOverflow, session } from './pages-support.ts';
import { apiAs, BASE, freshIdNumber, launch, shot } from './support.ts';

let browser: Browser;
let personId = 0;
before(async () => {
  browser = await launch();
  const clerk = await apiAs('clerk');
  const p = (await clerk('POST', '/api/v1/persons', {
    idNumber: freshIdNumber(),
    name: '测试参保',
    region: '341802',
  })) as { id: number };
  personId = p.id;
});
after(async () => {
  await browser.close();
});

test('clerk (中文, 1280): enrols a person in the residents’ pension, then ends it', async () => {
  const s = await session(browser, 'clerk', 'zh');
  await s.page.goto(`${BASE}/agency/persons/${personId}`);
  await s.page.getByText('暂无参保记录').waitFor();
  await s.page.getByRole('button', { name: '参保登记' }).click();
  const dialog = s.page.getByRole('dialog');
  await dialog.getByText('城乡居民', { exact: true }).click();
  await dialog.getByRole('button', { name: '确定' }).click();
  await s.page.getByText('已办理参保登记').waitFor();
  const row = s.page.getByRole('row').filter({ hasText: '城乡居民基本养老保险' });
  await row.getByText('正常参保').waitFor();
  await shot(s.page, 'pages-enrol-created-zh');
  await row.getByRole('button', { name: '终止参保' }).click();
  await dialog.getByLabel('原因').click();
  await s.page.getByTitle('转出本统筹区').click();
  await dialog.getByLabel('备注').fill('迁往外省');
  await dialog.getByRole('button', { name: '确定' }).click();
  await s.page.getByText('已终止参保').waitFor();
  await row.getByText('已终止').waitFor();
  assert.equal(
    await row.getByRole('button', { name: '终止参保' }).count(),
    0,
    'an ended enrolment has no end button',
  );
  await shot(s.page, 'pages-enrol-ended-zh');
  assertNoErrors(s, 'enrol');
  await s.context.close();
});

test('clerk (English, 390): enrolling through an employer with none shows the hint, and the page fits', async () => {
  const s = await session(browser, 'clerk', 'en', 390);
  await s.page.goto(`${BASE}/agency/persons/${personId}`);
  await s.page.getByRole('button', { name: 'Enrol in a scheme' }).click();
  const dialog = s.page.getByRole('dialog');
  await dialog.getByText('has no current employer').waitFor();
  await shot(s.page, 'pages-enrol-dialog-en-390');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await noSidewaysOverflow(s.page, 'person 390');
  assertNoErrors(s, 'enrol en');
  await s.context.close();
});
