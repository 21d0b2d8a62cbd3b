// The refund scan's access in the browser (sec-walk, wave 3): the scan covers every employer, so the
// page offers 启动扫描 only to staff whose region covers them all (the city's clerk in the demo); a
// reviewer or a supervisor reads the batch without the button. The clerk starts a year not scanned yet
// and follows the background job's progress to its end.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { today } from '../src/core/clock.ts';
import { BASE, launch, login, newPage, shot } from './support.ts';

let browser: Browser;
let page: Page;
// The demo scanned last year; the year before is not scanned yet.
const YEAR = Number(today().slice(0, 4)) - 2;

async function as(username: string): Promise<void> {
  if (page) await page.context().close();
  page = (await newPage(browser)).page;
  await login(page, username);
  await page.waitForURL(/\/agency\/.+/);
}

async function openYear(): Promise<void> {
  await page.goto(`${BASE}/agency/refunds`);
  await page.getByRole('heading', { name: '稳岗返还批次' }).waitFor();
  const year = page.getByLabel('返还年度');
  await year.fill(String(YEAR));
  await year.press('Enter');
  await page.getByText('该年度尚未比对').first().waitFor();
}

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

test('a reviewer and a supervisor read the unscanned year without a scan button', async () => {
  for (const who of ['reviewer', 'supervisor']) {
    await as(who);
    await openYear();
    assert.equal(await page.getByRole('button', { name: '启动年度比对' }).count(), 0, who);
    await shot(page, `wave3-refund-scan-${who}`);
  }
});

test('the city’s clerk starts the scan and follows its progress to the end', async () => {
  await as('clerk');
  await openYear();
  const start = page.getByRole('button', { name: '启动年度比对' });
  await start.waitFor();
  // The clerk was told to "运行 shebao unemployment refunds --year 2024", a command line.
  assert.doesNotMatch(await page.locator('#main').innerText(), /shebao|--year/);
  await shot(page, 'wave3-refund-scan-clerk');
  await start.click();
  await page.getByText(`${YEAR}年度比对完成`).first().waitFor({ timeout: 120_000 });
  await shot(page, 'wave3-refund-scan-done');
});
