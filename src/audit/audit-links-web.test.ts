// Where the audit log (审计日志, web/src/pages/agency/audit-links.ts) links an entry: a payment's entry
// (allocated, reversed, refunded, held again) opens the payment's own page, 缴费到账记录 — it linked the
// bill the entry named, so the supervisor reading "冲正缴费" landed on a bill and had to find the
// receipt again. Every record page it names is a page of the app.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditEntryPath, RECORD_PAGES } from '../../web/src/pages/agency/audit-links.ts';

const entry = (entityType: string, entityId: string | null, subjectPersonId: number | null = null) => ({
  entityType,
  entityId,
  subjectName: subjectPersonId === null ? null : '张三',
  subjectPersonId,
});
const all = () => true;

test('an entry on a payment links to the payment’s page (/agency/receipts/:id), not the bill it names', () => {
  assert.equal(auditEntryPath(entry('contribution_payment', '42', 7), all), '/agency/receipts/42');
  assert.equal(auditEntryPath(entry('contribution_bill', '9'), all), '/agency/bills/9');
});

test('a page the user cannot open is no link: then the person it concerns, else none', () => {
  const noReceipts = (pattern: string) => pattern !== '/agency/receipts/:id';
  assert.equal(auditEntryPath(entry('contribution_payment', '42', 7), noReceipts), '/agency/persons/7');
  assert.equal(auditEntryPath(entry('contribution_payment', '42'), noReceipts), null);
  // an id that is not a record number opens nothing
  assert.equal(auditEntryPath(entry('contribution_payment', 'import-3'), all), null);
});

test('every record page the audit log links to is a page of the app', () => {
  const pages = readFileSync(join(import.meta.dirname, '../../web/src/pages.tsx'), 'utf8');
  for (const pattern of Object.values(RECORD_PAGES))
    assert.ok(pages.includes(`path: '${pattern}'`), `${pattern} is not in web/src/pages.tsx`);
});
