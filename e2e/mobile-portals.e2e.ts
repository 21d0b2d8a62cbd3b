// Every page of the drawer, on a 390 × 844 phone, for each kind of person who uses Shebao on one:
// each page fits the phone (e2e/phone-support.ts: nothing runs off sideways, no "left" or "right" a
// stacked layout does not have, every control big enough to tap), the e-card's QR code is whole on the
// first screen, and each page's main button is on the screen and can be pressed. Then, in the same
// session, every page of the sider in English at 1280 px, its entries whole. On every page, and on the
// first record a list links to (an application, an injury case, a visit), no code is shown for a word
// (codesShown), no refusal, and no console error the user did not cause; the English drawer offers as
// many entries as the Chinese one. (pages-menu walked the citizen's and employer's menus again, at 1280
// in Chinese and 390 in English, for the refusals, the errors and the entries: those checks are here.)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  assertNoRefusal,
  chineseLabels,
  codesShown,
  errorsOf,
  headingsCut,
  loaded,
  menuLabelsCut,
  openFirstRecord,
} from './pages-support.ts';
import { assertFitsPhone, PHONE, recordChartWords } from './phone-support.ts';
import { login, newPage, launch, settled, shot } from './support.ts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

const { width: WIDTH, height: HEIGHT } = PHONE;
/** Each person's entries in the Chinese drawer, which their English one must match. */
const menuCount = new Map<string, number>();

/** The page's main button by path: shown, inside the screen's width and enabled. */
const KEY_BUTTON: Record<string, string> = {
  '/citizen/pension': '测算',
  '/citizen/applications': '提交申请',
  '/citizen/home-service': '提交预约',
  '/employer': '增员',
  '/employer/applications': '提交申请',
};

/** A button's name as AntD renders it: two Chinese characters get a space (刷 新), an icon its name before. */
const buttonName = (text: string) => new RegExp(`${[...text].join('\\s?')}$`);

/** antd's own empty text ("No data", "暂无数据"): a list that says neither what it is nor what to do. */
async function bareEmpty(page: Page): Promise<number> {
  return page
    .locator('#main .ant-empty-description')
    .getByText(/^(No data|暂无数据)$/)
    .count();
}

/** The texts of a table column by its heading (a desk's table) or its label (a phone's cards). */
async function columnTexts(page: Page, heading: string): Promise<string[]> {
  return page.locator('#main table').evaluateAll(
    (tables, h) =>
      tables.flatMap((table) => {
        const labelled = Array.from(table.querySelectorAll(`td[data-label="${h}"]`));
        if (labelled.length > 0) return labelled.map((td) => (td.textContent ?? '').trim());
        const i = Array.from(table.querySelectorAll('thead th')).findIndex(
          (th) => th.textContent?.trim() === h,
        );
        if (i < 0) return [];
        return Array.from(table.querySelectorAll('tbody tr.ant-table-row')).map((tr) =>
          (tr.children[i]?.textContent ?? '').trim(),
        );
      }),
    heading,
  );
}

async function checkPage(page: Page, where: string, path: string): Promise<void> {
  await assertFitsPhone(page, where);
  assert.deepEqual(await codesShown(page), [], `${where}: codes shown`);
  assert.equal(await bareEmpty(page), 0, `${where}: antd's bare empty text`);
  if (path === '/citizen/access-log') {
    // the server's own reasons in Chinese ("employment 12 ended (involuntary)" stood on this page)
    const english = (await columnTexts(page, '事由')).filter((r) => /[a-z]{3,}/i.test(r));
    assert.deepEqual(english, [], `${where}: reasons in English`);
  }
  const key = KEY_BUTTON[path];
  if (key) {
    const button = page.locator('#main').getByRole('button', { name: buttonName(key) });
    const box = await button.boundingBox();
    assert.ok(
      box && box.x >= 0 && box.x + box.width <= WIDTH,
      `${where}: ${key} on the screen: ${JSON.stringify(box)}`,
    );
    assert.ok(box.height >= 24, `${where}: ${key} tall enough to tap`);
    assert.ok(await button.isEnabled(), `${where}: ${key} enabled`);
  }
  if (path === '/citizen/messages') {
    // a pager only when there is a second page to go to (it stood under an empty list)
    const shown = await page.getByTestId('message').count();
    if (shown < 20)
      assert.equal(
        await page.locator('#main .ant-pagination').count(),
        0,
        `${where}: a pager over ${shown} messages`,
      );
  }
  if (path === '/citizen/applications' || path === '/employer/applications') {
    // the same for the applications: a pager of one page ("< 1 >") stood under a single application
    const shown = await page.locator('#main .ant-table-row').count();
    if (shown < 20)
      assert.equal(
        await page.locator('#main .ant-pagination').count(),
        0,
        `${where}: a pager over ${shown} applications`,
      );
  }
  if (path === '/citizen/contributions') {
    // an empty record tells a flexible worker (no employer) how months get there too
    const empty = page.getByText('暂无缴费记录');
    if ((await empty.count()) > 0) await page.getByText(/以灵活就业人员身份缴费后/).waitFor();
  }
  const status = page.getByTestId('card-status');
  if (path === '/citizen/card' && (await status.count()) > 0 && (await status.innerText()) === '已启用') {
    // the first screen, before any scrolling: the whole code, not its top half
    const qr = page.getByTestId('ecard-qr');
    await qr.waitFor();
    const bottom = await qr.evaluate((img) => img.getBoundingClientRect().bottom + window.scrollY);
    assert.ok(
      bottom <= HEIGHT,
      `${where}: the e-card QR code ends at ${bottom}px, below the ${HEIGHT}px screen`,
    );
    assert.ok(
      await page.getByRole('button', { name: buttonName('刷新') }).isEnabled(),
      `${where}: 刷新 enabled`,
    );
  }
}

// The English UI too, for a citizen and an employer: longer words than the Chinese ones the layouts were
// drawn with (the main-button checks name the Chinese buttons; the fit is checked the same).
const WALKS = [
  ...['citizen', 'jobless', 'retiree', 'injured', 'resident', 'flexible', 'employer'].map((user) => ({
    user,
    en: false,
  })),
  { user: 'citizen', en: true },
  { user: 'employer', en: true },
];

for (const { user, en } of WALKS) {
  test(`${user}${en ? ' (English)' : ''} at 390 × 844: every page of the drawer fits the phone${en ? '' : ', then each in English at 1280'}; no code shown`, async () => {
    const { context, page } = await newPage(browser, WIDTH, HEIGHT, { reducedMotion: true });
    const errors = errorsOf(page);
    // the charts' words too: the record's legend of three schemes ran over its years in English
    await recordChartWords(context);
    await login(page, user);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    if (en) {
      await page.evaluate("localStorage.setItem('shebao.lang', 'en')");
      await page.reload();
      // the page says it is English (it said zh-CN: a Chinese voice, and ’ set full width by the CJK font)
      await page.getByRole('button', { name: 'Open menu' }).waitFor();
      assert.equal(await page.evaluate('document.documentElement.lang'), 'en');
      // and draws ’ as English type does, not a full-width Chinese mark ("agency’ s")
      const quote = await page.locator('#main').evaluate((main) => {
        const probe = document.createElement('span');
        probe.textContent = '’';
        main.append(probe);
        const ratio = probe.getBoundingClientRect().width / parseFloat(getComputedStyle(probe).fontSize);
        probe.remove();
        return ratio;
      });
      assert.ok(quote < 0.5, `’ is ${quote.toFixed(2)} em wide in English`);
    }
    const open = page.getByRole('button', { name: en ? 'Open menu' : '打开菜单' });
    await open.click();
    const count = await page.getByRole('menuitem').count();
    assert.ok(count > 0, `${user}: a menu`);
    if (en) assert.equal(count, menuCount.get(user), `${user}: entries in English and in Chinese`);
    else menuCount.set(user, count);
    await page.locator('.ant-drawer-close').click();
    for (let i = 0; i < count; i++) {
      await open.click();
      const item = page.getByRole('menuitem').nth(i);
      const label = (await item.innerText()).trim();
      await item.click();
      await page.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });
      await loaded(page);
      const path = new URL(page.url()).pathname;
      const where = `${user}${en ? ' (en)' : ''} → ${label} (${path})`;
      await assertNoRefusal(page, where);
      if (en) {
        await assertFitsPhone(page, where);
        assert.deepEqual(await codesShown(page), [], `${where}: codes shown`);
      } else await checkPage(page, where, path);
      const record = await openFirstRecord(page);
      if (record) {
        await assertFitsPhone(page, `${where} → ${record}`);
        assert.deepEqual(await codesShown(page), [], `${where} → ${record}: codes shown`);
      }
    }
    await shot(page, `mobile-portals-${user}${en ? '-en' : ''}`);
    if (!en) await englishAtDesk(page, user);
    assert.deepEqual(errors, [], `${user}${en ? ' (en)' : ''}: console errors`);
    await context.close();
  });
}

/**
 * The same pages in English at 1280 px, in the same session (a second login per person cost more than
 * it showed): each page of the sider, and the first record a list links to, shows no code, no Chinese
 * label (chineseLabels) and no table heading cut short.
 */
async function englishAtDesk(page: Page, user: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('button', { name: 'English' }).click();
  const items = page.locator('.portal-sider').getByRole('menuitem');
  await items.first().waitFor();
  // a citizen's entries with a condition are offered once their situation has come (PortalLayout)
  await settled(page);
  // entries whole: the sider is narrower than the drawer ("Unemployment b…" was cut short)
  assert.deepEqual(await menuLabelsCut(page), [], `${user}: English menu entries cut short`);
  const count = await items.count();
  const check = async (where: string) => {
    assert.deepEqual(await codesShown(page), [], `${where}: codes shown`);
    assert.deepEqual(await chineseLabels(page), [], `${where}: Chinese labels`);
    assert.deepEqual(await headingsCut(page), [], `${where}: table headings cut`);
    assert.equal(await bareEmpty(page), 0, `${where}: antd's bare empty text`);
    const path = new URL(page.url()).pathname;
    if (path === '/citizen/skill-subsidy') {
      const chinese = (await columnTexts(page, 'Occupation')).filter((o) => /[\u4e00-\u9fff]/.test(o));
      assert.deepEqual(chinese, [], `${where}: occupations in Chinese`);
    }
    if (path === '/citizen/contributions') {
      // the yearly table fits the screen (it scrolled 230 px sideways at 1280)
      const over = await page
        .locator('#main .ant-table-content, #main .ant-table-body')
        .evaluateAll((els) => els.map((e) => e.scrollWidth - e.clientWidth));
      assert.ok(
        over.every((px) => px <= 1),
        `${where}: a table scrolls sideways by ${over.join(', ')} px`,
      );
    }
  };
  for (let i = 0; i < count; i++) {
    const item = items.nth(i);
    const label = (await item.innerText()).trim();
    await item.click();
    await loaded(page);
    const where = `${user} (en, 1280) → ${label} (${new URL(page.url()).pathname})`;
    await check(where);
    const record = await openFirstRecord(page);
    if (record) await check(`${where} → ${record}`);
  }
  await shot(page, `mobile-portals-${user}-en-1280`);
}
