// The audit action codes of the monthly payrolls (monthly-run.ts): each run audited as <run>.start
// and <run>.complete. src/audit/audit-actions.ts composes every capability's list.
import { auditFamily } from '../core/audit-codes.ts';

/** The monthly payrolls that run through monthly-run.ts. */
export const PAYROLL_RUNS = ['payroll', 'injury.payroll', 'unemployment.payroll'] as const;
export type PayrollRun = (typeof PAYROLL_RUNS)[number];

export const PAYROLL_AUDIT_ACTIONS = PAYROLL_RUNS.flatMap((run) =>
  auditFamily(`${run}.` as const, ['start', 'complete'] as const),
);
