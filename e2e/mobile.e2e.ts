// A 390 px phone screen: nothing overflows sideways, the menu opens as a drawer, tables scroll inside their card.
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { noSidewaysOverflow } from './pages-support.ts';
import { BASE, launch, login, newPage, shot } from './support.ts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

test('login, citizen record and agency search fit a 390 px screen', async () => {
  const { context, page } = await newPage(browser, 390, 844);
  await page.goto(`${BASE}/login`);
  await page.getByRole('button', { name: '登录' }).waitFor();
  await noSidewaysOverflow(page, 'login');
  await shot(page, 'mobile-login');
  await login(page, 'citizen');
  await page.getByRole('heading', { name: '我的参保' }).waitFor();
  await page
    .locator('.ant-card', { has: page.locator('.ant-card-head-title', { hasText: '参保情况' }) })
    .locator('.ant-table')
    .waitFor();
  await noSidewaysOverflow(page, 'citizen record');
  await shot(page, 'mobile-citizen-record');
  await context.close();

  const clerk = await newPage(browser, 390, 844);
  await login(clerk.page, 'clerk');
  await clerk.page.getByRole('heading', { name: /统计概览/ }).waitFor();
  await clerk.page.locator('canvas').first().waitFor();
  await noSidewaysOverflow(clerk.page, 'agency dashboard');
  await shot(clerk.page, 'mobile-agency-dashboard');
  await clerk.page.getByRole('button', { name: '打开菜单' }).click();
  await clerk.page.getByRole('menuitem', { name: '人员查询' }).click();
  await clerk.page.getByRole('button', { name: '查询' }).click();
  await clerk.page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
  await noSidewaysOverflow(clerk.page, 'agency search');
  await shot(clerk.page, 'mobile-agency-search');
  await clerk.context.close();
});
