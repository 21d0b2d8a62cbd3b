// Who may do what, and over which records: role × action → scope. Every service function asks here.
import { SbError } from '../core/errors.ts';
import { regionContains } from '../core/regions.ts';
import type { Actor } from './actor.ts';

/** own-person: the citizen's own records; own-employer: the employer's own; region: the staff member's region and its sub-regions; any: everyone logged in. */
export type Scope = 'own-person' | 'own-employer' | 'own-hospital' | 'region' | 'any';

/** Every action the policy decides, enumerable at run time (the audit page names each one: the assembly, src/audit-actions.ts). */
export const ACTIONS = [
  'region.read',
  'person.read',
  'person.search',
  'person.create',
  'person.update',
  'person.record-death',
  'employer.read',
  'employer.search',
  'employer.create',
  'employer.update',
  'employment.read',
  'employment.start',
  'employment.end',
  'employment.back-entry',
  'employment.back-entry.read',
  'employment.back-entry.review',
  'enrolment.read',
  'enrolment.create',
  'enrolment.end',
  'enrolment.flexible',
  'coverage.gaps',
  'audit.read',
  'audit.read-own',
  'user.manage',
  'user.approve-role',
  'approval.read',
  'money.release',
  'transfer.apply',
  'transfer.read',
  'federation.read',
  'central-adjustment.run',
  'retirement.read',
  'retirement.open',
  'retirement.compute',
  'retirement.submit',
  'retirement.reject',
  'retirement.approve',
  'payroll.run',
  'payroll.read',
  'adjustment.run',
  'pension.read',
  'pension.manage',
  'survivor.decide',
  'certification.campaign',
  'certification.read',
  'certification.self',
  'certification.visit',
  'certification.import',
  'certification.status',
  'personal-pension.read',
  'personal-pension.open',
  'personal-pension.contribute',
  'personal-pension.withdraw',
  'declaration.submit',
  'declaration.flexible',
  'declaration.resident',
  'assessment.run',
  'bill.read',
  'bill.history',
  'bill.cancel',
  'payment.record',
  'payment.online',
  'payment.import',
  'payment.reverse',
  'payment.read',
  'record.read',
  'report.read',
  'ledger.verify',
  'account.interest',
  'calc.run',
  'session.own',
  'params.read',
  'statistics.read',
  // the online service hall (src/hall/)
  'hall.apply',
  'application.read',
  'application.handle',
  'certificate.issue',
  'message.read',
  'hall.statistics',
  'home-service.book',
  'home-service.read',
  'home-service.handle',
  // social security cards (src/cards/)
  'card.read',
  'card.apply',
  'card.activate',
  'card.loss',
  'card.produce',
  'card.register',
  'card.batch-apply',
  'card.use-upload',
  'card.terminal',
  'ecard.qr',
  // unemployment claims, benefit payroll, stop events and grants (src/unemployment/)
  'unemployment.claim',
  'unemployment.read',
  'unemployment.decide',
  'unemployment.payroll',
  'unemployment.payroll-read',
  'unemployment.stop',
  // unemployment: stable-employment refunds, skill-upgrade subsidy, certificate register (issue 12)
  'refund.read',
  'refund.pay',
  'skill-subsidy.apply',
  'skill-subsidy.read',
  'skill-subsidy.decide',
  'certificate-register.import',
  'certificate-register.read',
  // work injury (src/injury/)
  'injury.report',
  'injury.read',
  'injury.handle',
  'injury.recognise',
  'injury.payroll',
  'injury.statistics',
  'injury.owed',
  // work-injury direct settlement with hospitals and rehabilitation (src/injury/hospital*, settlement*, rehab*)
  'hospital.read',
  'hospital.key',
  'hospital.bill.submit',
  'hospital.bill.read',
  'injury.filing',
  'settlement.run',
  'settlement.read',
  'rehab.read',
  'rehab.manage',
  // fund supervision (src/supervision): detector scans and their findings
  'supervision.scan',
  'supervision.read',
  // fund supervision: triage, cases, recoveries, campaigns, dashboard (src/supervision/case*, …)
  'supervision.triage',
  'supervision.case',
  'supervision.recovery.read',
  'supervision.campaign',
  'supervision.dashboard',
  // the policy simulator (src/simulation/): projections of the pension fund under scenarios
  'simulation.run',
  'simulation.read',
  // background jobs (src/http/background-jobs.ts): the status of a job; the job kind's own action decides too
  'job.read',
  // the yearly stable-employment refund scan started from the batch page (a background job, issue 18)
  'refund.scan',
] as const;

export type Action = (typeof ACTIONS)[number];

type Grants = Partial<Record<Actor['role'], Scope>>;
const staffRead: Grants = { clerk: 'region', reviewer: 'region', supervisor: 'region', system: 'any' };
const clerkWrite: Grants = { clerk: 'region', system: 'any' };

export const POLICY: Record<Action, Grants> = {
  'region.read': {
    citizen: 'any',
    employer: 'any',
    clerk: 'any',
    reviewer: 'any',
    supervisor: 'any',
    admin: 'any',
    policy: 'any',
    system: 'any',
  },
  'person.read': { citizen: 'own-person', ...staffRead },
  'person.search': staffRead,
  'person.create': clerkWrite,
  'person.update': { citizen: 'own-person', ...clerkWrite },
  'person.record-death': clerkWrite,
  'employer.read': { employer: 'own-employer', ...staffRead },
  'employer.search': staffRead,
  'employer.create': clerkWrite,
  'employer.update': { employer: 'own-employer', ...clerkWrite },
  'employment.read': { citizen: 'own-person', employer: 'own-employer', ...staffRead },
  'employment.start': { employer: 'own-employer', ...clerkWrite },
  'employment.end': { employer: 'own-employer', ...clerkWrite },
  'employment.back-entry': clerkWrite,
  'employment.back-entry.read': staffRead,
  'employment.back-entry.review': { reviewer: 'region', system: 'any' },
  'enrolment.read': { citizen: 'own-person', employer: 'own-employer', ...staffRead },
  'enrolment.create': { employer: 'own-employer', ...clerkWrite },
  'enrolment.end': clerkWrite,
  'enrolment.flexible': { citizen: 'own-person', ...clerkWrite },
  'coverage.gaps': { employer: 'own-employer', ...staffRead },
  'audit.read': { supervisor: 'region', system: 'any' },
  'audit.read-own': { citizen: 'own-person' },
  'user.manage': { admin: 'region', system: 'any' },
  // Four eyes (docs/security.md): a money role is approved by a second administrator or the
  // supervisor; a prepared money action is released by a reviewer (src/approval/).
  'user.approve-role': { admin: 'region', supervisor: 'region', system: 'any' },
  'approval.read': {
    clerk: 'region',
    reviewer: 'region',
    supervisor: 'region',
    admin: 'region',
    system: 'any',
  },
  'money.release': { reviewer: 'region', system: 'any' },
  'certification.campaign': clerkWrite,
  'certification.read': staffRead,
  'certification.self': { citizen: 'own-person', system: 'any' },
  'certification.visit': clerkWrite,
  'certification.import': clerkWrite,
  'certification.status': { citizen: 'own-person', ...staffRead },
  'personal-pension.read': { citizen: 'own-person', ...staffRead },
  'personal-pension.open': { citizen: 'own-person', ...clerkWrite },
  'personal-pension.contribute': { citizen: 'own-person', ...clerkWrite },
  'personal-pension.withdraw': { citizen: 'own-person', ...clerkWrite },
  'session.own': {
    citizen: 'any',
    employer: 'any',
    clerk: 'any',
    reviewer: 'any',
    supervisor: 'any',
    admin: 'any',
    hospital: 'any',
    policy: 'any',
  },
  'calc.run': {
    citizen: 'any',
    employer: 'any',
    clerk: 'any',
    reviewer: 'any',
    supervisor: 'any',
    admin: 'any',
    system: 'any',
  },
  'statistics.read': staffRead,
  // Social security cards (src/cards): the holder for their own card, staff in their region.
  'card.read': { citizen: 'own-person', ...staffRead },
  'card.apply': { citizen: 'own-person', ...clerkWrite },
  'card.activate': { citizen: 'own-person', ...clerkWrite },
  'card.loss': { citizen: 'own-person', ...clerkWrite },
  'card.produce': clerkWrite,
  'card.register': staffRead,
  'card.batch-apply': { employer: 'own-employer', ...clerkWrite },
  // a clerk carrying a gate's memory to the counter, or the terminal itself with its key (its own id only)
  'card.use-upload': { ...clerkWrite, terminal: 'region' },
  // the register of card terminals: the region's clerk or administrator (who sets up its equipment)
  'card.terminal': { ...clerkWrite, admin: 'region' },
  'ecard.qr': { citizen: 'own-person' },
  'params.read': {
    citizen: 'any',
    employer: 'any',
    clerk: 'any',
    reviewer: 'any',
    supervisor: 'any',
    admin: 'any',
    policy: 'any',
    system: 'any',
  },
  'declaration.submit': { employer: 'own-employer', ...clerkWrite },
  'declaration.flexible': { citizen: 'own-person', ...clerkWrite },
  'declaration.resident': { citizen: 'own-person', ...clerkWrite },
  'assessment.run': clerkWrite,
  'bill.read': { citizen: 'own-person', employer: 'own-employer', ...staffRead },
  // what happened to a bill names staff and reviewers: the region's staff only, never the payer
  'bill.history': staffRead,
  'bill.cancel': clerkWrite,
  'payment.record': { employer: 'own-employer', ...clerkWrite },
  // a citizen pays their own bill online: the server records it when the gateway confirms
  'payment.online': { citizen: 'own-person' },
  'payment.import': clerkWrite,
  'payment.reverse': clerkWrite,
  // one receipt's page names the clerks and reviewers who moved it: the region's staff, never the payer
  'payment.read': staffRead,
  'record.read': { citizen: 'own-person', ...staffRead },
  'report.read': staffRead,
  'ledger.verify': { reviewer: 'region', supervisor: 'region', system: 'any' },
  'account.interest': clerkWrite,
  'retirement.read': staffRead,
  'retirement.open': clerkWrite,
  'retirement.compute': clerkWrite,
  'retirement.submit': clerkWrite,
  // a case that does not qualify is refused at the counter: no money moves, so no second person
  'retirement.reject': clerkWrite,
  'retirement.approve': { reviewer: 'region', system: 'any' },
  'payroll.run': clerkWrite,
  'payroll.read': staffRead,
  'adjustment.run': clerkWrite,
  'pension.read': { citizen: 'own-person', ...staffRead },
  'pension.manage': clerkWrite,
  'survivor.decide': clerkWrite,
  // the online service hall: applications of one's own, the staff work queue, certificates, messages
  'hall.apply': { citizen: 'own-person', employer: 'own-employer', ...clerkWrite },
  'application.read': { citizen: 'own-person', employer: 'own-employer', ...staffRead },
  'application.handle': { clerk: 'region', reviewer: 'region', system: 'any' },
  'certificate.issue': { citizen: 'own-person', ...staffRead },
  'message.read': {
    citizen: 'any',
    employer: 'any',
    clerk: 'any',
    reviewer: 'any',
    supervisor: 'any',
    admin: 'any',
  },
  'hall.statistics': { supervisor: 'region', system: 'any' },
  // unemployment (src/unemployment/): a citizen claims and reads their own; clerks decide (a reviewer releases the money)
  'unemployment.claim': { citizen: 'own-person', system: 'any' },
  'unemployment.read': { citizen: 'own-person', ...staffRead },
  'unemployment.decide': clerkWrite,
  'unemployment.payroll': clerkWrite,
  'unemployment.payroll-read': staffRead,
  'unemployment.stop': clerkWrite,
  // unemployment: stable-employment refunds, skill-upgrade subsidy, certificate register (issue 12)
  'refund.read': { employer: 'own-employer', ...staffRead },
  'refund.pay': clerkWrite,
  'skill-subsidy.apply': { citizen: 'own-person', system: 'any' },
  'skill-subsidy.read': { citizen: 'own-person', ...staffRead },
  'skill-subsidy.decide': clerkWrite,
  'certificate-register.import': clerkWrite,
  'certificate-register.read': staffRead,
  // Work injury (src/injury): the worker and the employer for their own cases, the agency in its region;
  // a reviewer releases recognitions and benefit decisions (four eyes).
  'injury.report': { citizen: 'own-person', employer: 'own-employer', ...clerkWrite },
  'injury.read': { citizen: 'own-person', employer: 'own-employer', ...staffRead },
  'injury.handle': clerkWrite,
  'injury.recognise': { reviewer: 'region', system: 'any' },
  'injury.payroll': clerkWrite,
  'injury.statistics': staffRead,
  // what an employer owes its injured workers (the agency sees it on each case)
  'injury.owed': { employer: 'own-employer' },
  // Work-injury hospitals: a hospital's staff (and its system, by API key) for its own hospital only;
  // the agency in its region. Bills are checked automatically; the settlement run pays them.
  'hospital.read': { hospital: 'own-hospital', citizen: 'any', ...staffRead, admin: 'region' },
  'hospital.key': { hospital: 'own-hospital', admin: 'region', system: 'any' },
  'hospital.bill.submit': { hospital: 'own-hospital' },
  'hospital.bill.read': { hospital: 'own-hospital', ...staffRead },
  'injury.filing': { citizen: 'own-person', ...clerkWrite },
  'settlement.run': clerkWrite,
  'settlement.read': staffRead,
  'rehab.read': { citizen: 'own-person', ...staffRead },
  'rehab.manage': clerkWrite,
  // home service (送服务上门): booked by the person or a family member, handled by the region's clerks
  'home-service.book': { citizen: 'own-person' },
  'home-service.read': { citizen: 'own-person', ...staffRead },
  'home-service.handle': clerkWrite,
  // Cross-province transfers (src/federation): the person for themselves, the new place's clerk.
  'transfer.apply': { citizen: 'own-person', ...clerkWrite },
  'transfer.read': { citizen: 'own-person', ...staffRead },
  'federation.read': { ...staffRead, admin: 'any' },
  // Fund supervision (src/supervision): a supervisor scans and reads the findings of their region only.
  'supervision.scan': { supervisor: 'region', system: 'any' },
  'supervision.read': { supervisor: 'region', system: 'any' },
  // Fund supervision (src/supervision/case*): the region's supervisor triages findings and runs cases
  // (a reviewer releases the decision: money.release); the recovery list is every staff member's.
  'supervision.triage': { supervisor: 'region', system: 'any' },
  'supervision.case': { supervisor: 'region', system: 'any' },
  'supervision.recovery.read': staffRead,
  'supervision.campaign': { supervisor: 'region', system: 'any' },
  'supervision.dashboard': { supervisor: 'region', system: 'any' },
  // The policy simulator: the fund supervisor and the policy researcher (政策研究员) of the region.
  'simulation.run': { supervisor: 'region', policy: 'region', system: 'any' },
  'simulation.read': { supervisor: 'region', policy: 'region', system: 'any' },
  // The exchange's reviewer settles the central adjustment of a year (src/federation/central*): it moves
  // money between provinces, and the administrator approves no money.
  'central-adjustment.run': { reviewer: 'region', system: 'any' },
  'job.read': staffRead,
  'refund.scan': clerkWrite,
};

/** Does a staff region cover a record's region? 000000 covers all, a province its cities, a city its districts. */
export const regionCovers = regionContains;

export interface Target {
  personId?: number | null;
  /** employers the record belongs to (a person's current or past employers, for an employer's staff view) */
  employerIds?: readonly number[];
  region?: string | null;
  /** the hospital a bill or key belongs to */
  hospitalId?: number | null;
}

export function scopeOf(actor: Actor, action: Action): Scope | undefined {
  return POLICY[action][actor.role];
}

function forbidden(action: Action): SbError {
  return new SbError('SB_ERR_FORBIDDEN', { zh: action, en: action });
}

/** The role may do the action, but not on this record (another person, employer or region). */
function outOfScope(action: Action): SbError {
  return new SbError('SB_ERR_OUT_OF_SCOPE', { zh: action, en: action });
}

/** The one answer for an id that does not exist or is out of scope: the field's name, not the id. */
const notFound = (field: string): SbError => new SbError('SB_ERR_NOT_FOUND', { field });

/**
 * `authorize` for one record asked for by id: a role without the action is refused whatever the id, and
 * a record out of the actor's scope (another person, employer or region) answers SB_ERR_NOT_FOUND like
 * an id that does not exist (`target` undefined), so no one learns which ids exist. The answer names
 * `field` (the id's name in the request), never the id itself.
 */
export function authorizeFound(
  actor: Actor,
  action: Action,
  target: Target | undefined,
  field = 'id',
): Scope {
  const scope = authorize(actor, action);
  if (!target || !covers(actor, scope, target)) throw notFound(field);
  return scope;
}

/**
 * The row loaded for an id, when the actor may do `action` on it (`targetOf` says whose it is);
 * a missing row and one out of scope get the one not-found answer of `authorizeFound`.
 */
export function foundInScope<R>(
  actor: Actor,
  action: Action,
  row: R | undefined,
  targetOf: (row: R) => Target,
  field = 'id',
): R {
  const scope = authorize(actor, action);
  if (row === undefined || !covers(actor, scope, targetOf(row))) throw notFound(field);
  return row;
}

/** `foundInScope` for a staff action on a row whose region decides (region codes may come space-padded). */
export const foundInRegion = <R extends { region: string }>(
  actor: Actor,
  action: Action,
  row: R | undefined,
): R => foundInScope(actor, action, row, (r) => ({ region: r.region.trim() }));

/** Throws SB_ERR_FORBIDDEN unless the actor may do `action` on `target` (omit target for a role check only). */
export function authorize(actor: Actor, action: Action, target?: Target): Scope {
  const scope = scopeOf(actor, action);
  if (!scope) throw forbidden(action);
  if (target && !covers(actor, scope, target)) throw outOfScope(action);
  return scope;
}

/** Whether the actor may do `action` on `target`, for a caller that answers a refusal its own way. */
export function permits(actor: Actor, action: Action, target: Target): boolean {
  const scope = scopeOf(actor, action);
  return scope !== undefined && covers(actor, scope, target);
}

/** Does a scope of the actor take in the record? */
function covers(actor: Actor, scope: Scope, target: Target): boolean {
  switch (scope) {
    case 'any':
      return true;
    case 'own-person':
      return actor.personId !== null && target.personId === actor.personId;
    case 'own-employer':
      return actor.employerId !== null && (target.employerIds ?? []).includes(actor.employerId);
    case 'own-hospital':
      return (
        actor.hospitalId !== undefined && actor.hospitalId !== null && target.hospitalId === actor.hospitalId
      );
    case 'region':
      return actor.region !== null && !!target.region && regionCovers(actor.region, target.region);
  }
}
