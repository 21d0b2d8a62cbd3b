// The menu is decided by role: every item a role is shown opens without a refusal or a console
// error; a role is not shown what it may not use. The staff walk their menu on a 390 × 844 phone (a
// clerk on a home visit, a supervisor in a meeting), each page must fit it (e2e/phone-support.ts), and
// then see the same menu in English; the people's and employers' portals, whose pages mobile-portals
// walks on the phone, walk theirs at 1280 px and see it in English at 390 px.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  assertNoErrors,
  assertNoRefusal,
  headingsCut,
  menuLabels,
  menuLabelsCut,
  session,
} from './pages-support.ts';
import { assertFitsPhone, PHONE } from './phone-support.ts';
import { BASE, launch, newPage, settled, shot } from './support.ts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

const ROLES = [
  'citizen',
  'employer',
  'clerk',
  'reviewer',
  'supervisor',
  'admin',
  'policy',
  'hospital',
] as const;
const STAFF = new Set<string>(['clerk', 'reviewer', 'supervisor', 'admin', 'policy', 'hospital']);
const menuCount = new Map<string, number>();

/** Opens a page from the English drawer and checks it once its answers are in. */
async function openEnglish(page: Page, label: string, check: () => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: 'Open menu' }).click();
  await page.getByRole('menuitem', { name: label }).click();
  await page.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });
  await page.getByRole('heading', { level: 3, name: label }).waitFor();
  await settled(page);
  await check();
}

for (const role of ROLES) {
  const phone = STAFF.has(role);
  test(`${role} (中文, ${phone ? PHONE.width : 1280} px): every menu item opens without a refusal`, async () => {
    const s = await session(browser, role, 'zh', phone ? PHONE.width : 1280, { reducedMotion: true });
    const labels = await menuLabels(s, 'zh', phone);
    menuCount.set(role, labels.length);
    for (const label of labels) {
      const where = `${role} → ${label}`;
      if (phone) await s.page.getByRole('button', { name: '打开菜单' }).click();
      await s.page.getByRole('menuitem', { name: label }).click();
      if (phone) await s.page.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });
      await s.page.getByRole('heading', { level: 3 }).first().waitFor();
      await assertNoRefusal(s.page, where);
      if (phone) {
        await s.page.locator('#main .ant-spin-spinning').first().waitFor({ state: 'detached' });
        await assertFitsPhone(s.page, where);
      }
    }
    if (phone) {
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
    }
    if (role === 'reviewer') assert.ok(!labels.includes('人员登记'), 'a reviewer does not register persons');
    if (role === 'clerk') assert.ok(!labels.includes('审计日志'), 'a clerk does not read the audit log');
    if (role === 'supervisor') assert.ok(labels.includes('审计日志'));
    await shot(s.page, `pages-menu-${role}-zh`);
    assertNoErrors(s, role);
    await s.context.close();
  });
}

for (const role of ROLES.filter((r) => !STAFF.has(r))) {
  test(`${role} (English, 390 px): the same menu in the drawer, no errors`, async () => {
    const s = await session(browser, role, 'en', PHONE.width, { reducedMotion: true });
    const labels = await menuLabels(s, 'en', true);
    assert.equal(labels.length, menuCount.get(role), `${role}: ${labels.join(', ')}`);
    await assertNoRefusal(s.page, role);
    await shot(s.page, `pages-menu-${role}-en-390`);
    // and on a desktop, where the sider is narrower than the drawer ("Unemployment b…" was cut short)
    await s.page.setViewportSize({ width: 1280, height: 800 });
    await s.page.locator('.portal-sider').waitFor();
    assert.deepEqual(await menuLabelsCut(s.page), [], `${role}: English menu entries cut short`);
    // and the first page's table headings whole (the staff's "Monthly wage (yu" lost its unit)
    await s.page.locator('#main .ant-table-thead').first().waitFor();
    assert.deepEqual(await headingsCut(s.page), [], `${role}: English table headings cut short`);
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
