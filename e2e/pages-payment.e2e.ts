// Paying one's own bill online (issue 11): the flexible worker declares a base and the bill is made at
// once; 缴费 makes a server order and opens the payment gateway (its demo simulator); confirming there
// sends the signed notice, and back on the page the bill shows as paid. A cancelled payment leaves
// the bill open. The resident pays the year's tier the same way. The demo flexible worker is enrolled
// from this month only, so each payer acts once — the flexible worker at 390 px in English, the
// resident at 1280 px in Chinese — and the other run looks at the same page in the other language
// and width. The flexible worker's bill has 费率明细 (the rate and its source), looked at on the phone.
// A second order for the flexible worker's bill, paid at the gateway after the first, is received and
// shown as to be refunded (退费).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertNoErrors, noSidewaysOverflow, session, type Lang } from './pages-support.ts';
import { today } from '../src/core/clock.ts';
import { assertFitsPhone } from './phone-support.ts';
import { BASE, futureRefused, launch, shot } from './support.ts';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

const T = <V>(lang: Lang, zh: V, en: V): V => (lang === 'zh' ? zh : en);

/** The citizen's own bills, straight from the server. */
async function bills(
  page: Page,
): Promise<Array<{ id: number; period: string; status: string; payerKind: string }>> {
  return page.evaluate(async () => {
    const me = (await (await fetch('/api/v1/auth/me')).json()) as { user: { personId: number } };
    const r = await fetch(`/api/v1/bills?personId=${me.user.personId}&pageSize=50`);
    return (
      (await r.json()) as { items: Array<{ id: number; period: string; status: string; payerKind: string }> }
    ).items;
  });
}

/** The 缴费 button of a bill (its accessible name says which bill). */
const PAY = (lang: Lang) => (lang === 'zh' ? /缴纳.*账单/ : /Pay the bill for/);

/** 缴费 on the open bill of `period`, through the gateway, confirmed or cancelled. */
async function payThroughGateway(
  page: Page,
  lang: Lang,
  width: number,
  label: string,
  outcome: 'confirm' | 'cancel',
): Promise<void> {
  await page
    .getByRole('button', { name: PAY(lang) })
    .first()
    .click();
  await page.waitForURL((u) => u.pathname === '/pay/gateway');
  await page
    .getByText(T(lang, '支付金额', 'Amount'))
    .first()
    .waitFor();
  if (width < 600) await noSidewaysOverflow(page, `${label} gateway 390`);
  await shot(page, `pages-payment-gateway-${label}-${lang}-${width}`);
  if (outcome === 'confirm') await page.getByRole('button', { name: T(lang, '确认支付', 'Pay ') }).click();
  else await page.getByRole('button', { name: T(lang, '取消支付', 'Cancel') }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/citizen/'));
}

const COMBOS = [
  ['zh', 1280],
  ['en', 390],
] as const;

for (const [lang, width] of COMBOS) {
  const acts = lang === 'en';
  test(`flexible (${lang}, ${width}): ${acts ? 'declares this month, a cancelled payment leaves the bill open, then pays it online' : 'the page and its bills'}`, async () => {
    const s = await session(browser, 'flexible', lang, width);
    const page = s.page;
    await page.goto(`${BASE}/citizen/flexible-contributions`);
    await page
      .getByRole('heading', { name: T(lang, '灵活就业缴费', 'Flexible-worker contributions') })
      .waitFor();
    await page
      .getByText(T(lang, '我的缴费账单', 'My contribution bills'))
      .first()
      .waitFor();
    if (!acts) {
      if (width < 600) await noSidewaysOverflow(page, 'flexible 390');
      await shot(page, `pages-payment-flexible-${lang}-${width}`);
      assertNoErrors(s, 'flexible page');
      await s.context.close();
      return;
    }
    await futureRefused(page, page.locator('#flexible-month'), 'flexible month', true);
    const period = today().slice(0, 7);
    const limits = await page.evaluate(async (p) => {
      const r = await fetch(`/api/v1/contributions/base-limits?period=${p}`);
      return (await r.json()) as { floorFen: number };
    }, period);
    await page.getByLabel(T(lang, '缴费基数', 'Contribution base')).fill(String(limits.floorFen / 100));
    await page.getByRole('button', { name: lang === 'en' ? 'Declare' : /申\s*报/ }).click();
    await page
      .getByText(T(lang, '本月允许的缴费基数', 'Allowed base this month'))
      .first()
      .waitFor();
    // The bill is made at once: open, with a 缴费 button.
    const open = (await bills(page)).find((b) => b.period === period && b.payerKind === 'flexible');
    assert.ok(open, `a bill for ${period} right after declaring`);
    assert.equal(open.status, 'open');
    await page
      .getByRole('button', { name: PAY(lang) })
      .first()
      .waitFor();
    if (width < 600) await noSidewaysOverflow(page, 'flexible bills 390');
    await shot(page, `pages-payment-flexible-bill-${lang}-${width}`);

    // 费率明细: the rate behind the bill and its source, in the employer's dialog; on the phone it fits.
    await page
      .getByRole('button', { name: T(lang, /查看.*账单的费率与依据/, /Rates and sources of the bill of/) })
      .first()
      .click();
    const rates = page.locator('.ant-modal .bill-rates');
    await rates.waitFor();
    const dialog = await rates.innerText();
    assert.match(dialog, /20%/, 'the flexible pension rate');
    assert.match(dialog, T(lang, /国发〔2005〕38号/, /Guofa \[2005\] No\. 38/));
    assert.doesNotMatch(dialog, T(lang, /单位费率/, /Employer rate/), 'no employer on a flexible bill');
    if (width < 600) await assertFitsPhone(page, 'flexible rates 390', '.ant-modal');
    await shot(page, `pages-payment-flexible-rates-${lang}-${width}`);
    await page.locator('.ant-modal-close').click();
    await rates.waitFor({ state: 'hidden' });

    // Cancelled on the gateway: back on the page the bill is still open and the page says so.
    await payThroughGateway(page, lang, width, 'flexible', 'cancel');
    await page
      .getByText(T(lang, '支付未成功', 'did not go through'))
      .first()
      .waitFor();
    assert.equal((await bills(page)).find((b) => b.id === open.id)?.status, 'open');

    // A second order for the same bill, as from another tab, left open at the gateway.
    const second = await page.evaluate(async (billId) => {
      const me = (await (await fetch('/api/v1/auth/me')).json()) as { csrfToken: string };
      const r = await fetch(`/api/v1/bills/${billId}/online-payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: '{}',
      });
      return ((await r.json()) as { orderNo: string }).orderNo;
    }, open.id);

    // Confirmed: the server records the payment; the page shows it paid.
    await payThroughGateway(page, lang, width, 'flexible', 'confirm');
    await page
      .getByText(T(lang, '缴费成功', 'Paid:'))
      .first()
      .waitFor();
    assert.equal((await bills(page)).find((b) => b.id === open.id)?.status, 'paid');
    await page
      .getByText(T(lang, '已缴', 'Paid ('))
      .first()
      .waitFor();
    if (width < 600) await noSidewaysOverflow(page, 'flexible paid 390');
    await shot(page, `pages-payment-flexible-paid-${lang}-${width}`);

    // The second order paid too at the gateway: the money is received and to be refunded, not lost.
    const held = await page.evaluate(async (orderNo) => {
      const me = (await (await fetch('/api/v1/auth/me')).json()) as { csrfToken: string };
      const r = await fetch(`/api/v1/payment-gateway/orders/${orderNo}/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ outcome: 'success' }),
      });
      return { status: r.status, order: ((await r.json()) as { status?: string }).status };
    }, second);
    assert.deepEqual(held, { status: 200, order: 'refund_due' });
    await page.goto(`${BASE}/citizen/flexible-contributions?order=${second}`);
    await page
      .getByText(T(lang, '退还给您（退费）', 'will refund it to you'))
      .first()
      .waitFor();
    assert.equal((await bills(page)).find((b) => b.id === open.id)?.status, 'paid');
    if (width < 600) await noSidewaysOverflow(page, 'flexible refund due 390');
    await shot(page, `pages-payment-flexible-refund-due-${lang}-${width}`);
    assertNoErrors(s, 'flexible payment');
    await s.context.close();
  });

  test(`resident (${lang}, ${width}): ${lang === 'zh' ? 'chooses the year’s tier and pays the bill online' : 'the paid bill'}`, async () => {
    const s = await session(browser, 'resident', lang, width);
    const page = s.page;
    await page.goto(`${BASE}/citizen/resident-tier`);
    await page
      .getByRole('heading', { name: T(lang, '城乡居民缴费档次', 'Residents’ contribution tier') })
      .waitFor();
    const submit = page.getByRole('button', { name: T(lang, '选择', 'Choose the') });
    const already = page.getByText(T(lang, '年度已选择缴费档次', 'tier is already chosen'));
    await submit.or(already).first().waitFor();
    if (await submit.isVisible()) {
      await page.locator('.ant-radio-button-wrapper').first().click();
      await submit.click();
      await page
        .getByText(T(lang, '个人应缴', 'You pay'))
        .first()
        .waitFor();
    }
    await page
      .getByText(T(lang, '我的缴费账单', 'My contribution bills'))
      .first()
      .waitFor();
    const open = (await bills(page)).find((b) => b.payerKind === 'resident' && b.status === 'open');
    if (open) {
      await payThroughGateway(page, lang, width, 'resident', 'confirm');
      await page
        .getByText(T(lang, '缴费成功', 'Paid:'))
        .first()
        .waitFor();
      assert.equal((await bills(page)).find((b) => b.id === open.id)?.status, 'paid');
    }
    assert.ok(!(await bills(page)).some((b) => b.payerKind === 'resident' && b.status === 'open'));
    if (width < 600) await noSidewaysOverflow(page, 'resident paid 390');
    await shot(page, `pages-payment-resident-${lang}-${width}`);
    assertNoErrors(s, 'resident payment');
    await s.context.close();
  });
}
