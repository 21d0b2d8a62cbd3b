// Every field name a prepared action can hold (src/approval/approval-fields.ts, which prepare() is typed
// by) has a label in both languages on the approval's page, and every code it lists has its words: the
// demo city's supervision decision showed planKind, fineMultiplierPct, employee_pension and instalments
// raw on the Chinese page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APPROVAL_FIELDS, FIELDS_NOT_SHOWN, type ApprovalFieldName } from './approval-fields.ts';
import type { BillService } from '../contributions/bill.service.ts';
import type { JointAllocationResult } from '../contributions/held-receipt.service.ts';
import type { PaymentService } from '../contributions/payment.service.ts';
import type { InjuryBenefitService } from '../injury/injury-benefit.service.ts';
import type { InjuryPayrollSummary } from '../injury/injury-payroll.job.ts';
import type { RecognitionService } from '../injury/injury-recognition.service.ts';
import type { AdjustmentResult } from '../pension/adjustment.job.ts';
import type { RestoreResult } from '../pension/award.service.ts';
import type { DeathResult } from '../pension/death.service.ts';
import type { PayrollSummary } from '../pension/payroll.job.ts';
import type { BenefitPayrollSummary } from '../unemployment/benefit-payroll.job.ts';
import type { DeathGrantResult } from '../unemployment/unemployment-grants.rules.ts';
import { STAFF_ROLES } from '../auth/actor.ts';
import { REVERSAL_KINDS, REVERSAL_MONEY } from '../contributions/reversal.rules.ts';
import {
  BENEFIT_KINDS,
  BENEFIT_PAYERS,
  DEPENDENT_RELATIONS,
  NURSING_LEVELS,
  RECOGNITION_OUTCOMES,
} from '../injury/injury-codes.rules.ts';
import { PLAN_KINDS, RECOVERY_FUNDS } from '../supervision/case-codes.ts';
import { en } from '../../web/src/i18n/en.ts';
import { zhCN } from '../../web/src/i18n/zh-CN.ts';
import {
  fieldLabelKey,
  KIND_FIELD_LABELS,
  VALUE_CODES,
  valuePrefix,
} from '../../web/src/pages/agency/approval-values.ts';

const zh: Readonly<Record<string, string>> = zhCN;
const english: Readonly<Record<string, string>> = en;
const hasChinese = (s: string | undefined): boolean => /[\u4e00-\u9fff]/.test(s ?? '');
const inWords = (key: string): boolean => hasChinese(zh[key]) && !!english[key] && !hasChinese(english[key]);

test('each field an approval can hold has a label in Chinese and in English', () => {
  const missing = [
    ...APPROVAL_FIELDS.filter((k) => !FIELDS_NOT_SHOWN.includes(k)).map((k) => `approvalPage.field.${k}`),
    ...KIND_FIELD_LABELS.map((f) => fieldLabelKey(f.kind, f.field)),
  ].filter((key) => !inWords(key));
  assert.deepEqual(missing, [], 'fields shown by their raw name');
});

test('each code an approval field can hold reads in words in both languages', () => {
  const missing = VALUE_CODES.flatMap((c) =>
    c.values.map((v) => `${c.prefix}.${v}`).filter((key) => !inWords(key)),
  );
  assert.deepEqual(missing, [], 'codes shown raw');
});

test('the codes are named for fields an approval can hold', () => {
  const fields = new Set<string>([...APPROVAL_FIELDS, 'result']);
  const unknown = [...VALUE_CODES, ...KIND_FIELD_LABELS].filter(
    (c) => !c.field.split('.').every((part) => fields.has(part)),
  );
  assert.deepEqual(unknown, []);
});

/** The names in T, and in the objects and lists of objects it holds, that approval-fields.ts does not list. */
type Unlisted<T> = T extends string | number | boolean
  ? never
  : T extends readonly (infer E)[]
    ? Unlisted<E>
    : T extends object
      ? Exclude<keyof T, ApprovalFieldName> | { [K in keyof T]-?: Unlisted<NonNullable<T[K]>> }[keyof T]
      : never;
/** What the releases answer, by the types their execute() resolves to (src/approval-kinds.ts). */
type Results =
  | Awaited<ReturnType<RecognitionService['decide']>>
  | Awaited<ReturnType<InjuryBenefitService['decideBenefit']>>
  | InjuryPayrollSummary
  | Awaited<ReturnType<BillService['cancelBill']>>
  | Awaited<ReturnType<PaymentService['reversePayment']>>
  | JointAllocationResult
  | PayrollSummary
  | AdjustmentResult
  | DeathResult
  | RestoreResult
  | BenefitPayrollSummary
  | DeathGrantResult;
// A release's result is shown by its names: one not listed (so without a label) does not compile here.
const everyResultNameListed: [Unlisted<Results>] extends [never] ? true : Unlisted<Results> = true;

test('every name a release answers is listed, so its result is labelled', () => {
  assert.equal(everyResultNameListed, true);
});

test('the approval page reads the server’s code lists, not a copy of them', () => {
  const listOf = (kind: string, field: string) =>
    VALUE_CODES.find((c) => c.kind === kind && c.field === field)?.values;
  // the same arrays: a code the server adds is listed, and held to its words, at once
  assert.equal(listOf('injury-benefit', 'kind'), BENEFIT_KINDS);
  assert.equal(listOf('injury-benefit', 'payer'), BENEFIT_PAYERS);
  assert.equal(listOf('*', 'outcome'), RECOGNITION_OUTCOMES);
  assert.equal(listOf('*', 'nursingLevel'), NURSING_LEVELS);
  assert.equal(listOf('*', 'dependents.relation'), DEPENDENT_RELATIONS);
  assert.equal(listOf('*', 'reasonKind'), REVERSAL_KINDS);
  assert.equal(listOf('*', 'money'), REVERSAL_MONEY);
  assert.equal(listOf('*', 'role'), STAFF_ROLES);
  assert.equal(listOf('*', 'fund'), RECOVERY_FUNDS);
  assert.equal(listOf('*', 'plan.kind'), PLAN_KINDS);
  // a benefit's nursing level inside its inputs reads as the injury pages say it
  assert.equal(valuePrefix('injury-benefit', 'inputs.nursingLevel'), 'injury.nursing');
});

test('an injury benefit’s payer reads as who pays it (支付方), a bill’s as who paid it (缴费人)', () => {
  assert.equal(zh[fieldLabelKey('injury-benefit', 'payer')], '支付方');
  assert.equal(english[fieldLabelKey('injury-benefit', 'payer')], 'Paid by');
  assert.equal(zh[fieldLabelKey('payment.reverse', 'payer')], '缴费人');
  assert.equal(zh[`${valuePrefix('injury-benefit', 'payer')}.employer`], '用人单位');
});
