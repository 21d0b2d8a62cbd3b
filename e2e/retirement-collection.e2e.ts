// The retirement collection in the browser (归集, 国办发〔2009〕66号 第六条): the transfer section's
// clerk at Jiangsu starts a collection by ID number, sees it wait for the national exchange, then the
// place decided (Jiangsu, Art. 6(2)) with the months each province holds, the transfer from Anhui
// gathering them, and the collection complete with the funds; the list shows its progress. The person
// (the demo citizen) then reads their own collection on their transfers page, on a desktop and a phone.
// A second applicant's place is Anhui (Art. 6(3)): the clerk's page says to send them there, and that
// person (the demo's `citizen2`) reads on their own card where to apply, under which article and why.
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
import { badIdNumber, launch, newPage, PASSWORD, pollUntil, shot, tablesCut } from './support.ts';

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
  let asked = 0;
  await federation.play(NATIONAL, async (env) => {
    if (env.kind !== 'payment.place') return null;
    const ref = (env.body as { ref: string }).ref;
    // The second person applies at Jiangsu with only 40 months there after 130 in Anhui: Anhui, the
    // previous place with ≥ 120 months, is the place (Art. 6(3)) and Jiangsu sends them there.
    if (asked++ > 0) {
      const body: PaymentPlacedBody = {
        ref,
        place: OLD,
        rule: 3,
        reason: 'previous place ≥120',
        segments: [
          { province: OLD, months: 130, lastPeriod: '2023-07' },
          { province: NEW, months: 40, lastPeriod: '2026-11' },
        ],
        collectTemporary: [],
      };
      return { to: env.from, kind: 'payment.placed', body };
    }
    await exchangeGate.opened;
    const body: PaymentPlacedBody = {
      ref,
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

/** GET as `username` on the node's API (for picking the people the journey works with). */
async function getAs(username: string): Promise<(path: string) => Promise<unknown>> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.ok(r.ok, `login ${username}: ${r.status}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    assert.ok(res.ok, `GET ${path} as ${username}: ${res.status}`);
    return (await res.json()) as unknown;
  };
}

/**
 * The two applicants: the demo citizen, and the province's second citizen login (`citizen2`, who later
 * reads their own collection, placed in Anhui); the clerk reads their ID numbers.
 */
async function applicants(): Promise<{ citizen: string; other: string }> {
  const personOf = async (username: string) =>
    ((await (await getAs(username))('/api/v1/auth/me')) as { user: { personId: number } }).user.personId;
  const [me, second] = [await personOf('citizen'), await personOf('citizen2')];
  assert.notEqual(me, second, 'two people');
  const clerk = await getAs('clerk');
  const idNumber = async (id: number) =>
    ((await clerk(`/api/v1/persons/${id}`)) as { idNumber: string }).idNumber;
  return { citizen: await idNumber(me), other: await idNumber(second) };
}

/** Reloads the collection until `text` shows (the node takes the answer in from the broker). */
async function until(page: Page, text: string) {
  await pollUntil(
    page,
    async () => (await page.getByText(text).count()) > 0,
    () => page.getByTestId('collection-reload').click(),
  );
  await page.getByText(text).first().waitFor();
}

let people: { citizen: string; other: string };

test('the clerk starts a collection, sees it wait for the exchange, gather from Anhui and complete; the list shows it', async () => {
  people = await applicants();
  const idNumber = people.citizen;
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

test('the citizen reads their own collection on their transfers page: the place, the rule, the progress and each province’s months (desktop and 390 px)', async () => {
  for (const [width, height, name] of [
    [1280, 800, 'collection-citizen'],
    [390, 844, 'collection-citizen-390'],
  ] as const) {
    const { context, page } = await newPage(browser, width, height);
    await page.goto(`${base}/login`);
    await page.getByLabel('用户名').fill('citizen');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/citizen/);
    await page.goto(`${base}/citizen/transfers`);
    const card = page.getByTestId('my-collection');
    await card.getByText('归集完成').waitFor();
    // The province names arrive with the regions.
    await card.getByText('江苏省').first().waitFor();
    const text = await card.innerText();
    assert.match(text, /江苏省/);
    assert.match(text, /第六条第二项/);
    assert.match(text, /在最后参保地累计缴费满120个月/);
    assert.match(text, /1 \/ 1 个转移已完成/);
    assert.match(
      await page.getByTestId('my-collection-segments').innerText(),
      /安徽省\s*60 个月[\s\S]*江苏省\s*131 个月/,
    );
    assert.match(await page.getByTestId('my-collection-transfers').innerText(), /安徽省\s*已完成\s*60 个月/);
    assert.doesNotMatch(text, /current ≥120|completed|\d{4}-\d{2}-\d{2}/);
    await page.getByTestId('my-collections').scrollIntoViewIfNeeded();
    if (width < 600) {
      // On a phone the card fits the screen: nothing runs off to the side.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    }
    await shot(page, name);
    // Its transfer opens the citizen's own transfer page.
    await page.getByTestId('my-collection-transfers').getByRole('link').first().click();
    await page.waitForURL(/\/citizen\/transfers\/\d+$/);
    await context.close();
  }
});

test('the exchange places another applicant in Anhui: the clerk is told to send them there, nothing is gathered; the list pages one by one (desktop and 390 px)', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill('clerk');
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/agency/);
  await page.goto(`${base}/agency/collections`);
  await page.getByTestId('collection-id-number').fill(people.other);
  await page.getByTestId('collection-apply').click();
  await page.waitForURL(/\/agency\/collections\/\d+$/);
  const detail = page.url();
  await until(page, '领取地在外省');
  const warning = page.getByTestId('collection-decision').locator('.ant-alert-warning');
  await warning.getByText('安徽省').first().waitFor();
  assert.equal(
    (await warning.innerText()).trim(),
    '待遇领取地为安徽省，本省不归集。请告知参保人向安徽省申请办理待遇领取手续。',
  );
  const decision = await page.getByTestId('collection-decision').innerText();
  assert.match(decision, /第六条第三项/);
  assert.match(decision, /在最后参保地不满120个月，此前的参保地满120个月/);
  assert.match(
    await page.getByTestId('collection-segments').innerText(),
    /安徽省\s*130 个月[\s\S]*江苏省\s*40 个月/,
  );
  // Nothing is gathered here: no transfers.
  assert.equal(await page.getByTestId('collection-transfers').count(), 0);
  assert.doesNotMatch(await page.locator('main').innerText(), /previous place|elsewhere|\d{4}-\d{2}-\d{2}T/);
  await shot(page, 'collection-elsewhere');

  // The list a row a page (the server's cursor; the page asks for 50, the test for 1): the newest, then
  // 加载更多 brings the one before, and no more control once the last is shown.
  await page.route(
    (u) => u.pathname === '/api/v1/transfers/collections',
    (route) => {
      const u = new URL(route.request().url());
      u.searchParams.set('limit', '1');
      return route.continue({ url: u.toString() });
    },
  );
  await page.goto(`${base}/agency/collections`);
  const rows = page.getByTestId('collection-list').locator('.ant-table-row');
  await rows.first().getByText('领取地在外省').waitFor();
  assert.equal(await rows.count(), 1);
  await page.getByTestId('collection-more').click();
  await rows.nth(1).getByText('归集完成').waitFor();
  assert.equal(await rows.count(), 2);
  await page.getByTestId('collection-more').waitFor({ state: 'detached' });
  await rows.first().getByText('安徽省').waitFor();
  await shot(page, 'collection-list-more');
  await context.close();

  // On a phone the clerk reads the same warning.
  const phone = await newPage(browser, 390, 844);
  await phone.page.goto(`${base}/login`);
  await phone.page.getByLabel('用户名').fill('clerk');
  await phone.page.getByLabel('密码').fill(PASSWORD);
  await phone.page.getByRole('button', { name: '登录' }).click();
  await phone.page.waitForURL(/\/agency/);
  await phone.page.goto(detail);
  await phone.page.getByText('请告知参保人向安徽省申请办理待遇领取手续').waitFor();
  await shot(phone.page, 'collection-elsewhere-390');
  // and the list: a card per application, every column in sight (the table scrolled inside the card,
  // its columns after 状态 out of sight), the page itself not running off the phone.
  await phone.page.goto(`${base}/agency/collections`);
  await phone.page.getByTestId('collection-list').getByText('领取地在外省').waitFor();
  const overflow = await phone.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.ok(overflow <= 0, `the list is ${overflow}px wider than the phone`);
  await phone.page.getByTestId('collection-list').scrollIntoViewIfNeeded();
  await shot(phone.page, 'collection-list-390');
  assert.deepEqual(await tablesCut(phone.page), []);
  await phone.context.close();
});

test('the applicant placed in Anhui reads on their own card where to apply, the article and the reason (desktop and 390 px)', async () => {
  for (const [width, height, name] of [
    [1280, 800, 'collection-citizen-elsewhere'],
    [390, 844, 'collection-citizen-elsewhere-390'],
  ] as const) {
    const { context, page } = await newPage(browser, width, height);
    await page.goto(`${base}/login`);
    await page.getByLabel('用户名').fill('citizen2');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/citizen/);
    await page.goto(`${base}/citizen/transfers`);
    const card = page.getByTestId('my-collection');
    await card.getByText('领取地在外省').waitFor();
    // The province names arrive with the regions.
    const warning = page.getByTestId('my-collection-elsewhere');
    await warning.getByText('安徽省').first().waitFor();
    assert.equal(
      (await warning.innerText()).trim(),
      '您的待遇领取地为安徽省，本省不归集您的缴费记录。请向安徽省的社会保险经办机构申请办理待遇领取手续。',
    );
    const text = await card.innerText();
    assert.match(text, /待遇领取地\s*安徽省/);
    assert.match(text, /第六条第三项/);
    assert.match(text, /在最后参保地不满120个月，此前的参保地满120个月/);
    assert.match(
      await page.getByTestId('my-collection-segments').innerText(),
      /安徽省\s*130 个月[\s\S]*江苏省\s*40 个月/,
    );
    // Nothing is gathered for them here: no transfers, no progress.
    assert.equal(await page.getByTestId('my-collection-transfers').count(), 0);
    assert.doesNotMatch(text, /previous place|elsewhere|340000|\d{4}-\d{2}-\d{2}/);
    await page.getByTestId('my-collections').scrollIntoViewIfNeeded();
    if (width < 600) {
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    }
    await shot(page, name);
    await context.close();
  }
});
