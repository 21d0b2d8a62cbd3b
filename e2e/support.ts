// Shared helpers for the browser journeys: Debian's Chromium through playwright-core, logins, screenshots.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type Request,
} from 'playwright-core';
import { addDays, addMonths } from '../src/core/dates.ts';
import { makeIdNumber } from '../src/core/ids.ts';

export const BASE = process.env['E2E_BASE_URL'] ?? 'http://localhost:8080';
export const PASSWORD = 'shebao-demo';
const SHOTS = new URL('./screenshots/', import.meta.url);
mkdirSync(SHOTS, { recursive: true });

/**
 * E2E_PROFILE_WAITS (set by scripts/e2e.mjs under E2E_PROFILE): a file this process appends the time
 * of each wait to when it ends, for scripts/e2e-profile.mjs to lay over each test's time.
 */
const WAITS = process.env['E2E_PROFILE_WAITS'];
const waits: { kind: string; start: number; end: number }[] = [];
if (WAITS)
  process.on('exit', () => appendFileSync(WAITS, waits.map((w) => `${JSON.stringify(w)}\n`).join('')));
function spent(kind: string, start: number, end = Date.now()): void {
  if (WAITS) waits.push({ kind, start, end });
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * A fresh context (own cookies) at a desktop or phone size, in Chinese. `reducedMotion`: the system asks
 * for no motion, so drawers and dialogs open at once — for the walks through every page (pages-menu,
 * mobile-portals), where the drawer's slide in and out took most of each page's time; the journeys
 * keep the motion every other user sees.
 */
export async function newPage(
  browser: Browser,
  width = 1280,
  height = 800,
  { reducedMotion = false }: { reducedMotion?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width, height },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    deviceScaleFactor: 1,
    reducedMotion: reducedMotion ? 'reduce' : 'no-preference',
    ...(width < 600 ? { isMobile: true, hasTouch: true } : {}),
  });
  context.setDefaultTimeout(20_000);
  track(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`[browser error] ${e.message}\n`));
  if (WAITS) {
    const wait = page.waitForTimeout.bind(page);
    page.waitForTimeout = async (ms) => {
      const start = Date.now();
      await wait(ms);
      spent('waitForTimeout', start);
    };
  }
  return { context, page };
}

export async function login(page: Page, username: string, password = PASSWORD): Promise<void> {
  spent('login', Date.now());
  await page.goto(`${BASE}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Each page's requests in flight, and a count of every start and end (settled sees whether any came). */
const traffic = new WeakMap<Page, { open: Set<Request>; seen: number }>();

function track(context: BrowserContext): void {
  const of = (r: Request) => {
    const page = r.frame().page();
    let t = traffic.get(page);
    if (!t) traffic.set(page, (t = { open: new Set(), seen: 0 }));
    t.seen++;
    return t;
  };
  context.on('request', (r) => of(r).open.add(r));
  if (WAITS) {
    // a document (a goto, a reload) until its page's load event; the bundle's scripts and each login, counted
    const started = new WeakMap<Page, number>();
    context.on('request', (r) => {
      const page = r.frame().page();
      if (r.isNavigationRequest() && r.frame() === page.mainFrame()) started.set(page, Date.now());
      if (r.resourceType() === 'script') spent('script', Date.now());
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/auth/login')) spent('login-request', Date.now());
    });
    context.on('page', (page) =>
      page.on('load', () => {
        const start = started.get(page);
        if (start !== undefined) spent('load', start);
      }),
    );
  }
  context.on('requestfinished', (r) => of(r).open.delete(r));
  context.on('requestfailed', (r) => of(r).open.delete(r));
}

/**
 * Waits until the page has no request in flight and, once its renderer has done what it had to do
 * (requestIdleCallback: the answers are drawn, and what the drawing fetches has started), still none has
 * started or ended: its data has come, and so has what it fetches because of that data (a query that
 * waits for another starts as soon as the first answer is drawn). Not Playwright's networkidle: that
 * fires once per document, so after the first page of the single-page app it returned at once, before
 * the page's answers came (the walks checked for a refusal the page had not yet received). Not a quiet
 * window of fixed length either: 150 ms after every call, even on a page quiet for seconds, was about a
 * tenth of the walks' time.
 */
export async function settled(page: Page): Promise<void> {
  const from = Date.now();
  const until = from + 20_000;
  for (;;) {
    const open = traffic.get(page)?.open.size ?? 0;
    if (open === 0) {
      const seen = traffic.get(page)?.seen ?? 0;
      // a navigation under way destroys the page's context: not idle, look again
      const idle = await page
        .evaluate(() => new Promise<boolean>((r) => requestIdleCallback(() => r(true), { timeout: 1000 })))
        .catch(() => false);
      if (idle && (traffic.get(page)?.open.size ?? 0) === 0 && (traffic.get(page)?.seen ?? 0) === seen) {
        spent('settled', from);
        return;
      }
    } else await new Promise((r) => setTimeout(r, 25));
    if (Date.now() > until) throw new Error(`${page.url()}: ${open} requests still open after 20 s`);
  }
}

export async function shot(page: Page, name: string): Promise<void> {
  // Let the data, fonts and charts settle so the picture shows what a person sees (a chart draws itself
  // in over a moment; a page without one has nothing to wait for once its data has come).
  const begun = Date.now();
  await settled(page);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  if ((await page.locator('canvas').count()) > 0) await page.waitForTimeout(300);
  const path = new URL(`${name}.png`, SHOTS).pathname;
  // The picture is for a person to look at, not an assertion: one Chromium did not draw within the
  // timeout (seen once right after a viewport change, CI of cad6150) is asked for once more.
  const start = Date.now();
  await page.screenshot({ path, fullPage: false }).catch(async () => {
    spent('shot-failed', start);
    await page.screenshot({ path, fullPage: false, timeout: 40_000 });
  });
  spent('screenshot', start);
  spent('shot', begun);
}

/**
 * The headers of the tables on the page that a reader has to scroll sideways to see, each with how
 * many pixels are hidden: a column (合计, an action) cut at the card's edge reads as missing. With
 * `scope`, only the tables inside it (an open dialog's).
 */
export async function tablesCut(page: Page, scope?: string): Promise<string[]> {
  return page
    .locator(
      scope ? `${scope} :is(.ant-table-content, .ant-table-body)` : '.ant-table-content, .ant-table-body',
    )
    .evaluateAll((els) =>
      els
        .filter((e) => e.scrollWidth > e.clientWidth + 1)
        .map(
          (e) => `${e.querySelector('tr')?.textContent ?? ''} (${e.scrollWidth - e.clientWidth}px hidden)`,
        ),
    );
}

/** The months and days in the page's tables broken across two lines ("2026年12 / 月5日"). */
export async function datesBroken(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(
      document.querySelector('#main') ?? document.body,
      NodeFilter.SHOW_TEXT,
    );
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.parentElement?.closest('.ant-table-tbody')) continue;
      for (const m of (n.textContent ?? '').matchAll(/\d{4}年\d{1,2}月(\d{1,2}日)?/g)) {
        const range = document.createRange();
        range.setStart(n, m.index);
        range.setEnd(n, m.index + m[0].length);
        if (range.getClientRects().length > 1) broken.push(m[0]);
      }
    }
    return broken;
  });
}

/**
 * A valid resident ID number that nothing else in the run holds. Its region code is 341801 (宣城市市辖区),
 * which neither the demo city nor its planted cases use in ID numbers, so it cannot meet a demo
 * person; the birth date (1990–1993) and sequence walk one slot per millisecond of the clock, so two
 * calls in one run (24 minutes of slots) cannot meet each other either.
 */
let lastSlot = -1;
export function freshIdNumber(): string {
  const slots = 1461 * 1000; // days from 1990-01-01 to 1993-12-31, times sequences 000–999
  lastSlot = Math.max(Date.now() % slots, (lastSlot + 1) % slots);
  const day = new Date(Date.UTC(1990, 0, 1) + Math.floor(lastSlot / 1000) * 86_400_000);
  return makeIdNumber('341801', day.toISOString().slice(0, 10), lastSlot % 1000);
}

/** The same number with a wrong check character. */
export function badIdNumber(good: string): string {
  const last = good.slice(-1);
  return good.slice(0, 17) + (last === '0' ? '1' : '0');
}

/** Logs in through the API (for setting up data) and answers a fetch that sends the CSRF header. */
export async function apiAs(
  username: string,
): Promise<(method: string, path: string, body?: unknown) => Promise<unknown>> {
  const r = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return async (method, path, body) => {
    const res = await fetch(`${BASE}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const data: unknown = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
    return data;
  };
}

/**
 * Refreshes the page (`refresh`: a reload, a click on ↻; nothing to wait for a page that updates itself)
 * every quarter second until `ready`, for up to `ms`: for what another process does in the background
 * (another province over the broker). It only waits; the caller then asserts the
 * thing itself, which fails with its name if it never came. (A second between refreshes cost up to a
 * second per wait for nothing: the refresh is what the user does, the interval is only the test's.)
 */
export async function pollUntil(
  page: Page,
  ready: () => Promise<boolean>,
  refresh: () => Promise<unknown> = async () => undefined,
  ms = 30_000,
): Promise<void> {
  const start = Date.now();
  const until = start + ms;
  while (!(await ready()) && Date.now() < until) {
    await page.waitForTimeout(250);
    await refresh();
  }
  spent('pollUntil', start);
}

/**
 * The message centre's message that says `text`, once it has come: the hall's event consumer sends it
 * from the server's background within a pass or two (2 s each). Asks the messages API (what the page
 * reads) four times a second, for up to a minute, until the message is there; then reloads the page once
 * if it does not show it yet. (It reloaded the page every quarter second: the browser started the app
 * anew each time, on the cores the consumer needed, and after 30 s waited without reloading.)
 */
export async function untilMessage(page: Page, text: string): Promise<Locator> {
  const start = Date.now();
  const until = start + 60_000;
  const sent = async () => {
    const r = await page.request.get(`${BASE}/api/v1/messages?pageSize=20`);
    assert.equal(r.status(), 200, `the messages API: ${await r.text()}`);
    const { items } = (await r.json()) as { items: { titleZh: string; bodyZh: string }[] };
    return items.some((m) => m.titleZh.includes(text) || m.bodyZh.includes(text));
  };
  while (!(await sent()) && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
  spent('untilMessage', start);
  const message = page.getByTestId('message').filter({ hasText: text }).first();
  if (!(await message.isVisible())) {
    await page.reload();
    await page.getByRole('heading', { name: /消息中心/ }).waitFor();
  }
  await message.waitFor();
  return message;
}

/** A form's submit button sits level with the field before it, not alone on a line of its own. */
export async function levelWith(page: Page, button: string, field: string): Promise<void> {
  const [b, f] = await Promise.all([
    page.getByTestId(button).boundingBox(),
    page.getByTestId(field).boundingBox(),
  ]);
  assert.ok(b && f, `${button} and ${field} shown`);
  assert.ok(
    Math.abs(b.y + b.height - (f.y + f.height)) < 4,
    `${button} on the line of ${field}: ${JSON.stringify([b, f])}`,
  );
}

/** The agency's today as the page's session gives it (the server's, not this runner's or the browser's clock). */
export async function agencyToday(page: Page): Promise<string> {
  const r = await page.request.get(`${BASE}/api/v1/auth/me`);
  assert.equal(r.status(), 200, 'a session');
  return ((await r.json()) as { today: string }).today;
}

/**
 * The date picker `field` offers the agency's today and refuses the day after it (a day the server
 * would refuse: an employment's end, a death, a visit not yet made); with `month`, a month picker offers
 * this month and refuses the next. By the server's today, whatever the browser's clock says. Opens its
 * calendar and closes it.
 */
export async function futureRefused(page: Page, field: Locator, where: string, month = false): Promise<void> {
  const day = await agencyToday(page);
  // the open calendar (a closed one stays in the document, hidden); its cells' titles are ISO days or months
  const open = page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)');
  const cell = (title: string) => open.locator(`td[title="${title}"]`);
  const disabled = (title: string) =>
    cell(title).evaluate((td) => td.classList.contains('ant-picker-cell-disabled'));
  const now = month ? day.slice(0, 7) : day;
  const next = month ? addMonths(`${now}-01`, 1).slice(0, 7) : addDays(now, 1);
  // A dialog still opening takes the focus when its animation ends, which closes a calendar opened
  // before (CI, once: the calendar never showed today); click again then. Three tries, then say what shows.
  for (let attempt = 1; ; attempt++) {
    await field.click();
    try {
      await cell(now).waitFor({ timeout: 5_000 });
      break;
    } catch {
      if (attempt < 3) continue;
      const headers = await open.locator('.ant-picker-header-view').allInnerTexts();
      throw new Error(
        `${where}: no cell ${now} after three clicks; open calendars: ${headers.length} [${headers.join(' | ')}]; the field reads "${await field.inputValue().catch(() => '?')}"`,
      );
    }
  }
  assert.equal(await disabled(now), false, `${where}: ${now} is offered`);
  // December's next month is on next year's panel (a day's panel shows the next month's first days)
  if ((await cell(next).count()) === 0)
    await page
      .locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden) .ant-picker-header-super-next-btn')
      .click();
  assert.equal(await disabled(next), true, `${where}: ${next} is refused`);
  await page.keyboard.press('Escape');
}
