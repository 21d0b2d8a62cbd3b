// Every page of the staff's menu, for each staff role, in Chinese and in English at 1280 px in one
// session per role: no code shown for a word (codesShown), no table heading cut short (headingsCut),
// no English label on a Chinese page nor a Chinese one on an English page (englishLabels, chineseLabels);
// the same on the first record each list links to.
// mobile-portals walks the citizen's and employer's pages this way; the staff's had never been walked.
// Every finding of a role is gathered before the one assertion, so a run names them all.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  assertNoErrors,
  chineseLabels,
  codesShown,
  englishLabels,
  headingsCut,
  loaded,
  openFirstRecord,
  session,
  type Lang,
} from './pages-support.ts';
import { launch, shot } from './support.ts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

/** The receipts page's format hints name the amount's two columns on purpose. */
const COLUMNS = ['amount_fen', 'amount_yuan'];

async function findings(page: Page, lang: Lang, where: string): Promise<string[]> {
  const found = [
    ...(await codesShown(page, COLUMNS)).map((c) => `code ${c}`),
    ...(await headingsCut(page)).map((h) => `heading cut "${h}"`),
    ...(lang === 'en'
      ? (await chineseLabels(page)).map((l) => `Chinese "${l}"`)
      : (await englishLabels(page)).map((l) => `English "${l}"`)),
  ];
  return found.map((f) => `${where}: ${f}`);
}

/** The header's switch to the other language (it carries the language it switches to). */
const switchLanguage = (page: Page) => page.locator('.portal-header button[lang]').click();

/** The menu entries walked so far, in both languages: a page another role has walked is not walked again. */
const walked = new Set<string>();

/**
 * Each menu page not walked yet, and the first record its list links to, checked in the language it
 * opens in and then in the other one (switched in place: one load of each page's data for both
 * languages). The roles share most pages; the clerk, walked first, sees the most buttons on them.
 */
async function walk(page: Page, role: string): Promise<string[]> {
  const items = page.locator('.portal-sider').getByRole('menuitem');
  await items.first().waitFor();
  const count = await items.count();
  const found: string[] = [];
  let lang: Lang = 'zh';
  const both = async (where: string) => {
    found.push(...(await findings(page, lang, `${role} (${lang}) → ${where}`)));
    await switchLanguage(page);
    lang = lang === 'zh' ? 'en' : 'zh';
    found.push(...(await findings(page, lang, `${role} (${lang}) → ${where}`)));
  };
  for (let i = 0; i < count; i++) {
    const item = items.nth(i);
    const label = (await item.innerText()).trim();
    if (walked.has(label)) continue;
    await item.click();
    await loaded(page);
    const where = `${label} (${new URL(page.url()).pathname})`;
    await both(where);
    walked.add(label).add((await item.innerText()).trim());
    const record = await openFirstRecord(page);
    if (record) await both(`${where} → ${record}`);
  }
  return found;
}

for (const role of ['clerk', 'reviewer', 'supervisor', 'admin', 'policy']) {
  test(`${role} at 1280, 中文 then English: every menu page and its first record in the words of the page's language`, async () => {
    const s = await session(browser, role, 'zh', 1280, { reducedMotion: true });
    const found = await walk(s.page, role);
    await shot(s.page, `pages-staff-words-${role}-en`);
    assert.deepEqual(found, [], `${role}: ${found.length} findings`);
    assertNoErrors(s, role);
    await s.context.close();
  });
}
