// The maker–checker and staff-account calls (issue #10): prepare, list, release, return; staff
// accounts by ID number with a one-time set-password token.
import { request, type Answer, type Body, type Item, type Paged } from './api.ts';

export type Approval = Answer<'/api/v1/approvals/{id}'>;
/** A release that queued its work (a payroll, the adjustment) for the server's background worker. */
export type ReleaseQueued = Answer<'/api/v1/approvals/{id}/release', 'post', 202>;
export type ApprovalStatus = Approval['status'];
export type StaffRole = Body<'/api/v1/users'>['role'];
export type StaffUser = Item<Answer<'/api/v1/users'>['items']>;
export type CreatedStaffUser = Answer<'/api/v1/users', 'post'>;

export const approvalApi = {
  prepareWriteOff: (caseId: number, reason: string) =>
    request<Approval>('POST', `/api/v1/pension/recovery-cases/${caseId}/write-off`, { reason }),
  preparePayroll: (period: string, region: string) =>
    request<Approval>('POST', '/api/v1/payroll/runs', { period, region }),
  prepareAdjustment: (region: string, year: number) =>
    request<Approval>('POST', '/api/v1/pension/adjustments', { region, year }),
  approvals: (q: { status?: ApprovalStatus; kind?: string; pageSize?: number }) =>
    request<Paged<Approval>>('GET', '/api/v1/approvals', undefined, { pageSize: 50, ...q }),
  approval: (id: number) => request<Approval>('GET', `/api/v1/approvals/${id}`),
  /** A release of an action that runs at once (not a payroll or the adjustment: see releaseOrQueue). */
  release: (id: number, note?: string) =>
    request<Approval>('POST', `/api/v1/approvals/${id}/release`, note ? { note } : {}),
  /** 200 with the approval, or 202 with the job of a payroll or an adjustment (then poll the job). */
  releaseOrQueue: (id: number, note?: string) =>
    request<Answer<'/api/v1/approvals/{id}/release', 'post'>>(
      'POST',
      `/api/v1/approvals/${id}/release`,
      note ? { note } : {},
    ),
  returnToMaker: (id: number, reason: string) =>
    request<Approval>('POST', `/api/v1/approvals/${id}/return`, { reason }),
  users: () => request<Paged<StaffUser>>('GET', '/api/v1/users', undefined, { pageSize: 200 }),
  createUser: (b: {
    username: string;
    idNumber: string;
    role: StaffRole;
    region: string;
    displayName?: string;
  }) => request<CreatedStaffUser>('POST', '/api/v1/users', b),
  requestRole: (id: number, role: StaffRole) =>
    request<Approval>('POST', `/api/v1/users/${id}/role`, { role }),
  disableUser: (id: number, reason: string) =>
    request<Answer<'/api/v1/users/{id}/disable', 'post'>>('POST', `/api/v1/users/${id}/disable`, { reason }),
  setPassword: (token: string, password: string) =>
    request<Answer<'/api/v1/auth/set-password', 'post'>>('POST', '/api/v1/auth/set-password', {
      token,
      password,
    }),
};
