// The audit codes of the monthly payrolls' shared run (monthly-run.ts): each run audited as
// <run>.start and <run>.complete.
import { auditFamily } from '../audit/audit-actions.ts';

/** The monthly payrolls that run through monthly-run.ts. */
const PAYROLL_RUNS = ['payroll', 'injury.payroll', 'unemployment.payroll'] as const;
export type PayrollRun = (typeof PAYROLL_RUNS)[number];

export const LEDGER_AUDIT_ACTIONS = PAYROLL_RUNS.flatMap((run) =>
  auditFamily(`${run}.` as const, ['start', 'complete'] as const),
);

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    ledger: (typeof LEDGER_AUDIT_ACTIONS)[number];
  }
}
