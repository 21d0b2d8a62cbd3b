// Which role may do what, for the menu and the buttons: the role column of the server's table
// (src/auth/policy.ts), copied so the app knows before any request what a role can use.
// src/auth/web-access.test.ts fails when the two differ. The server still decides every request;
// this table only keeps a role from being offered what it would be refused.
import type { Role } from './api.ts';

const CITIZEN: Role[] = ['citizen'];
const EVERYONE: Role[] = ['citizen', 'employer', 'clerk', 'reviewer', 'supervisor', 'admin'];
const STAFF_READ: Role[] = ['clerk', 'reviewer', 'supervisor'];
const CLERK: Role[] = ['clerk'];

export const ROLE_CAN = {
  'region.read': EVERYONE,
  'person.read': [...CITIZEN, ...STAFF_READ],
  'person.search': STAFF_READ,
  'person.create': CLERK,
  'person.update': [...CITIZEN, ...CLERK],
  'person.record-death': CLERK,
  'employer.read': ['employer', ...STAFF_READ],
  'employer.search': STAFF_READ,
  'employer.create': CLERK,
  'employer.update': ['employer', ...CLERK],
  'employment.read': ['citizen', 'employer', ...STAFF_READ],
  'employment.start': ['employer', ...CLERK],
  'employment.end': ['employer', ...CLERK],
  'employment.back-entry': CLERK,
  'employment.back-entry.read': STAFF_READ,
  'employment.back-entry.review': ['reviewer'],
  'enrolment.read': ['citizen', 'employer', ...STAFF_READ],
  'enrolment.create': ['employer', ...CLERK],
  'enrolment.end': CLERK,
  'enrolment.flexible': [...CITIZEN, ...CLERK],
  'coverage.gaps': ['employer', ...STAFF_READ],
  'audit.read': ['supervisor'],
  'audit.read-own': CITIZEN,
  'user.manage': ['admin'],
  'user.approve-role': ['admin', 'supervisor'],
  'approval.read': ['clerk', 'reviewer', 'supervisor', 'admin'],
  'money.release': ['reviewer'],
  'certification.campaign': CLERK,
  'certification.read': STAFF_READ,
  'certification.self': CITIZEN,
  'certification.visit': CLERK,
  'certification.import': CLERK,
  'certification.status': [...CITIZEN, ...STAFF_READ],
  'personal-pension.read': [...CITIZEN, ...STAFF_READ],
  'personal-pension.open': [...CITIZEN, ...CLERK],
  'personal-pension.contribute': [...CITIZEN, ...CLERK],
  'personal-pension.withdraw': [...CITIZEN, ...CLERK],
  'session.own': EVERYONE,
  'calc.run': EVERYONE,
  'statistics.read': STAFF_READ,
  'params.read': EVERYONE,
  'declaration.submit': ['employer', ...CLERK],
  'declaration.flexible': [...CITIZEN, ...CLERK],
  'declaration.resident': [...CITIZEN, ...CLERK],
  'assessment.run': CLERK,
  'bill.read': ['citizen', 'employer', ...STAFF_READ],
  'bill.cancel': CLERK,
  'payment.record': ['employer', ...CLERK],
  'payment.online': CITIZEN,
  'payment.import': CLERK,
  'payment.reverse': CLERK,
  'record.read': [...CITIZEN, ...STAFF_READ],
  'report.read': STAFF_READ,
  'ledger.verify': ['reviewer', 'supervisor'],
  'account.interest': CLERK,
  'retirement.read': STAFF_READ,
  'retirement.open': CLERK,
  'retirement.compute': CLERK,
  'retirement.submit': CLERK,
  'retirement.approve': ['reviewer'],
  'payroll.run': CLERK,
  'payroll.read': STAFF_READ,
  'adjustment.run': CLERK,
  'pension.read': [...CITIZEN, ...STAFF_READ],
  'pension.manage': CLERK,
  'survivor.decide': CLERK,
  'hall.apply': ['citizen', 'employer', ...CLERK],
  'application.read': ['citizen', 'employer', ...STAFF_READ],
  'application.handle': ['clerk', 'reviewer'],
  'certificate.issue': [...CITIZEN, ...STAFF_READ],
  'message.read': EVERYONE,
  'hall.statistics': ['supervisor'],
  'card.read': [...CITIZEN, ...STAFF_READ],
  'card.apply': [...CITIZEN, ...CLERK],
  'card.activate': [...CITIZEN, ...CLERK],
  'card.loss': [...CITIZEN, ...CLERK],
  'card.produce': CLERK,
  'card.register': STAFF_READ,
  'card.batch-apply': ['employer', ...CLERK],
  'card.use-upload': CLERK,
  'ecard.qr': CITIZEN,
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ROLE_CAN;

/** May this role do the action at all (the server still checks the record's scope)? */
export function roleCan(role: Role | undefined, action: Action): boolean {
  return role !== undefined && (ROLE_CAN[action] as readonly Role[]).includes(role);
}
