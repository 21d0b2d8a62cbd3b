// Which words a submitted code reads as on the approval's page (/agency/approvals/:id): the texts other
// pages already give it (a fund's name, a plan's kind, a reversal's reason), chosen by the approval's
// kind and the field's name. The page showed employee_pension and instalments raw on a Chinese page.
// src/approval/approval-fields-web.test.ts holds each listed code to its words in both languages.

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
  {
    kind: '*',
    field: 'reasonKind',
    prefix: 'reversal.kind',
    values: ['bank_return', 'wrong_bill', 'duplicate', 'keying_error', 'refund'],
  },
  {
    kind: '*',
    field: 'money',
    prefix: 'reversal.money',
    values: ['returnedByBank', 'refunded', 'toHeld', 'withdrawn'],
  },
  {
    kind: '*',
    field: 'role',
    prefix: 'role',
    values: ['clerk', 'reviewer', 'supervisor', 'admin', 'hospital', 'system'],
  },
  {
    kind: '*',
    field: 'fromRole',
    prefix: 'role',
    values: ['clerk', 'reviewer', 'supervisor', 'admin', 'hospital', 'system'],
  },
  {
    kind: '*',
    field: 'fund',
    prefix: 'fund',
    values: ['employee_pension', 'resident_pension', 'unemployment'],
  },
  { kind: '*', field: 'planKind', prefix: 'sv.plan', values: ['lump', 'instalments', 'offset'] },
  { kind: '*', field: 'plan.kind', prefix: 'sv.plan', values: ['lump', 'instalments', 'offset'] },
  { kind: '*', field: 'decision', prefix: 'approvalPage.value.decision', values: ['approve', 'reject'] },
  { kind: '*', field: 'outcome', prefix: 'injury.status', values: ['recognised', 'not_recognised'] },
  { kind: '*', field: 'payerKind', prefix: 'billPage.payer', values: ['employer', 'flexible', 'resident'] },
  {
    kind: '*',
    field: 'dependents.relation',
    prefix: 'approvalPage.value.relation',
    values: ['spouse', 'child', 'parent', 'other'],
  },
  { kind: '*', field: 'payer.kind', prefix: 'approvalPage.value.payer', values: ['person', 'employer'] },
  { kind: 'payment.reverse', field: 'status', prefix: 'return.status', values: ['matched', 'unallocated'] },
  { kind: 'recovery.collect', field: 'kind', prefix: 'recovery.collect', values: ['repayment', 'offset'] },
  {
    kind: 'injury-benefit',
    field: 'kind',
    prefix: 'injury.benefit',
    values: [
      'disability_lump_sum',
      'disability_allowance',
      'nursing_allowance',
      'medical_subsidy',
      'employment_subsidy',
      'funeral_grant',
      'death_grant',
      'dependents_pension',
    ],
  },
  { kind: 'injury-benefit', field: 'payer', prefix: 'injury.payer', values: ['fund', 'employer'] },
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
];

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
