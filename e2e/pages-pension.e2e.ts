// Pension estimate, retirement cases and the funds page, as people meet them: figures prefilled
// from the record, traces in words, the due list marking open cases, the creator not offered the
// reviewer's buttons, names instead of numbers, and fund figures that add up — zh/en, 1280/390 px.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { assertNoErrors, noSidewaysOverflow, session } from './pages-support.ts';
import { assertFitsPhone } from './phone-support.ts';
import { today } from '../src/core/clock.ts';
import { addMonths, dateInWords } from '../src/core/dates.ts';
import { formatCount, formatPeriod } from '../web/src/format.ts';
import { en } from '../web/src/i18n/en.ts';
import { zhCN, type MessageKey } from '../web/src/i18n/zh-CN.ts';
import { apiAs, BASE, futureRefused, launch, shot } from './support.ts';

/** Each of `parts` occurs in `text`, one after the other. */
function inOrder(text: string, parts: string[]): void {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    assert.ok(at >= from, `"${part}" after position ${from} in: ${text}`);
    from = at + part.length;
  }
}

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

test('citizen estimate (中文, 1280): index and account come from the record; the trace has no JSON and cites its sources in Chinese; only the rule bounds the index', async () => {
  const s = await session(browser, 'citizen', 'zh');
  await s.page.goto(`${BASE}/citizen/pension`);
  const account = s.page.getByLabel('退休时个人账户储存额（元）');
  await account.waitFor();
  await s.page.getByText('已填入您权益记录上的个人账户余额').waitFor();
  assert.notEqual(await account.inputValue(), '', 'the account balance is prefilled');
  // The index is the record's as it stands: the page neither clamps it nor bounds the field; the
  // formula's bounds (the parameter in force on the statutory retirement date) are the rule's.
  const citizen = await apiAs('citizen');
  const me = (await citizen('GET', '/api/v1/auth/me')) as { user: { personId: number } };
  const person = (await citizen('GET', `/api/v1/persons/${me.user.personId}`)) as {
    birthDate: string;
    sex: string;
    region: string;
  };
  const record = (await citizen('GET', `/api/v1/persons/${me.user.personId}/record`)) as {
    totals: { averageContributionIndex: number | null };
  };
  const age = (await citizen('POST', '/api/v1/calc/retirement-age', {
    birthDate: person.birthDate,
    category: person.sex === 'M' ? 'male' : 'female-50',
  })) as { retirementDate: string };
  const inForce = (await citizen(
    'GET',
    `/api/v1/params?region=${person.region}&date=${age.retirementDate}`,
  )) as { parameters: Array<{ path: string; value: { indexMin?: number; indexMax?: number } }> };
  const formula = inForce.parameters.find((p) => p.path === 'pension/employee-pension-formula')?.value;
  assert.ok(formula?.indexMin !== undefined && formula.indexMax !== undefined, JSON.stringify(formula));
  const recorded = record.totals.averageContributionIndex;
  assert.ok(recorded !== null, 'the demo citizen has a contribution index on the record');
  const index = s.page.getByLabel('平均缴费指数');
  await s.page.waitForFunction(
    (want) => document.querySelector<HTMLInputElement>('#averageContributionIndex')?.value === want,
    String(recorded),
  );
  assert.equal(await index.getAttribute('aria-valuemax'), null, 'the page sets no bound of its own');
  const fromRecord = s.page.getByText(zhCN['estimate.fromRecord']);
  assert.equal(await fromRecord.count(), 1, 'the prefilled index says it comes from the record');
  // The months go as far as the server's rules take them (MAX_MONTHS), not a bound of the page's own.
  assert.equal(await s.page.locator('#contributionMonths').getAttribute('aria-valuemax'), '1200');
  // The demo city may not have the benefit base for the retirement year yet: type it as a person would.
  await s.page.getByLabel(/计发基数/).fill('8000');
  await s.page.getByRole('button', { name: '测算' }).click();
  await s.page.locator('.trace-list').first().waitFor();
  const trace = await s.page.locator('.trace-list').first().innerText();
  assert.doesNotMatch(trace, /[{}"]/, 'no JSON in the trace');
  // Each parameter step cites its legal source in the reader's language, never an engineer's note.
  assert.match(trace, /依据：《国务院关于完善企业职工基本养老保险制度的决定》/);
  assert.doesNotMatch(trace, /domain|\.md\b|\[[A-Z]\]|revision/);
  const counted = s.page.getByTestId('estimate-index-counted');
  assert.equal(
    await counted.count(),
    recorded >= formula.indexMin && recorded <= formula.indexMax ? 0 : 1,
    'the result says so only when the rule counted another index than the one entered',
  );
  await shot(s.page, 'pages-estimate-zh');

  // Above the formula's bound: sent as typed, and the result says which index the rule counted.
  const above = formula.indexMax + 2;
  await index.fill(String(above));
  await fromRecord.waitFor({ state: 'detached' });
  await s.page.getByRole('button', { name: '测算' }).click();
  await counted.waitFor();
  assert.equal(
    await counted.innerText(),
    `您填的平均缴费指数${above}超出计发公式的范围，公式按${formula.indexMax}计算（见下方计算过程）。`,
  );
  assert.equal(Number(await index.inputValue()), above, 'the field keeps what was typed');
  assert.match(
    await s.page.locator('.trace-list').first().innerText(),
    new RegExp(
      `平均缴费工资指数 Z（限定在 ${formula.indexMin}–${formula.indexMax}） = ${formula.indexMax}\n`,
    ),
  );
  await shot(s.page, 'pages-estimate-index-counted');
  assertNoErrors(s, 'estimate');

  // Beyond what the calculation takes: the server's refusal, at the field, and no result.
  await index.fill('200');
  await s.page.getByRole('button', { name: '测算' }).click();
  await s.page.locator('#averageContributionIndex_help').getByText('应在 0 至 100 之间').waitFor();
  assert.equal(Number(await index.inputValue()), 200, 'the field keeps what was typed');
  assert.equal(await s.page.locator('.trace-list').count(), 0, 'no result for a refused index');
  await shot(s.page, 'pages-estimate-index-refused');
  assert.deepEqual(
    s.errors,
    ['400 POST /api/v1/calc/employee-pension'],
    'the refusal is the only failed request',
  );
  await s.context.close();
});

test('retiree estimate (中文, 1280): the award first; the statutory date and the category agree with it', async () => {
  const retiree = await apiAs('retiree');
  const me = (await retiree('GET', '/api/v1/auth/me')) as { user: { personId: number } };
  const pension = (await retiree('GET', `/api/v1/persons/${me.user.personId}/pension`)) as {
    awards: { status: string; retirementDate: string }[];
  };
  const award = pension.awards.find((a) => a.status !== 'stopped');
  assert.ok(award, 'the demo retiree has a pension in force');
  const retired = dateInWords(award.retirementDate, 'zh');
  const s = await session(browser, 'retiree', 'zh');
  await s.page.goto(`${BASE}/citizen/pension`);
  const banner = s.page.getByTestId('estimate-retired');
  await banner.filter({ hasText: `您已于${retired}退休` }).waitFor();
  await banner.getByRole('link', { name: '查看我的养老金' }).waitFor();
  // the estimator's statutory date was 2019 (category 女职工, age 50) against an award at 55
  const statutory = s.page.locator('.ant-descriptions-item').filter({ hasText: '法定退休日期' });
  await statutory.filter({ hasText: retired }).waitFor();
  await s.page.getByText(`与您已核定的退休日期（${retired}）相符的人员类别`).waitFor();
  await shot(s.page, 'pages-estimate-retiree');
  assertNoErrors(s, 'retiree estimate');
  await s.context.close();
});

test('clerk (中文, 1280): opening a case marks the person on the due list; the creator sees no approve button', async () => {
  // a month within the next two years in which someone reaches retirement age
  const api = await apiAs('clerk');
  let month = '';
  for (let i = 1; i <= 24 && !month; i++) {
    const d = new Date();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + i);
    const m = d.toISOString().slice(0, 7);
    const due = (await api('GET', `/api/v1/retirement/due?month=${m}`)) as { items: unknown[] };
    if (due.items.length > 0) month = m;
  }
  assert.ok(month, 'someone reaches retirement age within two years');
  const s = await session(browser, 'clerk', 'zh');
  await s.page.goto(`${BASE}/agency/retirement`);
  await s.page.locator('#due-month').click();
  await s.page.locator('#due-month').fill(month);
  await s.page.locator('#due-month').press('Enter');
  const openButtons = s.page.locator('button', { hasText: '开立案件' });
  await s.page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
  if ((await openButtons.count()) > 0) {
    await openButtons.first().click();
    await s.page.waitForURL(/\/agency\/retirement\/\d+$/);
    await s.page.getByText('经办人').first().waitFor();
    assert.equal(await s.page.getByRole('button', { name: /批准|退回/ }).count(), 0);
    await s.page.goto(`${BASE}/agency/retirement`);
    await s.page.locator('#due-month').click();
    await s.page.locator('#due-month').fill(month);
    await s.page.locator('#due-month').press('Enter');
  }
  await s.page
    .getByText(/已有案件/)
    .first()
    .waitFor();
  await shot(s.page, 'pages-retirement-due-zh');
  await s.page.getByRole('tab', { name: '退休案件' }).click();
  const persons = await s.page.locator('.ant-table-tbody tr.ant-table-row td:nth-child(2)').allInnerTexts();
  assert.ok(persons.length > 0);
  assert.ok(
    persons.every((p) => !/^#\d+$/.test(p.trim())),
    persons.join(' | '),
  );
  await shot(s.page, 'pages-retirement-cases-zh');
  assertNoErrors(s, 'retirement');
  await s.context.close();
});

test('reviewer (English, 390): the case list as cards with names; no sideways scroll', async () => {
  const s = await session(browser, 'reviewer', 'en', 390);
  await s.page.goto(`${BASE}/agency/retirement`);
  await s.page.getByRole('tab', { name: /Cases/ }).click();
  await s.page.waitForLoadState('networkidle');
  await assertFitsPhone(s.page, 'retirement 390');
  await shot(s.page, 'pages-retirement-en-390');
  assertNoErrors(s, 'retirement en');
  await s.context.close();
});

test('reviewer (English, 390): an approved case — summary, award in words, trace — fits a phone', async () => {
  // An employee due within two years, given a case the clerk computes and submits and the reviewer
  // approves (over the API: the 1280 journey, benefits-3-agency, clicks through the same steps).
  const clerk = await apiAs('clerk');
  let personId = 0;
  for (let i = 1; i <= 24 && !personId; i++) {
    const m = addMonths(today(), i).slice(0, 7);
    const due = (await clerk('GET', `/api/v1/retirement/due?month=${m}`)) as {
      items: Array<{ personId: number; scheme: string; caseId: number | null }>;
    };
    personId = due.items.find((x) => x.scheme === 'employee_pension' && x.caseId === null)?.personId ?? 0;
  }
  assert.ok(personId, 'an employee without a case reaches retirement age within two years');
  type Case = { id: number; version: number; eligible: boolean | null };
  let c = (await clerk('POST', '/api/v1/retirement/cases', { personId, scheme: 'employee_pension' })) as Case;
  c = (await clerk('POST', `/api/v1/retirement/cases/${c.id}/compute`, {
    version: c.version,
    benefitBaseWageFen: 850_000,
    archivedMonths: 240,
    archivedIndex: 1.2,
  })) as Case;
  assert.equal(c.eligible, true);
  c = (await clerk('POST', `/api/v1/retirement/cases/${c.id}/submit`, { version: c.version })) as Case;
  await (
    await apiAs('reviewer')
  )('POST', `/api/v1/retirement/cases/${c.id}/review`, {
    decision: 'approve',
    version: c.version,
  });
  const s = await session(browser, 'reviewer', 'en', 390);
  await s.page.goto(`${BASE}/agency/retirement/${c.id}`);
  await s.page.getByText(/^Approved: a pension of ¥[\d,]+\.\d{2} a month from [A-Z][a-z]+ \d{4}$/).waitFor();
  await s.page.locator('.trace-list li').first().waitFor();
  await assertFitsPhone(s.page, 'retirement case 390');
  await shot(s.page, 'pages-retirement-case-en-390');
  await s.page.getByRole('status').filter({ hasText: 'Approved' }).scrollIntoViewIfNeeded();
  await shot(s.page, 'pages-retirement-case-en-390-award');
  await s.page.locator('.trace-list').scrollIntoViewIfNeeded();
  await shot(s.page, 'pages-retirement-case-en-390-trace');
  assertNoErrors(s, 'retirement case en');
  await s.context.close();
});

test('pensioner (中文, 390): my pension — amount, changes and payments — fits a phone', async () => {
  const s = await session(browser, 'retiree', 'zh', 390);
  await s.page.goto(`${BASE}/citizen/my-pension`);
  await s.page.getByRole('heading', { name: '我的养老金' }).waitFor();
  await s.page.getByText('月养老金').first().waitFor();
  await noSidewaysOverflow(s.page, 'my pension 390');
  await shot(s.page, 'pages-my-pension-zh-390');
  await s.page.mouse.wheel(0, 700);
  await shot(s.page, 'pages-my-pension-zh-390-lower');
  assertNoErrors(s, 'my pension 390');
  await s.context.close();
});

// English at 1280 too: its longer headings ("of which personal accounts") ran past their column
for (const [lang, width] of [
  ['zh', 1280],
  ['en', 1280],
  ['en', 390],
] as const) {
  test(`funds (${lang}, ${width} px): month picker, the server's accounts check shown as it stands`, async () => {
    const s = await session(browser, 'clerk', lang, width);
    await s.page.goto(`${BASE}/agency/funds`);
    await s.page.locator('canvas').first().waitFor();
    await futureRefused(s.page, s.page.locator('#funds-period'), 'funds period', true);
    const text = await s.page.locator('#main').innerText();
    // The residents' payroll draws the account part of each pension down from the personal accounts
    // and books the basic part against the subsidy, so in the demo city every fund's personal
    // accounts are within its balance: the server reports no warning and the page shows none.
    const period = today().slice(0, 7);
    const report = await s.page.evaluate(async (p) => {
      const r = await fetch(`/api/v1/reports/funds?period=${p}`);
      return (await r.json()) as {
        warnings: unknown[];
        month: Array<{ fund: string; balanceFen: number; personalAccountFen: number }>;
        yearToDate: Array<{ fund: string }>;
        insured: Array<{ scheme: string; count: number }>;
      };
    }, period);
    assert.deepEqual(report.warnings, [], 'no fund shows more in personal accounts than its balance');
    for (const m of report.month)
      assert.ok(m.personalAccountFen <= m.balanceFen, `${m.fund}: ${m.personalAccountFen} > ${m.balanceFen}`);
    assert.doesNotMatch(text, /空账|not backed by fund assets/);
    assert.doesNotMatch(text, /\b341800\b/, 'regions by name');
    // The statements' figures fit their cells: at 1280 px the balance ran into the accounts column
    // ("¥1,301,061,603.05¥514,142,669.26") while the insured card took a third of the width.
    const spilled = await s.page
      .locator('#main .ant-table-cell')
      .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
    assert.deepEqual(spilled, [], 'figures or headings spill out of their cells');
    // What a screen reader hears (it heard "0的数据是21000000000"): the funds by name in the table's
    // order with ¥ amounts (万/亿 as on the Chinese axis), and the insured counts by scheme in the
    // order of the table beside them — the chart drew them bottom up, the table top down.
    const catalogue = lang === 'zh' ? zhCN : en;
    // found by its name: the twelve months' chart now stands above it
    const fundsSaid =
      (await s.page
        .locator(`#main div[role="img"][aria-label^="${catalogue['funds.chart']}"]`)
        .getAttribute('aria-label')) ?? '';
    assert.ok(fundsSaid.startsWith(catalogue['funds.chart']), fundsSaid);
    assert.match(fundsSaid, lang === 'zh' ? /¥[\d,.]+[万亿]/ : /¥[\d,]+\.\d{2}/, fundsSaid);
    assert.doesNotMatch(fundsSaid, /\d{5}/, 'no raw fen, no index');
    inOrder(
      fundsSaid,
      report.yearToDate.map((f) => `${catalogue[`fund.${f.fund}` as MessageKey]} ¥`),
    );
    const insuredCard = s.page
      .locator('.ant-card')
      .filter({ has: s.page.locator('.ant-card-head-title', { hasText: catalogue['funds.insured'] }) });
    const insuredSaid = (await insuredCard.locator('div[role="img"]').getAttribute('aria-label')) ?? '';
    assert.ok(report.insured.length > 1, 'the demo insures people in several schemes');
    inOrder(
      insuredSaid,
      report.insured.map((i) => `${catalogue[`scheme.${i.scheme}` as MessageKey]} ${formatCount(i.count)}`),
    );
    const rows = await insuredCard.locator('.ant-table-row td:first-child').allInnerTexts();
    if (rows.length > 0)
      assert.deepEqual(
        rows.map((r) => r.trim()),
        report.insured.map((i) => catalogue[`scheme.${i.scheme}` as MessageKey]),
      );
    // the month picker shows the month in words (it showed 2026-12) and still takes the ISO form typed
    const picker = s.page.locator('#funds-period');
    const words = (p: string) => formatPeriod(p, lang === 'zh' ? 'zh-CN' : 'en');
    assert.equal(await picker.inputValue(), words(period));
    const before = addMonths(`${period}-01`, -1).slice(0, 7);
    await picker.click();
    await picker.fill(before);
    await picker.press('Enter');
    await s.page.waitForFunction(
      ([want]) => document.querySelector<HTMLInputElement>('#funds-period')?.value === want,
      [words(before)],
    );
    if (width < 600) await assertFitsPhone(s.page, 'funds 390');
    await shot(s.page, `pages-funds-${lang}-${width}`);
    assertNoErrors(s, `funds ${lang}`);
    await s.context.close();
  });
}
