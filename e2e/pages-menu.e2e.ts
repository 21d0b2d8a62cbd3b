// The menu is decided by role: every item a role is shown opens without a refusal or a console
// error, in Chinese at 1280 px and in English at 390 px; a role is not shown what it may not use.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertNoErrors, assertNoRefusal, menuLabels, session } from './pages-support.ts';
import { BASE, launch, newPage, shot } from './support.ts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

const ROLES = ['citizen', 'employer', 'clerk', 'reviewer', 'supervisor', 'admin'] as const;
const menuCount = new Map<string, number>();

for (const role of ROLES) {
  test(`${role} (中文, 1280 px): every menu item opens without a refusal`, async () => {
    const s = await session(browser, role, 'zh');
    const items = s.page.getByRole('menuitem');
    if (role === 'admin' && (await items.count()) === 0) {
      // nothing the admin may use yet: one plain notice, not a menu full of 403s
      await s.page.getByText('您的角色暂无可用页面').waitFor();
      menuCount.set(role, 0);
    } else {
      const labels = await menuLabels(s, 'zh', false);
      menuCount.set(role, labels.length);
      for (const label of labels) {
        await s.page.getByRole('menuitem', { name: label }).click();
        await s.page.getByRole('heading', { level: 3 }).first().waitFor();
        await assertNoRefusal(s.page, `${role} → ${label}`);
      }
      if (role === 'reviewer')
        assert.ok(!labels.includes('人员登记'), 'a reviewer does not register persons');
      if (role === 'clerk') assert.ok(!labels.includes('审计日志'), 'a clerk does not read the audit log');
      if (role === 'supervisor') assert.ok(labels.includes('审计日志'));
    }
    await shot(s.page, `pages-menu-${role}-zh`);
    assertNoErrors(s, role);
    await s.context.close();
  });
}

for (const role of ROLES) {
  test(`${role} (English, 390 px): the same menu in the drawer, no errors`, async () => {
    const s = await session(browser, role, 'en', 390);
    const count = menuCount.get(role) ?? 0;
    if (count === 0) {
      await s.page.getByText('No pages for your role yet').waitFor();
    } else {
      const labels = await menuLabels(s, 'en', true);
      assert.equal(labels.length, count, `${role}: ${labels.join(', ')}`);
      await assertNoRefusal(s.page, role);
    }
    await shot(s.page, `pages-menu-${role}-en-390`);
    assertNoErrors(s, role);
    await s.context.close();
  });
}

test('a page the role may not use says "no permission" instead of an empty page', async () => {
  const s = await session(browser, 'clerk', 'zh');
  await s.page.goto(`${BASE}/agency/audit`);
  await s.page.getByText('无权访问').waitFor();
  await shot(s.page, 'pages-menu-forbidden-zh');
  await s.context.close();
});

test('a wrong password shows one message, not also "session ended"', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${BASE}/login`);
  await page.getByLabel('用户名').fill('clerk');
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  const alert = page.getByRole('alert');
  await alert.first().waitFor();
  assert.equal(await alert.count(), 1);
  const text = await alert.innerText();
  assert.doesNotMatch(text, /失效|重新登录/);
  await context.close();
});
