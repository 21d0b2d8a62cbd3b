// The unemployment API as the pages use it (src/unemployment/unemployment.routes.ts).
import { request, type Answer, type Item, type Paged } from '../../api.ts';
import type { Approval } from '../../api-approvals.ts';

// The shapes come from the server's response schemas (web/src/api.gen.ts, `npm run api-types`).
export type Claim = Answer<'/api/v1/unemployment/claims/{id}'> &
  Partial<Pick<Item<Answer<'/api/v1/unemployment/claims'>['items']>, 'personName'>>;
export type ClaimPayment = Item<Answer<'/api/v1/unemployment/claims/{id}/payments'>>;
export type StopEvent = Item<Answer<'/api/v1/unemployment/claims/{id}/events'>>;
export type BenefitRun = Item<Answer<'/api/v1/unemployment/payroll'>>;
export type Grant = Answer<'/api/v1/unemployment/grants/{id}'> &
  Partial<Pick<Item<Answer<'/api/v1/unemployment/grants'>['items']>, 'personName'>>;

export type GrantOffer = Answer<'/api/v1/unemployment/grant-offer'>;

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
  grantOffer: () => request<GrantOffer>('GET', '/api/v1/unemployment/grant-offer'),
  grants: (q: { status?: string } = {}) =>
    request<Paged<Grant>>('GET', '/api/v1/unemployment/grants', undefined, { pageSize: 50, ...q }),
  decideGrant: (id: number, decision: 'approve' | 'reject', note?: string) =>
    request<Approval>(
      'POST',
      `/api/v1/unemployment/grants/${id}/decision`,
      note ? { decision, note } : { decision },
    ),
};
