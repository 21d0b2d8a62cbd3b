// The demo logins beyond the six staff and company ones (README table): the retired pensioner, the
// flexible worker, the resident and the second reviewer, each at 1280 and 390 px, in Chinese and in
// English, with no console error the user did not cause.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  assertNoErrors,
  assertNoRefusal,
  figuresBroken,
  menuLabels,
  noSidewaysOverflow,
  sessions,
  type Lang,
} from './pages-support.ts';
import { BASE, launch, shot } from './support.ts';

let browser: Browser;
// one login per person and kind of screen: each test switches the language in place
const logins = sessions(() => browser);
before(async () => {
  browser = await launch();
});
after(async () => {
  await logins.close();
  await browser.close();
});

const WIDTHS = [1280, 390] as const;
const LANGS: Lang[] = ['zh', 'en'];
const T = (lang: Lang, zh: string, en: string) => (lang === 'zh' ? zh : en);
/** The paying journeys run at 1280 px in Chinese and 390 px in English. */
const ACTS = (lang: Lang, width: number) => (lang === 'zh') === (width === 1280);
/** The citizen's pages for people of working age: a pensioner's menu has none of them. */
const WORKING_AGE = [
  ['灵活就业参保', 'Flexible-worker enrolment'],
  ['灵活就业缴费', 'Flexible-worker contributions'],
  ['失业保险金', 'Unemployment benefit'],
  ['城乡居民缴费档次', 'Residents’ contribution tier'],
  ['技能提升补贴', 'Skill-upgrade subsidy'],
] as const;

for (const lang of LANGS) {
  for (const width of WIDTHS) {
    test(`retiree (${lang}, ${width}): 我的养老金 shows the pension in force and its payments`, async () => {
      const s = await logins.open('retiree', lang, width, '/citizen/my-pension');
      await s.page
        .getByText(T(lang, '正常发放', 'Being paid'))
        .first()
        .waitFor();
      await s.page
        .getByText(T(lang, '发放笔数', 'Payments'))
        .first()
        .waitFor();
      await assertNoRefusal(s.page, 'retiree pension');
      if (lang === 'zh' && width > 600) {
        // no internal award number in the title; the total and the count say which months they cover
        const card = await s.page.locator('.ant-card').first().innerText();
        assert.doesNotMatch(card, /待遇 \d/, card);
        assert.match(card, /企业职工基本养老保险 · \d{4}年\d{1,2}月起发放/, card);
        assert.match(card, /\d{4}年\d{1,2}月起累计已发放/, card);
        assert.match(card, /\d{4}年\d{1,2}月起发放笔数/, card);
        // the payments newest first (they were listed oldest first, and the chart ran backwards)
        const months = (
          await s.page.locator('.ant-table').last().locator('tr.ant-table-row td:first-child').allInnerTexts()
        ).map((m) => {
          const [, y, mo] = /(\d{4})年(\d{1,2})月/.exec(m) ?? [];
          return Number(y) * 12 + Number(mo);
        });
        assert.ok(months.length > 1, 'payments listed');
        assert.deepEqual(
          months,
          [...months].sort((a, b) => b - a),
          'newest first',
        );
      }
      if (width < 600) await noSidewaysOverflow(s.page, 'retiree 390');
      await shot(s.page, `logins-retiree-${lang}-${width}`);
      if (width > 600) {
        // a pensioner's menu offers none of the working-age pages (it offered flexible-worker enrolment,
        // unemployment benefit…); proof of life shows once their situation is read
        await s.page.getByRole('menuitem', { name: T(lang, '资格认证', 'Proof of life') }).waitFor();
        const menu = await menuLabels(s, lang, false);
        for (const [zh, en] of WORKING_AGE)
          assert.ok(
            !menu.includes(T(lang, zh, en)),
            `retiree offered ${T(lang, zh, en)}: ${menu.join(', ')}`,
          );
        // such a page opened by its address is in no menu entry: none is lit (我的参保 was, as the
        // prefix of every citizen's address)
        await s.page.goto(`${BASE}/citizen/flexible`);
        await s.page.getByTestId('page-unfit').waitFor();
        await s.page.getByRole('menuitem', { name: T(lang, '资格认证', 'Proof of life') }).waitFor();
        const lit = await s.page.locator('.portal-menu .ant-menu-item-selected').allInnerTexts();
        assert.deepEqual(lit, [], `menu lit on a page it does not offer: ${lit.join(', ')}`);
      } else {
        // opened by its address, such a page says why in words and leads to the pension (it was an empty form)
        await s.page.goto(`${BASE}/citizen/flexible`);
        const unfit = s.page.getByTestId('page-unfit');
        await unfit.getByText(T(lang, '您已按月领取养老金', 'You draw a monthly pension')).waitFor();
        // the picture shows the notice itself (it was taken after the click, of the next page loading)
        await shot(s.page, `logins-retiree-unfit-${lang}-${width}`);
        await unfit.getByRole('button', { name: T(lang, '我的养老金', 'My pension') }).click();
        await s.page.waitForURL(/\/citizen\/my-pension$/);
        await s.page.getByRole('heading', { name: T(lang, '我的养老金', 'My pension') }).waitFor();
      }
      assertNoErrors(s, 'retiree');
    });

    test(`flexible (${lang}, ${width}): sees their own flexible-worker enrolment`, async () => {
      const s = await logins.open('flexible', lang, width, '/citizen');
      await s.page
        .getByText(T(lang, '灵活就业', 'Flexible worker'), { exact: true })
        .first()
        .waitFor();
      await assertNoRefusal(s.page, 'flexible record');
      if (width > 600) {
        // the phone number and the birth date read whole (English broke "15170147 / 825" at 1280 px)
        assert.deepEqual(await figuresBroken(s.page), [], 'figures broken in the record');
        // a flexible worker's menu has their contributions page and not a pensioner's proof of life
        await s.page
          .getByRole('menuitem', { name: T(lang, '灵活就业缴费', 'Flexible-worker contributions') })
          .waitFor();
        const menu = await menuLabels(s, lang, false);
        assert.ok(!menu.includes(T(lang, '资格认证', 'Proof of life')), menu.join(', '));
      }
      await s.page.goto(`${BASE}/citizen/flexible`);
      await s.page
        .getByText(T(lang, '灵活就业参保', 'Flexible-worker enrolment'))
        .first()
        .waitFor();
      await assertNoRefusal(s.page, 'flexible page');
      if (width < 600) await noSidewaysOverflow(s.page, 'flexible 390');
      await shot(s.page, `logins-flexible-${lang}-${width}`);
      if (ACTS(lang, width)) {
        // 灵活就业缴费: a base below the floor is refused with the allowed range; the floor is accepted.
        await s.page.goto(`${BASE}/citizen/flexible-contributions`);
        await s.page
          .getByRole('heading', { name: T(lang, '灵活就业缴费', 'Flexible-worker contributions') })
          .waitFor();
        const base = s.page.getByLabel(T(lang, '缴费基数', 'Contribution base'));
        await base.fill('1');
        await s.page.getByRole('button', { name: lang === 'zh' ? /申\s*报/ : 'Declare' }).click();
        const refusal = s.page.getByText(T(lang, '缴费基数须在', 'the base must be'));
        await refusal.first().waitFor();
        const m = /(\d+)[–-](\d+)/.exec(await refusal.first().innerText());
        assert.ok(m, 'the refusal names the allowed range');
        const floorFen = Number(m[1]);
        s.errors.splice(0); // the refused declaration (422/400) was caused on purpose
        await base.fill(String(floorFen / 100));
        await s.page.getByRole('button', { name: lang === 'zh' ? /申\s*报/ : 'Declare' }).click();
        await s.page
          .getByText(T(lang, '本月允许的缴费基数', 'Allowed base this month'))
          .first()
          .waitFor();
        await s.page
          .getByText(T(lang, '我的缴费账单', 'My contribution bills'))
          .first()
          .waitFor();
        if (width < 600) await noSidewaysOverflow(s.page, 'flexible contributions 390');
        await shot(s.page, `logins-flexible-pay-${lang}-${width}`);
      }
      assertNoErrors(s, 'flexible');
    });

    test(`resident (${lang}, ${width}): sees their residents’ pension enrolment`, async () => {
      const s = await logins.open('resident', lang, width, '/citizen');
      await s.page
        .getByText(T(lang, '城乡居民基本养老保险', 'Residents’ basic pension'))
        .first()
        .waitFor();
      await assertNoRefusal(s.page, 'resident record');
      if (width < 600) await noSidewaysOverflow(s.page, 'resident 390');
      await shot(s.page, `logins-resident-${lang}-${width}`);
      if (ACTS(lang, width)) {
        // 城乡居民缴费档次: this year's tiers from the parameters; choosing one makes the year's bill
        // (or, once chosen, the page says so instead of offering a second choice).
        await s.page.goto(`${BASE}/citizen/resident-tier`);
        await s.page
          .getByRole('heading', { name: T(lang, '城乡居民缴费档次', 'Residents’ contribution tier') })
          .waitFor();
        const submit = s.page.getByRole('button', { name: T(lang, '选择', 'Choose the') });
        const already = s.page.getByText(T(lang, '年度已选择缴费档次', 'tier is already chosen'));
        await submit.or(already).first().waitFor();
        if (await submit.isVisible()) {
          await s.page.locator('.ant-radio-button-wrapper').first().click();
          await submit.click();
          await s.page
            .getByText(T(lang, '个人应缴', 'You pay'))
            .first()
            .waitFor();
        }
        await s.page
          .getByText(T(lang, '待缴', 'Open'), { exact: true })
          .or(s.page.getByText(T(lang, '已缴', 'Paid')))
          .first()
          .waitFor();
        if (width < 600) await noSidewaysOverflow(s.page, 'resident tier 390');
        await shot(s.page, `logins-resident-tier-${lang}-${width}`);
      }
      assertNoErrors(s, 'resident');
    });

    test(`reviewer2 (${lang}, ${width}): sees the approvals page`, async () => {
      const s = await logins.open('reviewer2', lang, width, '/agency/approvals');
      await s.page.getByRole('heading', { name: T(lang, '待复核', 'Approvals') }).waitFor();
      await assertNoRefusal(s.page, 'reviewer2 approvals');
      assert.match(s.page.url(), /\/agency\/approvals$/);
      if (width < 600) await noSidewaysOverflow(s.page, 'reviewer2 390');
      await shot(s.page, `logins-reviewer2-${lang}-${width}`);
      assertNoErrors(s, 'reviewer2');
    });
  }
}
