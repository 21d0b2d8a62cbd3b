// The audit action codes sign-in and user administration writes beyond its policy actions (auth.service.ts, user.service.ts).
// src/audit/audit-actions.ts composes every capability's list; a code written elsewhere is refused
// by the compiler until its capability lists it here.
export const AUTH_AUDIT_ACTIONS = [
  'auth.locked',
  'auth.login',
  'auth.login-failed',
  'auth.logout',
  'auth.logout-everywhere',
  'user.create',
  'user.disable',
  'user.role',
  'user.set-password',
  'user.unlock',
] as const;
