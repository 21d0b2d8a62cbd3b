// The audit codes sign-in and user administration write beyond their policy actions (auth.service.ts, user.service.ts).
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

declare module '../audit/audit-actions.ts' {
  interface AuditActionCodes {
    auth: (typeof AUTH_AUDIT_ACTIONS)[number];
  }
}
