// Which words a submitted code reads as on the approval's page (/agency/approvals/:id): the texts other
// pages already give it (a fund's name, a plan's kind, a reversal's reason), chosen by the approval's
// kind and the field's name. The page showed employee_pension and instalments raw on a Chinese page.
// Each list of codes is the server's own where it has one (the work-injury codes with their words, the
// reversal kinds, the staff roles, a supervision decision's fund and plan), so a code the server adds is here at once;
// src/approval/approval-fields-web.test.ts holds each listed code to its words in both languages.
import { STAFF_ROLES } from '../../../../src/auth/actor.ts';
import { REVERSAL_KINDS, REVERSAL_MONEY } from '../../../../src/contributions/reversal.rules.ts';
import {
  BENEFIT_KINDS,
  BENEFIT_PAYERS,
  BENEFIT_STATUSES,
  DEPENDENT_RELATIONS,
  NURSING_LEVELS,
  RECOGNITION_OUTCOMES,
} from '../../../../src/injury/injury-codes.rules.ts';
import { PLAN_KINDS, RECOVERY_FUNDS } from '../../../../src/supervision/case-codes.ts';

export interface ValueCodes {
  /** the approval kind the field belongs to; '*' for any kind */
  kind: string;
  /** the field's name; a nested one as parent.name (plan.kind), the result's as result.name */
  field: string;
  /** the catalogue prefix: the words of value v are `${prefix}.${v}` */
  prefix: string;
  /** every value the server writes there */
  values: readonly string[];
}

export const VALUE_CODES: readonly ValueCodes[] = [
  { kind: '*', field: 'reasonKind', prefix: 'reversal.kind', values: REVERSAL_KINDS },
  { kind: '*', field: 'money', prefix: 'reversal.money', values: REVERSAL_MONEY },
  { kind: '*', field: 'role', prefix: 'role', values: STAFF_ROLES },
  { kind: '*', field: 'fromRole', prefix: 'role', values: STAFF_ROLES },
  { kind: '*', field: 'fund', prefix: 'fund', values: RECOVERY_FUNDS },
  { kind: '*', field: 'planKind', prefix: 'sv.plan', values: PLAN_KINDS },
  { kind: '*', field: 'plan.kind', prefix: 'sv.plan', values: PLAN_KINDS },
  { kind: '*', field: 'decision', prefix: 'approvalPage.value.decision', values: ['approve', 'reject'] },
  { kind: '*', field: 'outcome', prefix: 'injury.status', values: RECOGNITION_OUTCOMES },
  { kind: '*', field: 'nursingLevel', prefix: 'injury.nursing', values: NURSING_LEVELS },
  { kind: '*', field: 'payerKind', prefix: 'billPage.payer', values: ['employer', 'flexible', 'resident'] },
  { kind: '*', field: 'dependents.relation', prefix: 'injury.relation', values: DEPENDENT_RELATIONS },
  { kind: '*', field: 'payer.kind', prefix: 'approvalPage.value.payer', values: ['person', 'employer'] },
  { kind: 'payment.reverse', field: 'status', prefix: 'return.status', values: ['matched', 'unallocated'] },
  { kind: 'recovery.collect', field: 'kind', prefix: 'recovery.collect', values: ['repayment', 'offset'] },
  { kind: 'injury-benefit', field: 'kind', prefix: 'injury.benefit', values: BENEFIT_KINDS },
  { kind: 'injury-benefit', field: 'payer', prefix: 'injury.payer', values: BENEFIT_PAYERS },
  {
    kind: 'injury-benefit',
    field: 'result.status',
    prefix: 'injury.benefitStatus',
    values: BENEFIT_STATUSES,
  },
  {
    kind: 'injury-recognition',
    field: 'result.status',
    prefix: 'injury.status',
    values: RECOGNITION_OUTCOMES,
  },
  { kind: 'unemployment.grant', field: 'kind', prefix: 'ue.grants.kind', values: ['subsidy', 'migrant'] },
  {
    kind: 'injury-payroll',
    field: 'status',
    prefix: 'approvalPage.value.runStatus',
    values: ['not_started', 'running', 'done'],
  },
  {
    kind: 'payroll.run',
    field: 'result.status',
    prefix: 'payroll.status',
    values: ['running', 'done', 'failed'],
  },
  {
    kind: 'supervision.decide',
    field: 'result.status',
    prefix: 'sv.status',
    values: ['recovering', 'closed'],
  },
  {
    kind: 'unemployment.claim',
    field: 'result.status',
    prefix: 'approvalPage.value.decided',
    values: ['approved', 'rejected'],
  },
  // what the other releases answer: a status or a kind the result names (the kinds' execute())
  {
    kind: 'injury-payroll',
    field: 'result.status',
    prefix: 'approvalPage.value.runStatus',
    values: ['not_started', 'running', 'done'],
  },
  {
    kind: 'unemployment.payroll',
    field: 'result.status',
    prefix: 'payroll.status',
    values: ['running', 'done', 'failed'],
  },
  { kind: 'bill.cancel', field: 'result.status', prefix: 'bills.status', values: ['cancelled'] },
  {
    kind: 'payment.reverse',
    field: 'result.status',
    prefix: 'billPage.status',
    values: ['unallocated', 'reversed'],
  },
  { kind: 'payment.allocate', field: 'result.status', prefix: 'billPage.status', values: ['matched'] },
  {
    kind: 'recovery.collect',
    field: 'result.kind',
    prefix: 'recovery.collect',
    values: ['repayment', 'offset'],
  },
  {
    kind: 'unemployment.grant',
    field: 'result.status',
    prefix: 'ue.grants.status',
    values: ['paid', 'rejected'],
  },
  {
    kind: 'skill-subsidy.decide',
    field: 'result.status',
    prefix: 'skill.status',
    values: ['paid', 'rejected'],
  },
];

/**
 * A field whose name means another thing in one kind, labelled by its own key there: an injury
 * benefit's payer is who pays the benefit (the work-injury fund or the employer), not a bill's payer
 * (缴费人), which the page said.
 */
export const KIND_FIELD_LABELS: ReadonlyArray<{ kind: string; field: string; label: string }> = [
  { kind: 'injury-benefit', field: 'payer', label: 'benefitPayer' },
];

/** The catalogue key of a field's label in an approval of this kind. */
export function fieldLabelKey(kind: string, field: string): string {
  const own = KIND_FIELD_LABELS.find((f) => f.kind === kind && f.field === field);
  return `approvalPage.field.${own?.label ?? field}`;
}

/**
 * The catalogue prefix of the codes in a field of an approval of this kind, or null (not a code). A
 * nested field without its own entry reads as the same name at the top (the result's role is a role).
 */
export function valuePrefix(kind: string, field: string): string | null {
  const own = VALUE_CODES.find((c) => c.kind === kind && c.field === field);
  const name = field.slice(field.lastIndexOf('.') + 1);
  const any = (f: string) => VALUE_CODES.find((c) => c.kind === '*' && c.field === f);
  return (own ?? any(field) ?? any(name))?.prefix ?? null;
}
