// The retirement collection in the browser (归集, 国办发〔2009〕66号 第六条): the transfer section's
// clerk at Jiangsu starts a collection by ID number, sees it wait for the national exchange, then the
// place decided (Jiangsu, Art. 6(2)) with the months each province holds, the transfer from Anhui
// gathering them, and the collection complete with the funds; the list shows its progress.
//
// As federation.e2e.ts: the real broker and ONE real province node (Jiangsu); the test plays the
// national exchange (answering `payment.place` with `payment.placed`) and Anhui (answering the
// `transfer.request` with `transfer.funds` from the `pension-transfer-funds` rule), each signed with its
// node's key. Each answer waits for the test to let it go, so the page is seen in every state.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { NATIONAL } from '../src/federation/fed.messaging.ts';
import type { PaymentPlacedBody } from '../src/federation/transfer-collect.service.ts';
import type { TransferRequestBody } from '../src/federation/transfer.service.ts';
import { NEW, OLD, oldPlaceFunds, startFederation, type Federation } from './federation-support.ts';
import { badIdNumber, launch, newPage, PASSWORD, shot } from './support.ts';

let federation: Federation;
let base = '';
let browser: Browser;

/** A message the test lets go when the page has been seen in the state before it. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open: () => open() };
}
const exchangeGate = gate();
const oldPlaceGate = gate();

before(async () => {
  federation = await startFederation('coll');
  base = federation.base[NEW] ?? '';
  // The exchange: Anhui holds 60 months up to 2020-12, Jiangsu 131 with the relation; the hukou is
  // elsewhere, so Jiangsu with ≥ 120 months is the place (Art. 6(2)).
  await federation.play(NATIONAL, async (env) => {
    if (env.kind !== 'payment.place') return null;
    await exchangeGate.opened;
    const body: PaymentPlacedBody = {
      ref: (env.body as { ref: string }).ref,
      place: NEW,
      rule: 2,
      reason: 'current ≥120',
      segments: [
        { province: OLD, months: 60, lastPeriod: '2020-12' },
        { province: NEW, months: 131, lastPeriod: '2026-11' },
      ],
      collectTemporary: [],
    };
    return { to: env.from, kind: 'payment.placed', body };
  });
  await federation.play(OLD, async (env) => {
    if (env.kind !== 'transfer.request') return null;
    await oldPlaceGate.opened;
    return { to: NEW, kind: 'transfer.funds', body: oldPlaceFunds(env.body as TransferRequestBody) };
  });
  browser = await launch();
});

after(async () => {
  exchangeGate.open();
  oldPlaceGate.open();
  await browser?.close();
  await federation?.stop();
});

/** A person of the clerk's district, by the registry API (the clerk would have the applicant's card). */
async function aPersonsIdNumber(): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'clerk', password: PASSWORD }),
  });
  assert.ok(r.ok, `login clerk: ${r.status}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const get = async (path: string): Promise<unknown> => {
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    return (await res.json()) as unknown;
  };
  const list = (await get('/api/v1/persons?pageSize=5')) as { items: Array<{ id: number }> };
  const pick = list.items[0];
  assert.ok(pick, 'a person in the clerk’s district');
  return ((await get(`/api/v1/persons/${pick.id}`)) as { idNumber: string }).idNumber;
}

/** Reloads the collection until `text` shows (the node takes the answer in from the broker). */
async function until(page: Page, text: string) {
  const by = Date.now() + 30_000;
  while ((await page.getByText(text).count()) === 0 && Date.now() < by) {
    await page.waitForTimeout(1000);
    await page.getByTestId('collection-reload').click();
  }
  await page.getByText(text).first().waitFor();
}

test('the clerk starts a collection, sees it wait for the exchange, gather from Anhui and complete; the list shows it', async () => {
  const idNumber = await aPersonsIdNumber();
  const { context, page } = await newPage(browser);
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill('clerk');
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/agency/);
  await page.getByRole('menuitem', { name: '待遇领取地归集' }).click();
  await page.waitForURL(/\/agency\/collections$/);
  await page.getByText('还没有归集申请。').waitFor();
  // A wrong check character is caught on the page, before anything is sent.
  await page.getByTestId('collection-id-number').fill(badIdNumber(idNumber));
  await page.getByTestId('collection-apply').click();
  await page.getByText('公民身份号码不正确').waitFor();
  await page.getByTestId('collection-id-number').fill(idNumber);
  await page.getByTestId('collection-apply').click();
  await page.waitForURL(/\/agency\/collections\/\d+$/);
  await page.getByTestId('collection-status').getByText('待全国平台确定领取地').waitFor();
  await page.getByText('正在根据各省缴费记录确定待遇领取地').waitFor();
  await shot(page, 'collection-waiting');

  exchangeGate.open();
  await until(page, '归集中');
  const decision = await page.getByTestId('collection-decision').innerText();
  assert.match(decision, /江苏省/);
  assert.match(decision, /第六条第二项/);
  assert.match(decision, /在最后参保地累计缴费满120个月/);
  const segments = await page.getByTestId('collection-segments').innerText();
  assert.match(segments, /安徽省\s*60 个月/);
  assert.match(segments, /江苏省\s*131 个月/);
  await page.getByTestId('collection-transfers').getByText('安徽省').waitFor();
  await page.getByTestId('collection-transfers').getByText('待转出地划转').waitFor();
  await page.getByTestId('collection-transfers').scrollIntoViewIfNeeded();
  await shot(page, 'collection-gathering');

  oldPlaceGate.open();
  await until(page, '归集完成');
  const transfers = await page.getByTestId('collection-transfers').innerText();
  // 60 months at 5,000.00: 12% × 6,000,000 × 5 = 36,000.00 pooled + 28,500.00 account.
  assert.match(transfers, /已完成/);
  assert.match(transfers, /¥64,500\.00/);
  await page.getByTestId('collection-transfers').scrollIntoViewIfNeeded();
  await shot(page, 'collection-completed');
  const body = await page.locator('main').innerText();
  assert.doesNotMatch(body, /\d{4}-\d{2}-\d{2}T|current ≥120|gathering|completed/);

  await page.getByTestId('collection-transfers').getByRole('link').first().click();
  await page.waitForURL(/\/agency\/transfers\/\d+$/);
  await page.getByTestId('transfer-total').getByText('¥64,500.00').waitFor();

  await page.goto(`${base}/agency/collections`);
  const row = page.getByTestId('collection-list').locator('.ant-table-row').first();
  await row.getByText('归集完成').waitFor();
  await row.getByText('1 / 1 个转移已完成').waitFor();
  await row.getByText('江苏省').waitFor();
  await shot(page, 'collection-list');
  await context.close();
});
