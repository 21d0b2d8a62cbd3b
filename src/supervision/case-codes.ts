// The codes of a supervision case and its decision, each listed once: the routes' schemas, the tables'
// types, the case page and the approval page (web/src/pages/agency/approval-values.ts) read these lists,
// and the approval page's unit test holds each code to its words in the web catalogue.
import type { PlanInput } from './case.rules.ts';

/** Where a case stands: investigated, its overpayment being recovered, or closed. */
export const CASE_STATUSES = ['investigating', 'recovering', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The fund a recovered overpayment goes back to. */
export const RECOVERY_FUNDS = ['employee_pension', 'resident_pension', 'unemployment'] as const;
export type RecoveryFund = (typeof RECOVERY_FUNDS)[number];

/** How an overpayment is repaid: at once, in instalments, or offset against the pension month by month. */
export const PLAN_KINDS = ['lump', 'instalments', 'offset'] as const satisfies readonly PlanInput['kind'][];
