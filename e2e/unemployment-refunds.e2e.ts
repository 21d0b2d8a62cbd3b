// Issue 12 items 4–5 in the browser: the employer reads last year's stable-employment refund notice
// (granted without application) and why — at 1280 and 390 px; the citizen applies for the
// skill-upgrade subsidy with a certificate from the register (on a phone), the clerk proposes to
// grant, the reviewer releases, and the citizen sees it paid.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { figuresBroken } from './pages-support.ts';
import { BASE, launch, login, newPage, shot } from './support.ts';

let browser: Browser;
let page: Page;

async function as(username: string, width = 1280, height = 800): Promise<void> {
  if (page) await page.context().close();
  page = (await newPage(browser, width, height)).page;
  await login(page, username);
  await page.waitForURL(/\/(agency|employer|citizen)/);
}

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

test('the employer sees the refund notice and why, without applying (1280 and 390 px)', async () => {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    await as('employer', width, height);
    await page.goto(`${BASE}/employer/refunds`);
    await page.getByRole('heading', { name: '稳岗返还' }).waitFor();
    const card = page.locator('.refund-card').first();
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /\d{4}年度稳岗返还/, text);
    assert.match(text, /依据\d{4}年度数据/, text);
    assert.ok(/符合条件 · 返还金额 ¥[\d,]+\.\d{2}/.test(text) || /不符合的原因：\S+/.test(text), text);
    assert.match(text, /参保职工人数/);
    await shot(page, `unemployment-refund-notice-${width}`);
  }
  // in English with English punctuation: it read "Figures compared（from the data of 2024）", "60%（Small…）"
  await page.evaluate("localStorage.setItem('shebao.lang', 'en')");
  await page.reload();
  await page.getByRole('heading', { name: 'Job-stabilisation refund' }).waitFor();
  const english = await page.locator('.refund-card').first().innerText();
  assert.match(english, /Figures compared \(from the data of \d{4}\)/, english);
  assert.doesNotMatch(english, /[（）]|\S：/, english);
  // on the phone the title wraps (it ended "from the data of 2…") and an amount reads whole ("¥8,65 / 5.54")
  const title = page.locator('.refund-card .ant-descriptions-title').first();
  assert.ok(await title.evaluate((e) => e.scrollWidth <= e.clientWidth), 'the figures’ title cut');
  assert.deepEqual(await figuresBroken(page), [], 'figures broken on the refund card');
  await shot(page, 'unemployment-refund-notice-en-390');
});

test('the employer’s 我的办件 says of the refund what its 稳岗返还 page says (not 审核通过 while it waits)', async () => {
  await as('employer');
  await page.goto(`${BASE}/employer/refunds`);
  await page.getByRole('heading', { name: '稳岗返还' }).waitFor();
  const card = page.locator('.refund-card').first();
  await card.waitFor();
  const refund = (await card.locator('.ant-card-extra').innerText()).trim();
  // The refund's state → the hall's: waiting for the reviewer's release (or a bank account) is
  // 已受理, paid is 已办结; a year that does not qualify sends no notice and has no application.
  const hallStatus: Record<string, string> = {
    待复核拨付: '已受理',
    '缺少单位银行账户，暂缓拨付': '已受理',
    已拨付: '已办结',
  };
  assert.ok(refund in hallStatus, `the demo employer qualifies: ${refund}`);
  await page.goto(`${BASE}/employer/applications`);
  const row = page.locator('.ant-table-row').filter({ hasText: '稳岗返还' }).first();
  await row.waitFor();
  const text = await row.innerText();
  assert.match(text, new RegExp(hallStatus[refund] ?? '—'), text);
  assert.doesNotMatch(text, /审核通过/, text);
  await shot(page, 'hall-employer-applications-refund');
  // Its detail: the notice in the reader's language, Chinese only on the Chinese page.
  await row.getByRole('link', { name: '稳岗返还' }).click();
  await page.getByTestId('app-status').waitFor();
  const detail = await page.locator('main, body').first().innerText();
  assert.match(
    detail,
    /说明\s*您单位符合\d{4}年度失业保险稳岗返还条件.*返还金额 ¥[\d,]+\.\d{2}，经复核后拨付至单位银行账户。/,
    detail,
  );
  assert.doesNotMatch(detail, /qualifies for the|paid to its bank account/, 'no English on the Chinese page');
  await shot(page, 'hall-employer-application-refund-detail');
});

test('the agency sees the refund batch with the reasons others do not qualify', async () => {
  await as('supervisor');
  await page.goto(`${BASE}/agency/refunds`);
  await page.getByRole('heading', { name: '稳岗返还批次' }).waitFor();
  await page.locator('.ant-table-row').first().waitFor();
  const body = await page.locator('main, body').first().innerText();
  assert.match(body, /不符合条件的原因/, 'reasons listed');
  // A count of employers with its unit beside the amount, and the figure cards one height.
  assert.match(body, /待复核拨付\s*[\d,]+ 家 · ¥[\d,]+\.\d{2}/, 'awaiting: employers and amount');
  const heights = await page
    .locator('.ant-row .ant-card-small')
    .evaluateAll((cards) => [
      ...new Set(cards.slice(0, 6).map((c) => Math.round(c.getBoundingClientRect().height))),
    ]);
  assert.equal(heights.length, 1, `card heights ${heights.join(', ')}`);
  await shot(page, 'unemployment-refund-batch');
});

test('skill subsidy: the citizen applies on a phone, the clerk proposes, the reviewer releases, paid', async () => {
  await as('citizen', 390, 844);
  await page.goto(`${BASE}/citizen/skill-subsidy`);
  await page.getByRole('heading', { name: '技能提升补贴' }).waitFor();
  await page.getByRole('button', { name: '申领补贴' }).first().waitFor();
  await shot(page, 'unemployment-skill-certificates-390');
  // the certificate issued two months ago (电工, level 4)
  const row = page.getByRole('row').filter({ hasText: '电工' }).first();
  await row.getByRole('button', { name: '申领补贴' }).click();
  const app = page.locator('.skill-application').first();
  await app.waitFor();
  assert.match(await app.innerText(), /审核中/);
  // one name per level, as the note in the history says it (the list said 4级 beside 四级)
  assert.match(await row.innerText(), /四级\/中级工/);
  assert.match(await app.innerText(), /电工 · 四级\/中级工/);
  assert.doesNotMatch(await page.locator('main').innerText(), /\d级/);
  await shot(page, 'unemployment-skill-applied-390');

  await as('clerk');
  await page.goto(`${BASE}/agency/skill-subsidies`);
  await page.getByRole('heading', { name: '技能提升补贴审核' }).waitFor();
  const pending = page.locator('.ant-table-row').filter({ hasText: '电工' }).first();
  await pending.waitFor();
  await pending.getByRole('button', { name: '拟核准' }).click();
  await page.getByText(/已提交决定，待复核人员放行/).waitFor();
  assert.equal(
    await page.getByRole('button', { name: '复核放行' }).count(),
    0,
    'the maker has no release button',
  );
  await shot(page, 'unemployment-skill-proposed');

  await as('reviewer');
  await page.goto(`${BASE}/agency/skill-subsidies`);
  const waiting = page.locator('.ant-table-row').filter({ hasText: '电工' }).first();
  await waiting.getByRole('button', { name: '复核放行' }).click();
  await page.getByText('已放行').first().waitFor();

  await as('citizen');
  await page.goto(`${BASE}/citizen/skill-subsidy`);
  const paid = page.locator('.skill-application').filter({ hasText: '电工' }).first();
  await paid.waitFor();
  const text = await paid.innerText();
  assert.match(text, /已发放/, text);
  assert.match(text, /补贴金额 ¥1,500\.00/, text);
  await shot(page, 'unemployment-skill-paid');
});
