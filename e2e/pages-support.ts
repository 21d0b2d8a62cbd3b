// Helpers for the pages-* journeys: log in in either language, collect the console errors the user
// did not cause, and walk the menu.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BASE, newPage, PASSWORD, settled } from './support.ts';

export type Lang = 'zh' | 'en';

export interface Session {
  context: BrowserContext;
  page: Page;
  /** console errors and uncaught exceptions so far */
  errors: string[];
}

/** The console errors, uncaught exceptions and failed answers of `page` from now on, as they come. */
export function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  // Failed requests are recorded by address (the console line does not say which); the one
  // expected failure is the session probe before logging in.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.status() >= 400 && !(r.status() === 401 && path === '/api/v1/auth/me'))
      errors.push(`${r.status()} ${r.request().method()} ${path}`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** A fresh context at this width, logged in as `user` with the page in `lang` (newPage: reducedMotion). */
export async function session(
  browser: Browser,
  user: string,
  lang: Lang,
  width = 1280,
  motion: { reducedMotion?: boolean } = {},
): Promise<Session> {
  const { context, page } = await newPage(browser, width, width < 600 ? 844 : 800, motion);
  const errors = errorsOf(page);
  await page.goto(`${BASE}/login`);
  if (lang === 'en') await page.getByRole('button', { name: 'English' }).click();
  await page.getByLabel(lang === 'en' ? 'Username' : '用户名').fill(user);
  await page.getByLabel(lang === 'en' ? 'Password' : '密码').fill(PASSWORD);
  await page.getByRole('button', { name: lang === 'en' ? 'Log in' : '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return { context, page, errors };
}

/**
 * One logged-in session per user and kind of screen (desk or phone) for a whole journey file: a login
 * (a fresh context, the login page, the password's hash, the landing page's answers) cost 2–4 s, and
 * most files logged in once per test. `open` answers the session with its page at `path` in `lang` and
 * at `width`, its console errors so far cleared; `close` ends them all (the file's `after`).
 */
export function sessions(browser: () => Browser): {
  open: (user: string, lang: Lang, width: number, path: string) => Promise<Session>;
  close: () => Promise<void>;
} {
  // a phone's context (touch, mobile viewport) cannot become a desk's: one of each a user needs
  const open = new Map<string, Promise<Session>>();
  return {
    async open(user, lang, width, path) {
      const key = `${user} ${width < 600 ? 'phone' : 'desk'}`;
      let made = open.get(key);
      if (!made) open.set(key, (made = session(browser(), user, lang, width)));
      const s = await made;
      await s.page.setViewportSize({ width, height: width < 600 ? 844 : 800 });
      // the language the app reads as it loads (src/i18n): the page below is drawn in it
      await s.page.evaluate((l) => localStorage.setItem('shebao.lang', l), lang);
      s.errors.length = 0;
      await s.page.goto(`${BASE}${path}`);
      return s;
    },
    async close() {
      for (const made of open.values()) await (await made).context.close();
      open.clear();
    },
  };
}

/** The labels of the menu (opening the drawer on a phone). */
export async function menuLabels(s: Session, lang: Lang, narrow: boolean): Promise<string[]> {
  if (narrow) await s.page.getByRole('button', { name: lang === 'en' ? 'Open menu' : '打开菜单' }).click();
  const items = s.page.getByRole('menuitem');
  await items.first().waitFor();
  // a citizen's entries with a condition are offered once their situation has come (PortalLayout)
  await settled(s.page);
  const labels = (await items.allInnerTexts()).map((l) => l.trim());
  if (narrow) await s.page.keyboard.press('Escape');
  return labels;
}

/**
 * Table headings cut at their cell's edge ("Monthly wage (yu"); not a fixed column's, which antd sizes
 * from a measurement it repeats after the window is resized.
 */
export function headingsCut(page: Page): Promise<string[]> {
  return page
    .locator('#main .ant-table-thead th:not(.ant-table-cell-fix-start)')
    .evaluateAll((ths) =>
      ths.filter((th) => th.scrollWidth > th.clientWidth + 1).map((th) => th.textContent ?? ''),
    );
}

/** Menu entries cut short ("Unemployment b…") in the sider or the open drawer. */
export function menuLabelsCut(page: Page): Promise<string[]> {
  return page
    .locator('.ant-menu-title-content')
    .evaluateAll((els) =>
      els
        .filter((e) => (e as HTMLElement).offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
        .map((e) => e.textContent ?? ''),
    );
}

/**
 * Numbers, sums and dates in the page's description lists broken across two lines ("15170147 / 825",
 * "¥8,65 / 5.54", "26 Jun / 1988"): a phone number or an amount is read whole.
 */
export function figuresBroken(page: Page): Promise<string[]> {
  return page.locator('#main .ant-descriptions-item-content').evaluateAll((cells) => {
    const broken: string[] = [];
    for (const cell of cells) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        for (const m of (n.textContent ?? '').matchAll(
          /¥[\d,]+\.\d{2}|\d{6,}|\d{1,2} [A-Z][a-z]{2} \d{4}/g,
        )) {
          const range = document.createRange();
          range.setStart(n, m.index);
          range.setEnd(n, m.index + m[0].length);
          if (range.getClientRects().length > 1) broken.push(m[0]);
        }
      }
    }
    return broken;
  });
}

export function assertNoErrors(s: Session, where: string): void {
  assert.deepEqual(s.errors, [], `${where}: console errors`);
}

/** No "no permission" notice and no red error on the page. */
export async function assertNoRefusal(page: Page, where: string): Promise<void> {
  // every answer in: a refused one shows its notice (networkidle returned before the answers came)
  await settled(page);
  const refused = await page.getByText(/无权|No permission|may not/).count();
  assert.equal(refused, 0, `${where}: a refusal is shown`);
}

export async function noSidewaysOverflow(page: Page, where: string): Promise<void> {
  // The layout width, not innerWidth: on a phone the browser widens innerWidth to take in what overflows,
  // so a check against it cannot fail there.
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width + 1, `${where}: page is ${scroll}px wide in a ${width}px window`);
}

/**
 * Codes the page's main area shows as words: a snake_case code (an enum value, a table's name, a file's
 * column), an ISO timestamp, "undefined", "NaN", "[object Object]". Not a CSV sample (pre, code), an
 * email or a path (a code inside one is part of it), a bank reference or an ID (upper case, digits), nor
 * the words in `allowed` (a file's column a format hint names on purpose, amount_fen).
 */
export async function codesShown(page: Page, allowed: readonly string[] = []): Promise<string[]> {
  await settled(page);
  return page.evaluate(
    ({ allowed, patterns }) => {
      const found: string[] = [];
      const walker = document.createTreeWalker(
        document.querySelector('#main') ?? document.body,
        NodeFilter.SHOW_TEXT,
      );
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || el.closest('pre, code') || !el.checkVisibility()) continue;
        for (const p of patterns)
          for (const m of (n.textContent ?? '').matchAll(new RegExp(p, 'g')))
            if (!allowed.includes(m[0])) found.push(`${m[0]} in "${(n.textContent ?? '').trim()}"`);
      }
      return found;
    },
    {
      allowed,
      patterns: [
        /(?<![\w@./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])/.source,
        /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.source,
        /\bundefined\b|\bNaN\b|\[object Object\]/.source,
      ],
    },
  );
}

/**
 * Chinese among the words an English page says itself: its headings, the tables' column titles, the
 * labels of fields and description lists, the card titles, buttons, tags, notices and empty states.
 * The data in a cell or a description (a person's or a company's name, an address, a note) is as it was
 * written and is not looked at, nor data the page marks translate="no" where it stands in a heading, a
 * label or a button (the person's name over their page, a company's name that opens its refund), nor a
 * file's header or a seed set as code (pre, code).
 */
export function chineseLabels(page: Page): Promise<string[]> {
  return labelsSaying(page, /[\u4e00-\u9fff]/.source);
}

/**
 * English words among the words a Chinese page says itself, in the same places as chineseLabels: a
 * word in lower case or capitalised ("Note", "pending"), not an abbreviation (CSV, UTF-8, ID).
 */
export function englishLabels(page: Page): Promise<string[]> {
  return labelsSaying(page, /\b[A-Z]?[a-z]{2,}\b/.source);
}

function labelsSaying(page: Page, pattern: string): Promise<string[]> {
  return page
    .locator(
      [
        'h1, h2, h3, h4, h5',
        '.ant-table-thead th',
        '.ant-form-item-label',
        '.ant-descriptions-item-label',
        '.ant-card-head-title',
        'button',
        '.ant-tag',
        '.ant-alert-message, .ant-alert-title, .ant-alert-description',
        '.ant-empty-description',
        '.ant-statistic-title',
        '.ant-collapse-header',
        '.ant-tabs-tab',
      ]
        .map((s) => `#main :is(${s})`)
        .join(', '),
    )
    .evaluateAll(
      (els, pattern) =>
        els
          .filter((e) => {
            if (!e.checkVisibility()) return false;
            const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode())
              if (
                !n.parentElement?.closest('[translate="no"], pre, code') &&
                new RegExp(pattern).test(n.textContent ?? '')
              )
                return true;
            return false;
          })
          .map((e) => (e.textContent ?? '').trim().slice(0, 80)),
      pattern,
    );
}

/** The page's heading drawn and its answers in (a lazy page's code, then its data). */
export async function loaded(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 3 }).first().waitFor();
  await settled(page);
  await page.locator('#main .ant-spin-spinning').first().waitFor({ state: 'detached' });
}

/**
 * Opens the first record the list page links to (/citizen/applications/7 from /citizen/applications,
 * /agency/supervision/cases/4 from /agency/supervision/cases) and answers where it went, or null when
 * the list links to none.
 */
export async function openFirstRecord(page: Page): Promise<string | null> {
  const path = new URL(page.url()).pathname;
  const links = page.locator(`#main a[href^="${path}/"]`);
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  const first = hrefs.findIndex((h) => /^\/[a-z-]+(\/[a-z-]+)*\/\d+$/.test(h));
  if (first < 0) return null;
  await links.nth(first).click();
  await page.waitForURL((u) => u.pathname === hrefs[first]);
  await loaded(page);
  return hrefs[first] ?? null;
}
