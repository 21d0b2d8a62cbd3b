// 跨省通办 in the browser (issue 16 item 5): the citizen at Jiangsu asks for the record statement of
// their years in Anhui; Anhui decides from its own record and answers; the citizen sees 已办结 with the
// masked statement, and the application in the service hall's 我的办件; the clerks of both sides see it.
//
// Two real province nodes (each its own embedded database and federation demo population, what
// `federation up` starts) and the real broker, as in federation.e2e.ts; no national exchange: 跨省通办
// goes from province to province (the nodes' index updates wait in the stream unread).
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { NATIONAL } from '../src/federation/fed.messaging.ts';
import { NEW, OLD, startFederation, type Federation } from './federation-support.ts';
import { assertFitsPhone, PHONE, recordChartWords } from './phone-support.ts';
import { launch, levelWith, newPage, PASSWORD, pollUntil, shot } from './support.ts';

const HOLDS = OLD; // Anhui: the citizen's 2016–2020 segment
const HERE = NEW; // Jiangsu: where the citizen is insured now and applies
let federation: Federation;
let base: Record<string, string> = {};
let browser: Browser;

before(async () => {
  // The national exchange too (no demo population: it starts within the provinces' seeding), for its
  // figures page, which both provinces answer.
  federation = await startFederation('xp', [HERE, HOLDS, NATIONAL]);
  base = federation.base;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await federation?.stop();
});

async function loginAt(page: Page, node: string, username: string) {
  await page.goto(`${base[node]}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Clicks ↻ (or reloads) until the text shows: the other province answers through the broker. */
async function until(page: Page, text: string, refresh: () => Promise<unknown>) {
  await pollUntil(page, async () => (await page.getByText(text).count()) > 0, refresh);
  await page.getByText(text).first().waitFor();
}

test('the citizen files a record statement at Jiangsu, Anhui completes it, the citizen reads it and finds it in the hall; both clerks see it', async () => {
  const { context, page } = await newPage(browser);
  await loginAt(page, HERE, 'citizen');
  await page.waitForURL(/\/citizen/);
  await page.getByRole('menuitem', { name: '跨省通办' }).click();
  await page.waitForURL(/\/citizen\/cross-province$/);
  await page.getByText('在本省申请，由参保地省份办理').waitFor();
  // 个人权益记录单 is the default service; the province holding the record is Anhui.
  await page.getByTestId('xp-province').click();
  await page.locator('.ant-select-item-option', { hasText: '安徽省' }).click();
  await page.getByTestId('xp-submit').click();
  await page.waitForURL(/\/citizen\/cross-province\/\d+$/);
  await until(page, '已办结', () => page.getByRole('button', { name: '↻' }).click());
  const statement = page.getByTestId('xp-statement');
  await statement.getByText('企业职工基本养老保险').waitFor();
  // Anhui's segment: 2016-01 to 2020-12, 60 months paid.
  await statement.getByText('60 个月').first().waitFor();
  await page.getByTestId('xp-accounts').waitFor();
  await page.getByTestId('xp-step-accepted').getByText('安徽省已受理').waitFor();
  assert.doesNotMatch(await statement.innerText(), /\d{17}[\dX]/, 'the ID number is masked');
  await shot(page, 'citizen-cross-province');
  // Printed: the statement without the portal's menu and the progress.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.portal-sider').isVisible(), false);
  await statement.waitFor();
  await page.screenshot({ path: 'e2e/screenshots/citizen-cross-province-print.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  // In English too: the same page, nothing left untranslated.
  await page.evaluate(() => localStorage.setItem('shebao.lang', 'en'));
  await page.reload();
  await page.getByTestId('xp-statement').getByText('60 months').first().waitFor();
  await shot(page, 'citizen-cross-province-en');
  await page.evaluate(() => localStorage.setItem('shebao.lang', 'zh-CN'));

  // The service hall of Jiangsu shows the application, completed (its consumer took the case.status events).
  await page.goto(`${base[HERE]}/citizen/applications`);
  const row = page.locator('tr', { hasText: '个人权益记录查询打印' });
  await until(page, '个人权益记录查询打印', () => page.reload());
  await row.getByText('已办结').first().waitFor();
  await row.getByRole('link').first().click();
  await page.getByText('已转安徽省办理个人权益记录').first().waitFor();
  // The Chinese page in Chinese: the province's bilingual note showed "… / sent to Anhui", and the
  // citizen's own step read "*******" (the demo login is no ID number to mask).
  const history = await page.locator('.ant-timeline').innerText();
  assert.doesNotMatch(history, /sent to|accepted by|\*{4}/, history);
  await shot(page, 'citizen-cross-province-hall');
  // On a phone: the hall's page of the application, the statement it links to, and the form.
  await page.setViewportSize(PHONE);
  await assertFitsPhone(page, 'hall application 390');
  await shot(page, 'citizen-cross-province-hall-390');
  // The hall links the citizen to their own page of this request (the process sent it with its event).
  await page.getByRole('link', { name: '查看' }).click();
  await page.waitForURL(/\/citizen\/cross-province\/\d+$/);
  await page.getByTestId('xp-statement').waitFor();
  await assertFitsPhone(page, 'statement 390');
  await shot(page, 'citizen-cross-province-390');
  await page.goto(`${base[HERE]}/citizen/cross-province`);
  await page.getByTestId('xp-submit').waitFor();
  await assertFitsPhone(page, 'cross-province form 390');
  await context.close();

  // Jiangsu's clerk follows it; Anhui's clerk sees what Anhui handled for Jiangsu.
  for (const [node, side] of [
    [HERE, '本省受理，外省办理'],
    [HOLDS, '外省受理，本省办理'],
  ] as const) {
    const clerk = await newPage(browser);
    await loginAt(clerk.page, node, 'clerk');
    await clerk.page.waitForURL(/\/agency/);
    await clerk.page.getByRole('menuitem', { name: '跨省通办办件' }).click();
    await clerk.page.waitForURL(/\/agency\/cross-province$/);
    const r = clerk.page.locator('tr', { hasText: side });
    await r.getByText('江苏省 → 安徽省').waitFor();
    await r.getByText('已办结').waitFor();
    await levelWith(clerk.page, 'xp-submit', 'xp-id-number'); // 提交申请 wrapped onto a line alone
    await shot(clerk.page, `clerk-cross-province-${node}`);
    // On a phone: the list as cards, and the request's page.
    await clerk.page.setViewportSize(PHONE);
    await assertFitsPhone(clerk.page, `clerk 390 (${node})`);
    await r.getByRole('link').first().click();
    await clerk.page.waitForURL(/\/agency\/cross-province\/\d+$/);
    await clerk.page.getByTestId('xp-step-closed').waitFor();
    await assertFitsPhone(clerk.page, `clerk's request 390 (${node})`);
    await shot(clerk.page, `clerk-cross-province-${node}-390`);
    await clerk.context.close();
  }
});

test('the national exchange gathers both provinces’ figures; on a phone each province and the total read as cards', async () => {
  const { context, page } = await newPage(browser, PHONE.width, PHONE.height);
  // the chart's words too: its legend took two lines and ran over the axis's name (元)
  await recordChartWords(context);
  await loginAt(page, NATIONAL, 'reviewer'); // the reviewer settles the central adjustment
  await page.waitForURL(/\/agency/);
  await page.goto(`${base[NATIONAL]}/agency/national`);
  await page.getByTestId('national-ask').click();
  await until(page, '全国合计', () => page.getByRole('button', { name: '↻' }).first().click());
  // both provinces answered: a card each and the total's
  await page.locator('tr.ant-table-row', { hasText: '安徽省' }).waitFor();
  await page.locator('tr.ant-table-row', { hasText: '江苏省' }).waitFor();
  await page.getByRole('img', { name: /安徽省/ }).scrollIntoViewIfNeeded();
  await assertFitsPhone(page, 'national 390');
  // the total's card: each figure under its column's title (a summary row stays four columns wide)
  const total = page.locator('tr.ant-table-row', { hasText: '全国合计' });
  const balance = await total.locator('td[data-label="累计结余（期末）"]').innerText();
  assert.match(balance, /^¥[\d,]+\.\d{2}$/, balance);
  await total.scrollIntoViewIfNeeded();
  await shot(page, 'national-figures-390');
  // the central adjustment settled for a year: its figures and each province's as cards too
  await page.getByTestId('ca-run').click();
  await until(page, '各省已入账', () => page.getByRole('button', { name: '↻' }).last().click());
  await page.getByTestId('ca-status').scrollIntoViewIfNeeded();
  await assertFitsPhone(page, 'central adjustment 390');
  await shot(page, 'national-central-adjustment-390');
  // the same page on a desk: the total a bold last row under the provinces
  await page.setViewportSize({ width: 1280, height: 800 });
  await total.scrollIntoViewIfNeeded();
  await shot(page, 'national-figures');
  await context.close();
});
