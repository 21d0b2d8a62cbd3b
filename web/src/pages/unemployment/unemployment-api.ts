// The unemployment API as the pages use it (src/unemployment/unemployment.routes.ts).
import { request, type Paged, type TraceStep } from '../../api.ts';
import type { Approval } from '../../api-approvals.ts';

export interface Claim {
  id: number;
  personId: number;
  region: string;
  status: 'submitted' | 'ineligible' | 'approved' | 'rejected' | 'interrupted' | 'stopped' | 'ended';
  eligible: boolean;
  maxMonths: number;
  carriedMonths: number;
  contributionMonths: number;
  entitlementStart: string | null;
  entitlementEnd: string | null;
  firstPeriod: string | null;
  lastPeriod: string | null;
  monthlyFen?: number;
  medicalFen: number;
  registrationDate: string;
  decisionDeadline: string;
  separationDate: string;
  separationReason: string;
  employerId: number;
  reason?: string;
  reasonZh?: string;
  reasonCode?: string;
  decidedBy: string | null;
  reviewedBy: string | null;
  decisionNote: string | null;
  stopEvent: string | null;
  stopDate: string | null;
  stoppedFromPeriod: string | null;
  interruptedFromPeriod: string | null;
  remainingMonths: number | null;
  monthsPaid: number;
  paidFen: number;
  trace: TraceStep[];
  personName?: string;
}

export interface ClaimPayment {
  period: string;
  amountFen: number;
  medicalFen: number;
  runId: number;
}

export interface StopEvent {
  event: string;
  eventDate: string;
  source: string;
  action: string;
  stoppedFromPeriod: string | null;
  note: string | null;
}

export interface BenefitRun {
  runId: number | null;
  period: string;
  region: string;
  status: string;
  chunksDone: number;
  chunksTotal: number;
  payments: number;
  benefitFen: number;
  medicalFen: number;
  totalFen: number;
  stopped: number;
}

export interface Grant {
  id: number;
  kind: 'subsidy' | 'migrant' | 'death';
  personId: number;
  claimId: number | null;
  region: string;
  eligible: boolean;
  months: number;
  amountFen: number;
  status: string;
  reason?: string;
  reasonZh?: string;
  decidedBy: string | null;
  createdAt: string;
  trace: TraceStep[];
  personName?: string;
}

export type StopEventKind =
  'pension' | 'enlistment' | 'emigration' | 'imprisonment' | 'refusal' | 'reemployment';

export const unemploymentApi = {
  claim: () => request<Claim>('POST', '/api/v1/unemployment/claims', {}),
  claims: (q: { status?: string; pageSize?: number } = {}) =>
    request<Paged<Claim>>('GET', '/api/v1/unemployment/claims', undefined, { pageSize: 50, ...q }),
  get: (id: number) => request<Claim>('GET', `/api/v1/unemployment/claims/${id}`),
  payments: (id: number) => request<ClaimPayment[]>('GET', `/api/v1/unemployment/claims/${id}/payments`),
  events: (id: number) => request<StopEvent[]>('GET', `/api/v1/unemployment/claims/${id}/events`),
  decide: (id: number, decision: 'approve' | 'reject', note?: string) =>
    request<Approval>(
      'POST',
      `/api/v1/unemployment/claims/${id}/decision`,
      note ? { decision, note } : { decision },
    ),
  stop: (id: number, event: StopEventKind, eventDate: string, note?: string) =>
    request<unknown>(
      'POST',
      `/api/v1/unemployment/claims/${id}/stop`,
      note ? { event, eventDate, note } : { event, eventDate },
    ),
  preparePayroll: (period: string, region: string) =>
    request<Approval>('POST', '/api/v1/unemployment/payroll', { period, region }),
  runs: () => request<BenefitRun[]>('GET', '/api/v1/unemployment/payroll'),
  applyGrant: (kind: 'subsidy' | 'migrant', migrantCommitment?: boolean) =>
    request<Grant>(
      'POST',
      '/api/v1/unemployment/grants',
      migrantCommitment ? { kind, migrantCommitment } : { kind },
    ),
  grants: (q: { status?: string } = {}) =>
    request<Paged<Grant>>('GET', '/api/v1/unemployment/grants', undefined, { pageSize: 50, ...q }),
  decideGrant: (id: number, decision: 'approve' | 'reject', note?: string) =>
    request<Approval>(
      'POST',
      `/api/v1/unemployment/grants/${id}/decision`,
      note ? { decision, note } : { decision },
    ),
};
