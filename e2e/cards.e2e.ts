// Cards (issue 14): the citizen shows the e-card QR code → the public terminal page accepts it →
// the citizen reports the card lost → the next code is refused (revoked) at the terminal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertFitsPhone, PHONE } from './phone-support.ts';
import { BASE, datesBroken, launch, login, newPage, shot, tablesCut } from './support.ts';

let browser: Browser;
let citizen: Page;
let terminal: Page;
let firstToken = '';
let nextToken = '';

before(async () => {
  browser = await launch();
  citizen = (await newPage(browser)).page;
  terminal = (await newPage(browser)).page;
  await login(citizen, 'citizen');
  await citizen.getByRole('heading', { name: '我的参保' }).waitFor();
});
after(async () => {
  await browser.close();
});

async function scan(token: string): Promise<string> {
  await terminal.getByTestId('terminal-token').fill(token);
  await terminal.getByRole('button', { name: '验码' }).click();
  const result = terminal.getByTestId('terminal-result');
  await result.waitFor();
  return result.innerText();
}

test('the citizen shows the e-card QR code of an activated card', async () => {
  await citizen.getByRole('menuitem', { name: '我的社保卡' }).click();
  await citizen.getByRole('heading', { name: '我的社保卡' }).waitFor();
  assert.equal(await citizen.getByTestId('card-status').innerText(), '已启用');
  await citizen.getByTestId('ecard-qr').waitFor();
  firstToken = (await citizen.getByTestId('ecard-token').textContent()) ?? '';
  assert.match(firstToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  await citizen.getByText('变更记录').waitFor();
  await shot(citizen, 'cards-citizen-ecard');
  // On a phone: the e-card first, then the card, its actions and the bank account's form.
  await citizen.setViewportSize(PHONE);
  await assertFitsPhone(citizen, 'my card 390');
  // the bank account's boxes named by labels on the screen (they had placeholders only, gone once typing starts)
  for (const name of ['开户银行（合作银行）', '银行账号（16至19位数字）']) {
    assert.equal(await citizen.getByLabel(name).getAttribute('placeholder'), null, name);
    assert.ok(await citizen.locator('#main label', { hasText: name }).isVisible(), `${name}: a label shown`);
  }
  await shot(citizen, 'cards-citizen-ecard-390');
  await citizen.getByLabel('银行账号（16至19位数字）').scrollIntoViewIfNeeded();
  await shot(citizen, 'cards-citizen-bank-390');
  await citizen.evaluate(() => window.scrollTo(0, 0));
});

test('the public terminal page (no login) accepts the code once, and refuses it the second time', async () => {
  // The keys refused (a 503 from the server or a proxy): the terminal says so in words and verifies
  // nothing, and 重新下载 brings them (the refusal's body was read as the keys and the page went blank).
  await terminal.route('**/api/v1/ecard/jwks', (r) =>
    r.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"X","message":"x"}}' }),
  );
  await terminal.goto(`${BASE}/terminal`);
  await terminal.getByRole('heading', { name: '用卡终端模拟器' }).waitFor();
  await terminal.getByRole('alert').filter({ hasText: '无法下载公钥或挂失名单快照' }).waitFor();
  await terminal.getByTestId('terminal-token').fill('x.y.z');
  assert.equal(
    await terminal.getByRole('button', { name: '验码' }).isDisabled(),
    true,
    'no keys: 验码 disabled',
  );
  await terminal.unroute('**/api/v1/ecard/jwks');
  await terminal.getByRole('button', { name: '重新下载公钥和快照' }).click();
  await terminal.getByRole('alert').filter({ hasText: '无法下载' }).waitFor({ state: 'detached' });
  await terminal.getByText('公交闸机', { exact: true }).click();
  await terminal.waitForFunction(
    () => document.querySelector('[data-testid="terminal-keys"]')?.textContent !== '—',
  );
  const ok = await scan(firstToken);
  assert.match(ok, /验码通过/, ok);
  // the issuing region by name (the code said 341800), the snapshot's time in words, not ISO
  assert.match(ok, /发卡地 宣城市/, ok);
  const setup = await terminal
    .locator('.ant-card', { has: terminal.locator('.ant-card-head-title', { hasText: '终端设置' }) })
    .locator('.ant-descriptions')
    .innerText();
  assert.match(setup, /张卡，生成于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}/, setup);
  await shot(terminal, 'cards-terminal-accepted');
  const again = await scan(firstToken);
  assert.match(again, /重复使用/, again);
  assert.doesNotMatch(again, /replayed/, again);
  // a terminal is often a phone at the gate: the page and its answer fit one, in both languages
  await terminal.setViewportSize(PHONE);
  await assertFitsPhone(terminal, 'terminal 390');
  await shot(terminal, 'cards-terminal-390');
  await terminal.getByRole('button', { name: 'English' }).click();
  await terminal.getByRole('heading', { name: 'Card terminal simulator' }).waitFor();
  await assertFitsPhone(terminal, 'terminal 390 (en)');
  await shot(terminal, 'cards-terminal-390-en');
  await terminal.getByRole('button', { name: '中文' }).click();
  await terminal.setViewportSize({ width: 1280, height: 800 });
});

test('the citizen reports the card lost; the next code is refused at the terminal', async () => {
  await citizen.getByRole('button', { name: '刷新' }).click();
  await citizen.waitForFunction(
    (old) => document.querySelector('[data-testid="ecard-token"]')?.textContent !== old,
    firstToken,
  );
  nextToken = (await citizen.getByTestId('ecard-token').textContent()) ?? '';
  assert.notEqual(nextToken, firstToken);
  await citizen
    .getByRole('button', { name: '挂 失' })
    .or(citizen.getByRole('button', { name: '挂失' }))
    .first()
    .click();
  // reported on the phone: the question and its buttons on the screen
  await assertFitsPhone(citizen, 'report loss 390', '.ant-popover');
  await citizen.locator('.ant-popconfirm').getByRole('button', { name: '挂失' }).click();
  await citizen.getByTestId('card-status').filter({ hasText: '临时挂失' }).waitFor();
  await citizen.getByText('电子社保卡暂不可用').waitFor();
  await assertFitsPhone(citizen, 'lost card 390');
  await shot(citizen, 'cards-citizen-lost-390');
  await citizen.setViewportSize({ width: 1280, height: 800 });
  // the issuing region by name and the block's end in words (the card said 341800 and 2026-12-11)
  const card = await citizen.locator('main').innerText();
  assert.doesNotMatch(card, /\b341800\b|\d{4}-\d{2}-\d{2}/, card);
  await shot(citizen, 'cards-citizen-lost');

  // The scan waits for the new snapshot (the lost card in it, a new time on it), not for a fixed pause.
  const snapshot = terminal.getByText(/张卡，生成于/);
  const loaded = await snapshot.innerText();
  await terminal.getByRole('button', { name: '重新下载公钥和快照' }).click();
  await snapshot.filter({ hasNotText: loaded }).waitFor();
  const refused = await scan(nextToken);
  assert.match(refused, /拒绝\s*挂失或注销/, refused);
  assert.match(refused, /此卡已挂失或注销/, refused);
  assert.doesNotMatch(refused, /revoked/, refused);
  await shot(terminal, 'cards-terminal-refused');
});

test('the employer applies for its staff in one batch; the agency sees the applications and produces a card', async () => {
  const employer = (await newPage(browser)).page;
  await login(employer, 'employer');
  await employer.getByRole('menuitem', { name: '批量申领社保卡' }).click();
  await employer.getByRole('button', { name: '为在职职工批量申领' }).click();
  await employer.getByText(/批次 \d+：已为 \d+ 名职工申领/).waitFor();
  await shot(employer, 'cards-employer-batch');
  await employer.setViewportSize(PHONE);
  await assertFitsPhone(employer, 'card batch 390');
  await shot(employer, 'cards-employer-batch-390');
  const clerk = (await newPage(browser)).page;
  await login(clerk, 'clerk');
  await clerk.getByRole('menuitem', { name: '社保卡登记簿' }).click();
  await clerk.getByRole('heading', { name: '社保卡登记簿' }).waitFor();
  await clerk.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
  // the issuing region by name, not its code
  await clerk.locator('.ant-table-tbody tr.ant-table-row').first().getByText('宣城市').waitFor();
  const register = clerk.locator('.ant-table', { has: clerk.locator('th', { hasText: '社会保障卡卡号' }) });
  assert.doesNotMatch(await register.locator('.ant-table-tbody').innerText(), /\b341800\b/);
  await shot(clerk, 'cards-agency-register');
  // the register on a clerk's phone: the search, the batches and each card with its step
  await clerk.setViewportSize(PHONE);
  await assertFitsPhone(clerk, 'card register 390');
  await shot(clerk, 'cards-agency-register-390');
  const [produced] = await Promise.all([
    clerk.waitForResponse((r) => r.url().endsWith('/production') && r.request().method() === 'POST'),
    clerk.locator('.ant-table-tbody tr.ant-table-row').first().getByRole('button', { name: '制卡' }).click(),
  ]);
  assert.equal(produced.status(), 200, await produced.text());
});

test('the clerk registers a terminal of the city in the register of card terminals; the demo’s terminals are there, and a retired one says since when', async () => {
  const clerk = (await newPage(browser)).page;
  await login(clerk, 'clerk');
  await clerk.getByRole('menuitem', { name: '用卡终端登记' }).click();
  await clerk.getByRole('heading', { name: '用卡终端登记' }).waitFor();
  // the demo city's terminals, by name, kind and region in words
  const bus = clerk.locator('.ant-table-tbody tr', { hasText: 'XC-BUS-0001' });
  await bus.getByText('宣城公交1路 车载刷卡闸机').waitFor();
  await bus.getByText('公交闸机', { exact: true }).waitFor();
  await bus.getByText('宣城市', { exact: true }).waitFor();
  await bus.getByText('在用', { exact: true }).waitFor();
  const id = `XC-E2E-${Date.now() % 1_000_000}`;
  await clerk.getByLabel('终端编号').fill(id);
  await clerk.getByLabel('名称（地点）').fill('宣城市社保中心 一楼经办窗口');
  await clerk
    .getByRole('button', { name: '登 记' })
    .or(clerk.getByRole('button', { name: '登记' }))
    .first()
    .click();
  await clerk.getByText(`已登记终端 ${id}`).first().waitFor();
  // the terminal's upload key, shown this once with a copy button; the row names its issue day
  const firstKey = await clerk.getByTestId('terminal-key').innerText();
  assert.match(firstKey.trim(), /^sbt_[0-9a-f]{10}_[A-Za-z0-9_-]{43}$/);
  await clerk.getByTestId('terminal-key').locator('.ant-typography-copy').waitFor();
  const fresh = clerk.locator('.ant-table-tbody tr', { hasText: id });
  await fresh.getByText(/\d{4}年\d{1,2}月\d{1,2}日发放/).waitFor();
  await shot(clerk, 'cards-agency-terminals-key');
  // a new key, confirmed first, the old one kept until the terminal uses the new one: another key
  // shown, the first one gone from the page, the row saying until when the old key opens
  await fresh.getByRole('button', { name: '更换密钥' }).click();
  const confirm = clerk.locator('.ant-popconfirm');
  await confirm.getByText('立即停用（密钥可能泄露、设备丢失）').waitFor();
  await confirm.getByText('保留至终端首次使用新密钥', { exact: false }).click();
  await shot(clerk, 'cards-agency-terminals-key-choice');
  await confirm.getByRole('button', { name: '更换密钥' }).click();
  await clerk.getByText(`已为终端 ${id} 发放新的上传密钥；旧密钥有效至`, { exact: false }).waitFor();
  await fresh
    .getByTestId('terminal-old-key')
    .getByText(/^旧密钥有效至 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/)
    .waitFor();
  const secondKey = await clerk.getByTestId('terminal-key').innerText();
  assert.notEqual(secondKey.trim(), firstKey.trim());
  assert.ok(!(await clerk.locator('body').innerText()).includes(firstKey.trim()));
  await shot(clerk, 'cards-agency-terminals-key-overlap');
  // the same id again: refused naming the terminal id, in words
  await clerk.getByLabel('终端编号').fill(id);
  await clerk.getByLabel('名称（地点）').fill('重复');
  await clerk
    .getByRole('button', { name: '登 记' })
    .or(clerk.getByRole('button', { name: '登记' }))
    .first()
    .click();
  await clerk.getByText('这个终端编号已经登记过').first().waitFor();
  const row = clerk.locator('.ant-table-tbody tr', { hasText: id });
  await row
    .getByRole('button', { name: '停 用' })
    .or(row.getByRole('button', { name: '停用' }))
    .first()
    .click();
  await clerk.locator('.ant-popconfirm').getByRole('button', { name: '停用' }).click();
  await row.getByText(/\d{4}年\d{1,2}月\d{1,2}日停用/).waitFor();
  const table = await clerk
    .locator('.ant-table', { has: clerk.locator('th', { hasText: '终端编号' }) })
    .locator('.ant-table-tbody')
    .innerText();
  assert.doesNotMatch(table, /\b341800\b|\d{4}-\d{2}-\d{2}|\bbus\b|\blibrary\b/, table);
  assert.deepEqual(await tablesCut(clerk), []);
  assert.deepEqual(await datesBroken(clerk), []);
  // the page from its title (retiring had scrolled it to the row)
  await clerk.getByRole('heading', { name: '用卡终端登记' }).scrollIntoViewIfNeeded();
  await shot(clerk, 'cards-agency-terminals');
  // on a clerk's phone, in English
  await clerk.evaluate(() => localStorage.setItem('shebao.lang', 'en'));
  await clerk.setViewportSize(PHONE);
  await clerk.reload();
  await clerk.getByRole('heading', { name: 'Card terminals' }).waitFor();
  await clerk.getByText('Bus gate').first().waitFor();
  await assertFitsPhone(clerk, 'card terminals 390 (en)');
  await shot(clerk, 'cards-agency-terminals-390-en');
  // a new key for the demo's bus gate on the phone: confirmed, then shown once, wrapped inside the page
  const gate = clerk.locator('.ant-table-tbody tr', { hasText: 'XC-BUS-0001' });
  await gate.getByRole('button', { name: 'New key' }).click();
  await clerk.locator('.ant-popconfirm').getByRole('button', { name: 'New key' }).click();
  await clerk.getByTestId('terminal-key').waitFor();
  await gate.getByText(/^Issued on /).waitFor();
  // and again, the key it now has kept until the gate first uses the next: the row says until when
  await gate.getByRole('button', { name: 'New key' }).click();
  await clerk
    .locator('.ant-popconfirm')
    .getByText('stays valid until the terminal', { exact: false })
    .click();
  await assertFitsPhone(clerk, 'card terminals key choice 390 (en)');
  await clerk.locator('.ant-popconfirm').getByRole('button', { name: 'New key' }).click();
  await gate
    .getByTestId('terminal-old-key')
    .getByText(/^Old key valid until /)
    .waitFor();
  await gate.getByTestId('terminal-old-key').scrollIntoViewIfNeeded();
  await shot(clerk, 'cards-agency-terminals-390-en-old-key');
  await assertFitsPhone(clerk, 'card terminals key 390 (en)');
  await clerk.getByTestId('terminal-key').scrollIntoViewIfNeeded();
  await shot(clerk, 'cards-agency-terminals-390-en-key');
  await clerk.getByText('Retired on', { exact: false }).first().scrollIntoViewIfNeeded();
  await shot(clerk, 'cards-agency-terminals-390-en-list');
  await clerk.evaluate(() => localStorage.setItem('shebao.lang', 'zh-CN'));
});
