// The pension relation transfer in the browser (issue 16): the citizen applies at the new province
// (Jiangsu) and sees the transfer credited, step by step; the new province's clerk sees it in the list.
//
// Why not the whole federation: `shebao federation up` seeds three provinces and the exchange and took
// 94 s on the 2-core CI machine, more than this journey's 90 s budget. So this file starts the real
// broker (nats-server with JetStream) and ONE real province node (Jiangsu, its own embedded database and
// demo population, what `federation up` starts), and plays the national exchange and the old province
// (Anhui) itself through the broker. As the exchange, signed with the exchange's key, it answers
// Jiangsu's `index.locate` with `index.located` naming Anhui (the index holding the person's segment;
// starting a national node as well would cost another node start for one answer). As Anhui it takes Jiangsu's signed `transfer.request` from JetStream and answers with a `transfer.funds`
// message computed by the `pension-transfer-funds` rule and signed with Anhui's Ed25519 key, so Jiangsu
// takes it in through its real consumer (signature check, inbox, ledger, record). The old province's own
// side is proven by src/federation/transfer.db.test.ts and src/ops/federation.reliability.test.ts.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { NATIONAL } from '../src/federation/fed.messaging.ts';
import type { IndexLocatedBody, TransferRequestBody } from '../src/federation/transfer.service.ts';
import { NEW, OLD, oldPlaceFunds, startFederation, type Federation } from './federation-support.ts';
import { assertFitsPhone, PHONE } from './phone-support.ts';
import { launch, levelWith, newPage, PASSWORD, pollUntil, shot } from './support.ts';

let federation: Federation;
let base = '';
let browser: Browser;
let oldPlaceAnswered = 0;
let exchangeAnswered = 0;

before(async () => {
  federation = await startFederation('fed');
  base = federation.base[NEW] ?? '';
  // The national exchange: answers every `index.locate` with the old province (Anhui, 60 months up to
  // 2020-12, the relation no longer held there); the province's `index.update` messages are dropped.
  await federation.play(NATIONAL, async (env) => {
    if (env.kind !== 'index.locate') return null;
    const body: IndexLocatedBody = {
      ref: (env.body as { ref: string }).ref,
      provinces: [{ province: OLD, months: 60, lastPeriod: '2020-12', relationHeld: false }],
    };
    exchangeAnswered++;
    return { to: env.from, kind: 'index.located', body };
  });
  // Anhui: answers every transfer request addressed to it.
  await federation.play(OLD, async (env) => {
    if (env.kind !== 'transfer.request') return null;
    oldPlaceAnswered++;
    return { to: NEW, kind: 'transfer.funds', body: oldPlaceFunds(env.body as TransferRequestBody) };
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await federation?.stop();
});

async function loginAt(page: import('playwright-core').Page, username: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
}

test('the citizen applies at the new province and follows the transfer to the credited record; the clerk sees it', async () => {
  const { context, page } = await newPage(browser);
  await loginAt(page, 'citizen');
  await page.waitForURL(/\/citizen/);
  // A province node says so (GET /api/v1/node): the transfer pages are in the menu here.
  await page.getByRole('menuitem', { name: '关系转移接续' }).click();
  await page.waitForURL(/\/citizen\/transfers$/);
  await page.getByText('申请转入本省').waitFor();
  await page.getByTestId('transfer-from').click();
  await page.keyboard.type('安徽');
  await page.keyboard.press('Enter');
  await page.getByTestId('transfer-apply').click();
  await page.waitForURL(/\/citizen\/transfers\/\d+$/);
  // The old place answers through the broker; the page shows each step as it is done.
  await pollUntil(
    page,
    async () => (await page.getByText('已完成').count()) > 0,
    () => page.getByRole('button', { name: '↻' }).click(),
  );
  await page.getByText('已完成').first().waitFor();
  assert.equal(exchangeAnswered, 1);
  assert.equal(oldPlaceAnswered, 1);
  for (const step of ['applied', 'located', 'letter-sent', 'funds-sent', 'credited'])
    await page.getByTestId(`transfer-step-${step}`).waitFor();
  // The steps' notes come as "中文 / English"; the reader sees their own language only.
  const acceptance = await page.getByTestId('transfer-step-letter-sent').innerText();
  assert.match(acceptance, /同意接收函/);
  assert.doesNotMatch(acceptance, /letter of acceptance/);
  await page.getByText('法定时限：15 个工作日').first().waitFor();
  // 60 months at 5,000.00: 12% × 6,000,000 × 5 = 36,000.00 pooled + 28,500.00 account.
  assert.equal(await page.getByTestId('transfer-total').innerText(), '¥64,500.00');
  await shot(page, 'federation-citizen-transfer');
  // The credited months reach the citizen's rights record (权益记录单), marked with where they came from.
  await page.goto(`${base}/citizen/contributions`);
  await page.getByText('自 安徽省 转入').first().waitFor();
  // 60 months credited (2016–2020, index 5,000 ÷ 6,250 = 0.8) next to the 71 paid here: 131 months.
  await page.getByText('10年11个月').first().waitFor();
  await shot(page, 'federation-citizen-record');
  // The unemployment relation from the same form: the kind first, then the exchange locates the place left.
  await page.goto(`${base}/citizen/transfers`);
  await page.getByTestId('transfer-kind-select').click();
  await page.locator('.ant-select-item-option', { hasText: '失业保险关系' }).click();
  await page.getByText('失业保险关系转入本省').waitFor();
  await page.getByTestId('transfer-apply').click();
  await page.waitForURL(/\/citizen\/transfers\/\d+$/);
  await page.getByTestId('transfer-kind').filter({ hasText: '失业保险关系' }).waitFor();
  await page.getByText('转出地在收到联系函后 5 个工作日内办理转出').waitFor();
  // On a phone: the transfer's steps and the form that applies for one.
  await page.setViewportSize(PHONE);
  await assertFitsPhone(page, 'transfer 390');
  await shot(page, 'federation-citizen-transfer-390');
  await page.goto(`${base}/citizen/transfers`);
  await page.getByTestId('transfer-apply').waitFor();
  await assertFitsPhone(page, 'transfers 390');
  // the form's card has no empty band: its text starts and its button ends at the card's padding (24 px)
  const band = await page
    .locator('.ant-card')
    .filter({ has: page.getByTestId('transfer-apply') })
    .evaluate((card) => {
      const rect = (sel: string) => card.querySelector(sel)?.getBoundingClientRect();
      const [body, intro, button] = [
        '.ant-card-body',
        '[data-testid="transfer-intro"]',
        '[data-testid="transfer-apply"]',
      ].map(rect);
      return body && intro && button
        ? { above: Math.round(intro.top - body.top), below: Math.round(body.bottom - button.bottom) }
        : null;
    });
  assert.ok(
    band && band.above <= 25 && band.below <= 25,
    `the apply card's padding: ${JSON.stringify(band)}`,
  );
  await shot(page, 'federation-citizen-transfers-390');
  await context.close();

  const clerk = await newPage(browser);
  await loginAt(clerk.page, 'clerk');
  await clerk.page.waitForURL(/\/agency/);
  await clerk.page.getByRole('menuitem', { name: '跨省转移接续' }).click();
  await clerk.page.waitForURL(/\/agency\/transfers$/);
  await clerk.page.getByText('安徽省 → 江苏省').first().waitFor();
  await clerk.page.getByText('已完成').first().waitFor();
  await levelWith(clerk.page, 'transfer-apply', 'transfer-id-number');
  // No blank cell: a figure not yet known is a dash (the months of a transfer under way were blank).
  const blank = await clerk.page
    .locator('tr.ant-table-row td')
    .evaluateAll((tds) => tds.filter((td) => !td.textContent?.trim()).length);
  assert.equal(blank, 0, 'blank cells in the transfers table');
  await shot(clerk.page, 'federation-clerk-transfers');
  // The clerk on a phone: the list as cards, and a transfer's page.
  await clerk.page.setViewportSize(PHONE);
  await assertFitsPhone(clerk.page, 'transfers 390 (clerk)');
  await shot(clerk.page, 'federation-clerk-transfers-390');
  await clerk.page.locator('tr.ant-table-row').first().getByRole('link').first().click();
  await clerk.page.waitForURL(/\/agency\/transfers\/\d+$/);
  await clerk.page.getByTestId('transfer-step-applied').waitFor();
  await assertFitsPhone(clerk.page, 'transfer 390 (clerk)');
  await shot(clerk.page, 'federation-clerk-transfer-390');
  await clerk.context.close();
});
