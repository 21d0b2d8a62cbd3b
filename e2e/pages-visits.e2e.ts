// 上门认证名册: a clerk adds a person to the home-visit register by ID number and records a visit
// that did not meet them (zh, 1280); the demo's retired pensioner is certified by a visit (en, 390).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertNoErrors, noSidewaysOverflow, session } from './pages-support.ts';
import { apiAs, BASE, freshIdNumber, futureRefused, launch, shot } from './support.ts';

let browser: Browser;
const idNumber = freshIdNumber();
before(async () => {
  browser = await launch();
  const clerk = await apiAs('clerk');
  await clerk('POST', '/api/v1/persons', { idNumber, name: '测试上门', region: '341802' });
  const retiree = await apiAs('retiree');
  const me = (await retiree('GET', '/api/v1/auth/me')) as { user: { personId: number } };
  await clerk('POST', '/api/v1/certification/visit-register', {
    personId: me.user.personId,
    reason: 'bedridden',
  });
});
after(async () => {
  await browser.close();
});

test('clerk (中文, 1280): adds a person by ID number and records a visit that did not meet them', async () => {
  const s = await session(browser, 'clerk', 'zh');
  await s.page.goto(`${BASE}/agency/certification/visits`);
  await s.page.getByRole('heading', { name: '上门认证' }).waitFor();
  await s.page.getByRole('button', { name: '加入名册' }).click();
  const dialog = s.page.getByRole('dialog');
  await dialog.getByLabel('身份证号').fill(idNumber);
  await dialog.getByRole('button', { name: '确定' }).click();
  await s.page.getByText('已将测试上门加入上门认证名册').waitFor();
  const row = s.page.getByRole('row').filter({ hasText: '测试上门' });
  await row.getByText('尚未上门').waitFor();
  await row.getByText('高龄').waitFor();
  await row.getByRole('button', { name: '登记上门结果' }).click();
  await futureRefused(s.page, dialog.getByLabel('上门日期'), 'visited on');
  await dialog.getByText('未见到本人').click();
  await dialog.getByLabel('备注').fill('家中无人');
  await dialog.getByRole('button', { name: '确定' }).click();
  await s.page.getByText('已记录：未见到本人').waitFor();
  await shot(s.page, 'pages-visits-zh');
  assertNoErrors(s, 'visits');
  await s.context.close();
});

test('clerk (English, 390): the retired pensioner on the register is certified by a visit', async () => {
  const s = await session(browser, 'clerk', 'en', 390);
  await s.page.goto(`${BASE}/agency/certification/visits`);
  await s.page.getByText('Bedridden').first().waitFor();
  await s.page.waitForLoadState('networkidle');
  await noSidewaysOverflow(s.page, 'visits 390');
  await shot(s.page, 'pages-visits-en-390');
  const card = s.page.getByRole('row').filter({ hasText: 'Bedridden' });
  await card.getByRole('button', { name: 'Record a visit' }).first().click();
  const dialog = s.page.getByRole('dialog');
  await dialog.getByText('Alive (certified)').waitFor();
  await dialog.getByRole('button', { name: 'OK' }).click();
  await s.page.getByText('Certified by home visit').waitFor();
  assert.ok(
    (await s.page.getByText('Not yet visited').count()) <= 1,
    'the visited pensioner shows a visit date',
  );
  assertNoErrors(s, 'visits en');
  await s.context.close();
});
