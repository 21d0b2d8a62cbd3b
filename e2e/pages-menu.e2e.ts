// The menu is decided by role: every item a role is shown opens without a refusal or a console
// error; a role is not shown what it may not use. The staff walk their menu on a 390 × 844 phone (a
// clerk on a home visit, a supervisor in a meeting), each page must fit it (e2e/phone-support.ts), and
// then see the same menu in English. The people's and employers' menus are walked, with the same
// checks, by mobile-portals, which opens each of their pages anyway (here they cost a second walk).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertNoErrors, assertNoRefusal, menuLabels, menuLabelsCut, session } from './pages-support.ts';
import { assertFitsPhone, PHONE } from './phone-support.ts';
import { BASE, launch, newPage, settled, shot } from './support.ts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

const STAFF = ['clerk', 'reviewer', 'supervisor', 'admin', 'policy', 'hospital'] as const;

/** Opens a page from the English drawer and checks it once its answers are in. */
async function openEnglish(page: Page, label: string, check: () => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: 'Open menu' }).click();
  await page.getByRole('menuitem', { name: label }).click();
  await page.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });
  await page.getByRole('heading', { level: 3, name: label }).waitFor();
  await settled(page);
  await check();
}

for (const role of STAFF) {
  test(`${role} (中文, ${PHONE.width} px): every menu item opens without a refusal`, async () => {
    const s = await session(browser, role, 'zh', PHONE.width, { reducedMotion: true });
    const labels = await menuLabels(s, 'zh', true);
    for (const label of labels) {
      const where = `${role} → ${label}`;
      await s.page.getByRole('button', { name: '打开菜单' }).click();
      await s.page.getByRole('menuitem', { name: label }).click();
      await s.page.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });
      await s.page.getByRole('heading', { level: 3 }).first().waitFor();
      await assertNoRefusal(s.page, where);
      await s.page.locator('#main .ant-spin-spinning').first().waitFor({ state: 'detached' });
      await assertFitsPhone(s.page, where);
    }
    // the same menu in English, in the same session (a second login per role cost more than it showed)
    await s.page.getByRole('button', { name: 'English' }).click();
    await s.page.getByRole('button', { name: 'Open menu' }).click();
    assert.deepEqual(await menuLabelsCut(s.page), [], `${role}: English menu entries cut short`);
    await s.page.keyboard.press('Escape');
    const english = await menuLabels(s, 'en', true);
    assert.equal(english.length, labels.length, `${role}: ${english.join(', ')}`);
    assert.ok(!english.some((l) => /[\u4e00-\u9fff]/.test(l)), `${role}: ${english.join(', ')}`);
    // the English words are longer: the person search's "Resident ID number" and its box ran the
    // page 10 px off the phone
    if (role === 'clerk') await openEnglish(s.page, 'Find a person', () => assertFitsPhone(s.page, 'en'));
    if (role === 'reviewer') assert.ok(!labels.includes('人员登记'), 'a reviewer does not register persons');
    if (role === 'clerk') assert.ok(!labels.includes('审计日志'), 'a clerk does not read the audit log');
    if (role === 'supervisor') assert.ok(labels.includes('审计日志'));
    await shot(s.page, `pages-menu-${role}-zh`);
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
