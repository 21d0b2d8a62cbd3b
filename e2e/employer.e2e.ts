// Employer: log in → staff list → add a staff member (bad input first) → see them → stop them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { addDays, addMonths, firstDayOfMonth } from '../src/core/dates.ts';
import { agencyToday, apiAs, freshIdNumber, futureRefused, launch, login, newPage, shot } from './support.ts';

let browser: Browser;
let page: Page;
let newcomer: { id: number; name: string; idNumber: string };

before(async () => {
  // The agency registers the newcomer first (an employer cannot search the registry).
  const clerk = await apiAs('clerk');
  newcomer = (await clerk('POST', '/api/v1/persons', {
    idNumber: freshIdNumber(),
    name: '新职工测试',
    region: '341802',
  })) as typeof newcomer;
  browser = await launch();
  page = (await newPage(browser)).page;
  await login(page, 'employer');
  await page.getByRole('heading', { name: '职工名册' }).waitFor();
});
after(async () => {
  await browser.close();
});

/**
 * The day picker's window is the server's (registry/employer-backdating-months, 1 in the demo): the hint
 * names its first day, the calendar offers it and refuses the day before.
 */
async function windowFollowed(dialog: Locator, field: Locator, where: string): Promise<void> {
  const earliest = firstDayOfMonth(addMonths(await agencyToday(page), -1));
  const [y, m] = earliest.split('-').map(Number);
  // the day in words, as the picker beside it writes days
  await dialog.getByText(`最早为 ${y}年${m}月1日（上月1日）`).waitFor();
  await field.click();
  const open = page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)');
  const cell = (day: string) => open.locator(`td[title="${day}"]`);
  await open.locator('td').first().waitFor();
  // back to the earliest's month; the day before shows among its panel's leading days or one further back
  for (let i = 0; i < 3 && (await cell(`${earliest.slice(0, 7)}-15`).count()) === 0; i++)
    await open.locator('.ant-picker-header-prev-btn').click();
  const disabled = (day: string) =>
    cell(day).evaluate((td) => td.classList.contains('ant-picker-cell-disabled'));
  assert.equal(await disabled(earliest), false, `${where}: ${earliest} is offered`);
  const before = addDays(earliest, -1);
  if ((await cell(before).count()) === 0) await open.locator('.ant-picker-header-prev-btn').click();
  assert.equal(await disabled(before), true, `${where}: ${before} is refused`);
  await page.keyboard.press('Escape');
}

test('staff list shows the current staff with masked ID numbers', async () => {
  await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
  const id = await page.locator('.ant-table-tbody tr.ant-table-row td').nth(1).innerText();
  assert.match(id, /^\d{4}\*+[\dX]{4}$/, `masked: ${id}`);
  await shot(page, 'employer-staff');
});

test('adding staff validates the form, then enrols the newcomer', async () => {
  await page.getByRole('button', { name: '增员' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  // Bad input: no person, a wage that is not an amount.
  const wage = dialog.getByLabel('月工资（元）');
  await wage.fill('abc');
  await dialog.getByRole('button', { name: '确认增员' }).click();
  await dialog.getByText('请输入金额（元），最多两位小数').waitFor();
  // a comma out of place is not read as another amount (12,34 is not 1,234 yuan); fen at most
  await wage.fill('12,34');
  await dialog.getByText('请输入金额（元），最多两位小数').waitFor();
  await wage.fill('6500.005');
  await dialog.getByText('金额最多两位小数（精确到分）').waitFor();
  // the dialog is open and settled now: a calendar opened during its animation closed again
  await windowFollowed(dialog, dialog.getByLabel('入职日期'), 'start date');
  // The newcomer is named by ID number and name, which must match the registry: a wrong name gets
  // one answer that reveals nothing about whoever holds the number.
  await dialog.getByLabel('公民身份号码').fill(newcomer.idNumber);
  await dialog.getByLabel('姓名').fill('不对的名字');
  // typed without separators, shown with them once left (the box kept 6500)
  await wage.fill('6500');
  await wage.blur();
  assert.equal(await wage.inputValue(), '6,500.00');
  await dialog.getByRole('button', { name: '确认增员' }).click();
  await dialog.getByText(/身份证号码与姓名与登记信息不符/).waitFor();
  assert.equal(await dialog.getByText(newcomer.name).count(), 0);
  await dialog.getByLabel('姓名').fill(newcomer.name);
  await dialog.getByLabel('公民身份号码').fill(newcomer.idNumber);
  await shot(page, 'employer-add-staff');
  await dialog.getByRole('button', { name: '确认增员' }).click();
  await page.getByText(/增员成功/).waitFor();
  await page.getByRole('cell', { name: newcomer.name, exact: true }).waitFor();
  const row = page.locator('tr', { has: page.getByRole('cell', { name: newcomer.name, exact: true }) });
  assert.match(await row.innerText(), /¥6,500\.00/);
});

test('stopping the newcomer asks for a reason and ends the employment', async () => {
  await page.getByRole('button', { name: `为${newcomer.name}办理减员` }).click();
  const dialog = page.getByRole('dialog', { name: `减员：${newcomer.name}` });
  await dialog.waitFor();
  // the server refuses an end after today: the picker offers none
  await futureRefused(page, dialog.getByLabel('离职日期'), 'end date');
  await windowFollowed(dialog, dialog.getByLabel('离职日期'), 'end date');
  await dialog.getByRole('button', { name: '确认减员' }).click();
  await page.getByText(`已为${newcomer.name}办理减员`).waitFor();
  // Gone from the current staff; still listed (as ended) among former staff.
  await page.getByRole('cell', { name: newcomer.name, exact: true }).waitFor({ state: 'detached' });
  await page.getByRole('checkbox', { name: '显示已离职人员' }).check();
  await page
    .getByText(/日离职（/)
    .first()
    .waitFor();
  // Each ended tag stays inside its cell (a long reason ran over the 操作 column).
  const over = await page
    .locator('td .ant-tag')
    .evaluateAll((tags) =>
      tags
        .filter(
          (t) => t.getBoundingClientRect().right > (t.closest('td')?.getBoundingClientRect().right ?? 0) + 1,
        )
        .map((t) => t.textContent),
    );
  assert.deepEqual(over, [], 'tags over their cell');
  await shot(page, 'employer-staff-ended');
});
