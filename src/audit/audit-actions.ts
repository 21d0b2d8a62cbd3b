// Every code an audit entry's action may hold. The audit page names each one in both languages
// (web/src/i18n, key audit.<code>): zh-CN.ts is typed against AuditAction and a test reads
// AUDIT_ACTIONS, so a code the compiler accepts at a writer has a name. Entries already in the log
// keep the code they were written with; the page shows an unnamed one as its code.
import { ACTIONS, type Action } from '../auth/policy.ts';

/** The audit's own codes (the policy's actions are its own list, src/auth/policy.ts). */
const AUDIT_ONLY = [
  'account.code-sent',
  'account.create',
  'account.password-reset',
  'application.create',
  'application.status',
  'approval.prepare',
  'approval.release',
  'approval.release-failed',
  'approval.return',
  'assessment.flexible',
  'audit.export',
  'auth.locked',
  'auth.login',
  'auth.login-failed',
  'auth.logout',
  'auth.logout-everywhere',
  'card.bank',
  'card.batch-issue',
  'card.batch-produce',
  'card.demo-issue',
  'card.search',
  'central-adjustment.post',
  'certification.campaign.create',
  'certification.register.add',
  'certification.register.remove',
  'certification.sweep',
  'certification.sweep-chunk',
  'demo.seed',
  'ecard.key-rotate',
  'employment.back-entry.approve',
  'employment.back-entry.request',
  'employment.back-entry.return',
  'home-visit.book',
  'hospital.create',
  'hospital.key.create',
  'hospital.key.revoke',
  'hospital.key.rotate',
  'injury.appraisal.conclude',
  'injury.appraisal.open',
  'injury.benefit.decide',
  'injury.document',
  'injury.filing.create',
  'payment.online-failed',
  'payment.online-order',
  'pension.adjust',
  'pension.arrears',
  'pension.award',
  'pension.death',
  'pension.demo-awards',
  'pension.record.credit',
  'pension.recovery.collect',
  'pension.recovery.offset',
  'pension.recovery.open',
  'pension.recovery.repayment',
  'pension.recovery.write-off',
  'pension.restore',
  'pension.stop',
  'pension.survivor-benefit',
  'pension.suspend',
  'person.demo-card-bank',
  'refund.scan-complete',
  'refund.scan-start',
  'rehab.outcome',
  'rehab.refer',
  'rehab.screen',
  'rehab.screen-batch',
  'retirement.reject',
  'retirement.return',
  'settlement.complete',
  'settlement.start',
  'skill-subsidy.pay',
  'skill-subsidy.reject',
  'supervision.campaign.check',
  'supervision.campaign.create',
  'supervision.case.decide',
  'supervision.case.evidence',
  'supervision.case.note',
  'supervision.case.open',
  'supervision.finding.dismiss',
  'transfer.came-through',
  'transfer.collect',
  'transfer.credit',
  'transfer.refuse',
  'transfer.send',
  'transfer.wages.credit',
  'transfer.wages.request',
  'unemployment.death-grant',
  'unemployment.grant.apply',
  'unemployment.grant.decide',
  'unemployment.resume',
  'unemployment.stop-event',
  'user.create',
  'user.disable',
  'user.role',
  'user.set-password',
  'user.unlock',
  'xp.decide',
  'xp.file',
  'xp.status',
] as const;

/** A card's steps (src/cards/card.service.ts), each audited as card.<step>. */
const CARD_STEPS = [
  'apply',
  'produce',
  'issue',
  'activate',
  'temporary-loss',
  'unblock',
  'formal-loss',
  'reissue',
  'cancel-death',
] as const;
export type CardStep = (typeof CARD_STEPS)[number];

/** A work-injury case's steps (src/injury/injury.service.ts), each audited as injury.<step>. */
const INJURY_CASE_STEPS = ['accept', 'suspend', 'resume', 'recognise', 'not-recognise', 'withdraw'] as const;
export type InjuryCaseStep = (typeof INJURY_CASE_STEPS)[number];

/** A home visit's steps (src/hall/home-service.service.ts), each audited as home-visit.<step>. */
const HOME_VISIT_STEPS = ['assign', 'cancel', 'refuse', 'done', 'not-home'] as const;
export type HomeVisitStep = (typeof HOME_VISIT_STEPS)[number];

/** The monthly payrolls (src/ledger/monthly-run.ts), each audited as <run>.start and <run>.complete. */
const PAYROLL_RUNS = ['payroll', 'injury.payroll', 'unemployment.payroll'] as const;
export type PayrollRun = (typeof PAYROLL_RUNS)[number];

const family = <P extends string, S extends string>(prefix: P, steps: readonly S[]) =>
  steps.map((s): `${P}${S}` => `${prefix}${s}`);

const FAMILIES = [
  family('card.', CARD_STEPS),
  family('injury.', INJURY_CASE_STEPS),
  family('home-visit.', HOME_VISIT_STEPS),
  ...PAYROLL_RUNS.map((run) => family(`${run}.`, ['start', 'complete'] as const)),
] as const;

/** An entry may be written under the policy action it was authorized as, or under one of the audit's own codes. */
export type AuditAction = Action | (typeof AUDIT_ONLY)[number] | (typeof FAMILIES)[number][number];

/** Every audit action once (a step's code may also be a policy action: card.apply, injury.recognise). */
export const AUDIT_ACTIONS: readonly AuditAction[] = [
  ...new Set([...ACTIONS, ...AUDIT_ONLY, ...FAMILIES.flat()]),
];
