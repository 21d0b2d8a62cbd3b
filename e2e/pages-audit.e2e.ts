// The supervisor's audit log: actions and operators by name, filters by operator and date, the
// record before and after, the CSV export, the action filter (the codes written now, by name), and the
// ledger check — in Chinese and English, 1280 and 390 px.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { AUDIT_ACTIONS } from '../src/audit-actions.ts';
import { zhCN } from '../web/src/i18n/zh-CN.ts';
import { assertNoErrors, codesShown, noSidewaysOverflow, session } from './pages-support.ts';
import { apiAs, BASE, launch, shot } from './support.ts';

let browser: Browser;
before(async () => {
  browser = await launch();
  // The clerk's newest entry carries a reason longer than two lines at 1280 px, for the steps that read a
  // cut reason: alone, the demo's own long reasons (an unemployment grant) were on the first page; after
  // the other journeys they were not (CI).
  const clerk = await apiAs('clerk');
  const citizen = await apiAs('citizen');
  const me = (await citizen('GET', '/api/v1/auth/me')) as { user: { personId: number } };
  type Person = { id: number; version: number };
  let person: Person | null = null;
  for (let id = me.user.personId + 500; id < me.user.personId + 900 && person === null; id++)
    person = (await clerk('GET', `/api/v1/persons/${id}`).catch(() => null)) as Person | null;
  assert.ok(person, 'a person of the clerk’s region');
  await clerk('PATCH', `/api/v1/persons/${person.id}`, {
    version: person.version,
    phone: '13912345678',
    reason:
      '参保人来电反映原登记手机号已停机，无法接收待遇发放和资格认证短信；经办人核对其本人身份证件并电话回访新号码确认无误后更正联系电话，通话记录已留存备查，如有疑问请联系经办窗口',
  });
});
after(async () => {
  await browser.close();
});

test('audit log in Chinese at 1280 px: names not codes, operator filter, before/after, CSV', async () => {
  const s = await session(browser, 'supervisor', 'zh');
  await s.page.goto(`${BASE}/agency/audit`);
  const rows = s.page.locator('.ant-table-tbody tr.ant-table-row');
  await rows.first().waitFor();
  const table = await s.page
    .locator('.ant-table', { has: s.page.locator('th', { hasText: '事项' }) })
    .innerText();
  // no action as its code (e.g. injury.benefit.decide): every action the server writes has a name
  const code = /\b[a-z][a-z-]*\.[a-z-]+\b/;
  assert.doesNotMatch(table, code, `actions show by name: ${table.match(code)?.[0]}`);
  assert.match(table, /登录/);
  // every record by its type's name, never as its table ("hall_application 75")
  const records = await rows.locator('td:nth-child(5)').allInnerTexts();
  const asTable = records.find((r) => /[a-z]_[a-z]/.test(r));
  assert.equal(asTable, undefined, `a record shown as its table: ${asTable}`);
  // The action filter offers the codes entries are written with, each by name with its code, and none of
  // the names the dictionary keeps only for older entries (it offered those too).
  const dictionaryOnly = Object.keys(zhCN)
    .map((k) => (k.startsWith('audit.') ? k.slice(6) : ''))
    .filter((a) => a.includes('.') && !(AUDIT_ACTIONS as readonly string[]).includes(a));
  assert.ok(dictionaryOnly.length > 0, 'the dictionary names older codes');
  await s.page.getByLabel('事项').click();
  const option = s.page.locator('.ant-select-item-option');
  await option.first().waitFor();
  // each option: the name, and under it the code
  const offered = await option.evaluateAll((els) =>
    els.map((e) => (e as HTMLElement).innerText.trim().replace(/\s+/g, ' ')),
  );
  assert.equal(offered.length, AUDIT_ACTIONS.length, 'one option per code written now');
  assert.ok(offered.includes('登录 auth.login'), offered.slice(0, 5).join(' | '));
  const offeredCodes = new Set(offered.map((o) => o.split(' ').at(-1)));
  const stale = dictionaryOnly.filter((a) => offeredCodes.has(a));
  assert.deepEqual(stale, [], `dictionary-only codes offered: ${stale.join(', ')}`);
  // the families stay together: every pension.* option in one run
  const pension = offered.flatMap((o, i) => (/ pension\./.test(o) ? [i] : []));
  assert.ok(pension.length > 1);
  assert.equal((pension.at(-1) ?? 0) - (pension[0] ?? 0) + 1, pension.length);
  await s.page.keyboard.type('登录失败');
  await shot(s.page, 'pages-audit-action-filter-zh');
  await s.page.keyboard.press('Escape');
  // operator filter
  await s.page.getByLabel('操作人').fill('clerk');
  const [filtered] = await Promise.all([
    s.page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('actor=clerk')),
    s.page.getByRole('button', { name: '查询' }).click(),
  ]);
  // The table keeps the unfiltered rows until the page has read the answer (as benefits-3-agency.e2e.ts
  // says): wait for the answer's rows, not for a fixed pause.
  const { items } = (await filtered.json()) as { items: Array<{ id: number; reason: string | null }> };
  const ids = items.map((i) => String(i.id));
  await s.page.waitForFunction((want) => {
    const shown = Array.from(document.querySelectorAll('.ant-table-tbody tr.ant-table-row')).map((r) =>
      r.getAttribute('data-row-key'),
    );
    return shown.length === want.length && shown.every((k, i) => k === want[i]);
  }, ids);
  // Each operator by name and role in words, the login name on hover: "李丽玲 clerk" read as an
  // English tag.
  const actors = await s.page
    .locator('.ant-table-tbody tr.ant-table-row td:nth-child(3) span[title]')
    .evaluateAll((els) => els.map((e) => [e.getAttribute('title'), (e as HTMLElement).innerText]));
  assert.ok(actors.length > 0);
  // An entry the system wrote for the clerk's action (the hall's application for a retirement case the
  // clerk submitted, src/hall/events.job.ts) is the system's: its login and 系统, never a staff role.
  for (const [login, text] of actors) {
    assert.match(login ?? '', /clerk/); // the filter matches part of the login name
    assert.match(text ?? '', /^([^A-Za-z\s]+\s+经办员|\S*clerk\S*\s+系统)$/, text ?? '');
  }
  assert.ok(
    actors.some(([, text]) => /经办员$/.test(text ?? '')),
    'a clerk’s own entry is among them',
  );
  // the CSV link carries the filter
  const href = await s.page.getByRole('link', { name: /导出 CSV/ }).getAttribute('href');
  assert.equal(href, '/api/v1/audit.csv?actor=clerk&lang=zh-CN');
  const csv = await s.page.evaluate(async (u) => (await fetch(u)).text(), href);
  assert.match(csv, /^\uFEFF?编号,时间,操作人账号/); // (fetch drops the byte order mark)
  // the clerk's phone correction (before()) in words in the export too
  assert.match(csv, /手机号码：[^；]*→ 13912345678/);
  // A long reason stays within two lines beside the others (it squeezed the action and the record into
  // three): the rest on hover and, uncut, in the expanded entry.
  // (no named function inside: the test runner's compiler would wrap it in a helper the page lacks)
  const heights = await rows.evaluateAll((trs) =>
    trs.map((tr) => {
      const [action = 0, record = 0] = [tr.children[3], tr.children[4]].map((el) => {
        const range = document.createRange();
        if (el) range.selectNodeContents(el);
        return Math.round(range.getBoundingClientRect().height / 22);
      });
      const reason = tr.querySelector('.audit-reason');
      return {
        action,
        record,
        reason: reason ? Math.round(reason.clientHeight / 22) : 0,
        cut: reason ? reason.scrollHeight > reason.clientHeight + 1 : false,
      };
    }),
  );
  for (const h of heights) {
    assert.ok(h.action <= 2 && h.record <= 2 && h.reason <= 2, JSON.stringify(h));
  }
  const cut = heights.findIndex((h) => h.cut);
  assert.ok(cut >= 0, 'a clerk’s entry has a reason longer than two lines (an unemployment grant)');
  const full = items[cut]?.reason ?? '';
  await rows.nth(cut).locator('.audit-reason').hover();
  await s.page.locator('.ant-tooltip').filter({ hasText: full }).waitFor();
  await rows.nth(cut).locator('.ant-table-row-expand-icon').click();
  await s.page.locator('.ant-table-expanded-row .audit-reason').filter({ hasText: full }).waitFor();
  await shot(s.page, 'pages-audit-reason-zh');
  await s.page.mouse.move(0, 0);
  await rows.nth(cut).locator('.ant-table-row-expand-icon').click();
  await shot(s.page, 'pages-audit-zh');
  // ledger check
  await s.page.getByRole('button', { name: '开始核对' }).click();
  await s.page.getByText(/账务核对通过|账务核对发现差异/).waitFor({ timeout: 60_000 });
  assert.doesNotMatch(await s.page.locator('.ant-card').first().innerText(), /contribution bills/);
  await shot(s.page, 'pages-audit-ledger-zh');
  // a record that has a page opens on it (the clerk's entries name people and applications)
  const link = rows.locator('td:nth-child(5) a').first();
  const recordHref = (await link.getAttribute('href')) ?? '';
  assert.match(recordHref, /^\/agency\/[a-z-]+\/\d+$/);
  await link.click();
  await s.page.waitForURL(`${BASE}${recordHref}`);
  await s.page.locator('.page-title h3').filter({ hasNotText: '审计日志' }).waitFor();
  await shot(s.page, 'pages-audit-record-opened-zh');
  assertNoErrors(s, 'audit zh');
  await s.context.close();
});

test('audit log in Chinese at 1280 px: an expanded entry names its fields in Chinese and its money in yuan', async () => {
  const s = await session(browser, 'supervisor', 'zh');
  // the newest case opened on a finding: its amount at risk, in fen as stored
  const sup = await apiAs('supervisor');
  const found = (await sup('GET', '/api/v1/audit?action=supervision.case.open&pageSize=1')) as {
    items: Array<{ id: number }>;
  };
  const id = found.items[0]?.id;
  assert.ok(id, 'the demo opened a supervision case');
  await s.page.goto(`${BASE}/agency/audit`);
  await s.page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
  await s.page.getByLabel('事项').click();
  await s.page.keyboard.type('supervision.case.open');
  await s.page.locator('.ant-select-item-option').filter({ hasText: 'supervision.case.open' }).click();
  await s.page.getByRole('button', { name: '查询' }).click();
  const row = s.page.locator(`.ant-table-tbody tr.ant-table-row[data-row-key="${id}"]`);
  await row.locator('.ant-table-row-expand-icon').click();
  // the expanded row right under it, not another's
  const expanded = s.page.locator(
    `.ant-table-tbody tr.ant-table-row[data-row-key="${id}"] + tr.ant-table-expanded-row`,
  );
  const changes = expanded.locator('.audit-changes');
  await changes.waitFor();
  const text = await changes.innerText();
  // (the entry has no amount before: the case is new)
  assert.match(text, /涉及金额\s+(— → )?¥[\d,]+\.\d{2}\n/, text);
  assert.doesNotMatch(text, /amountAtRiskFen|findingId/, text);
  // ids last, marked as technical
  assert.match(text, /疑点编号（技术字段）\s+— → \d+\s*$/, text);
  await changes.scrollIntoViewIfNeeded();
  await shot(s.page, 'pages-audit-changes-zh');
  assertNoErrors(s, 'audit changes zh');
  await s.context.close();
});

test('audit log in English at 1280 px: the fixed columns hold their English words, no code shown', async () => {
  const s = await session(browser, 'supervisor', 'en');
  await s.page.goto(`${BASE}/agency/audit`);
  const rows = s.page.locator('.ant-table-tbody tr.ant-table-row');
  await rows.first().waitFor();
  // the newest entries, then the clerk's (the long reason, other actions) and the reviewer's
  for (const actor of ['', 'clerk', 'reviewer']) {
    await s.page.locator('input#actor').fill(actor);
    await s.page.getByRole('button', { name: 'Search' }).click();
    await rows.first().waitFor();
    assert.deepEqual(await codesShown(s.page), [], `codes on the page (${actor || 'all'})`);
    // At the Chinese widths an English action took three lines ("Online application / status / changed"),
    // a district ran past its cell ("Xuancheng" in 72 px) and a role past its own; a word is never cut in two.
    const faults = await rows.evaluateAll((trs) =>
      trs.flatMap((tr) =>
        [1, 2, 3, 5].flatMap((i) => {
          const td = tr.children[i];
          if (!td) return [];
          const text = (td as HTMLElement).innerText.replace(/\n/g, ' / ');
          const out: string[] = [];
          if ([td, ...Array.from(td.querySelectorAll('*'))].some((e) => e.scrollWidth > e.clientWidth + 1))
            out.push(`runs past its cell: ${text}`);
          const range = document.createRange();
          range.selectNodeContents(td);
          if (i === 3 && Math.round(range.getBoundingClientRect().height / 22) > 2)
            out.push(`more than two lines: ${text}`);
          const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode())
            // Latin words only: Chinese breaks between any two characters (a company's name in the who column);
            // a compound may break after its hyphen ("work-" / "capacity"), as print does
            for (const m of (n.textContent ?? '').matchAll(/[A-Za-z0-9][A-Za-z0-9'’.]*/g)) {
              range.setStart(n, m.index);
              range.setEnd(n, m.index + m[0].length);
              if (range.getClientRects().length > 1) out.push(`"${m[0]}" cut in two: ${text}`);
            }
          return out;
        }),
      ),
    );
    assert.deepEqual([...new Set(faults)], [], `English at 1280 (${actor || 'all'})`);
  }
  await shot(s.page, 'pages-audit-en');
  assertNoErrors(s, 'audit en 1280');
  await s.context.close();
});

test('audit log in English at 390 px: the expanded entry shows the change, nothing overflows', async () => {
  // make a change to show: the clerk edits nothing on a page here, so an export (audited with "after") will do
  const s = await session(browser, 'supervisor', 'en', 390);
  await s.page.goto(`${BASE}/agency/audit`);
  await s.page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
  await s.page.evaluate(async () => (await fetch('/api/v1/audit.csv?actor=nobody')).text());
  await s.page.getByRole('button', { name: 'Search' }).click();
  await s.page.getByText('Exported the audit log').first().waitFor();
  // on a phone the row's expand control is in words at its card's foot (not a lone "+")
  await s.page.getByRole('button', { name: 'Show details' }).first().click();
  await s.page.getByRole('button', { name: 'Hide details' }).first().waitFor();
  // the export's "after" in words: its filter, the rows and whether it was cut short
  await s.page.getByText('Truncated', { exact: true }).first().waitFor();
  await s.page.getByText('Truncated', { exact: true }).first().scrollIntoViewIfNeeded();
  await shot(s.page, 'pages-audit-changes-en-390');
  await noSidewaysOverflow(s.page, 'audit 390');
  // the action filter's list, wider than its box, stays on the screen
  await s.page.getByLabel('Action', { exact: true }).click();
  await s.page.locator('.ant-select-item-option').first().waitFor();
  await noSidewaysOverflow(s.page, 'audit 390, action list open');
  const right = await s.page
    .locator('.ant-select-dropdown:visible')
    .evaluate((e) => e.getBoundingClientRect().right);
  assert.ok(right <= 390, `the list ends at ${right}px in a 390px window`);
  await shot(s.page, 'pages-audit-action-filter-en-390');
  await s.page.keyboard.press('Escape');
  // The operator filter's hint is read whole (it was cut: "Username or na").
  const [need, room] = await s.page.locator('input#actor').evaluate((el: HTMLInputElement) => {
    const cs = getComputedStyle(el);
    const ctx = document.createElement('canvas').getContext('2d');
    if (!ctx) return [0, 0];
    ctx.font = `${cs.fontSize} ${cs.fontFamily}`;
    return [
      ctx.measureText(el.placeholder).width,
      el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
    ];
  });
  assert.ok(need > 0 && need <= room, `placeholder ${need}px in ${room}px`);
  await shot(s.page, 'pages-audit-en-390');
  // a phone's card has the room for a long reason: read whole, not cut to two lines
  await s.page.locator('input#actor').fill('clerk');
  await s.page.getByRole('button', { name: 'Search' }).click();
  const long = s.page.locator('.ant-table-tbody .audit-reason').filter({ hasText: /.{40}/ }).first();
  await long.scrollIntoViewIfNeeded();
  const [shown, whole] = await long.evaluate((e) => [e.clientHeight, e.scrollHeight]);
  assert.ok(shown >= whole && shown > 22, `the reason shows ${shown} of ${whole} px`);
  await noSidewaysOverflow(s.page, 'audit 390, long reasons');
  await shot(s.page, 'pages-audit-reason-en-390');
  assertNoErrors(s, 'audit en');
  await s.context.close();
});
