// Logging in: a wrong password says so; each role lands in its own portal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { BASE, launch, login, newPage, shot } from './support.ts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

test('a wrong password shows the error and stays on the login page', async () => {
  const { context, page } = await newPage(browser);
  await login(page, 'clerk', 'not-the-password');
  await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
  assert.match(page.url(), /\/login$/);
  await shot(page, 'login-wrong-password');
  await context.close();
});

for (const [user, portal, heading, role] of [
  ['citizen', '/citizen', '我的参保', ''],
  ['employer', '/employer', '职工名册', '单位经办人'],
  ['clerk', '/agency/', '统计概览', '经办员'],
] as const) {
  test(`${user} logs in and lands in the ${portal} portal`, async () => {
    const { context, page } = await newPage(browser);
    await login(page, user);
    await page.getByRole('heading', { name: heading }).first().waitFor();
    assert.ok(new URL(page.url()).pathname.startsWith(portal), page.url());
    // The header names the person and, for a staff or company login, the role beside the name; the
    // role is not part of the name (基金监督员 杨萍 showed in the English header too).
    const name = await page.locator('.portal-username').innerText();
    const shown = await page.locator('.portal-role').allInnerTexts();
    assert.deepEqual(shown, role ? [role] : [], name);
    assert.equal(name.replace(role, '').trim().split(/\s+/).length, 1, `one name, no role in it: ${name}`);
    assert.ok(!/经办员|复核员|监督员|管理员/.test(name.replace(role, '')), name);
    await context.close();
  });
}

test('English switch translates the login page', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${BASE}/login`);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  await shot(page, 'login-en');
  await context.close();
});
