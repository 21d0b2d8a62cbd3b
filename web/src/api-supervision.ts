// Fund supervision (issue 17): findings and their triage, cases, the one recovery list, inspection
// campaigns and the risk dashboard.
import type { Approval } from './api-approvals.ts';
import { request, type Answer, type Body, type Item, type Paged } from './api.ts';

export type Finding = Item<Answer<'/api/v1/supervision/findings'>['items']>;
export type FindingStatus = 'open' | 'dismissed' | 'case';
export type SupervisionCase = Answer<'/api/v1/supervision/cases/{id}'>;
export type CaseListItem = Item<Answer<'/api/v1/supervision/cases'>>;
export type Decision = Body<'/api/v1/supervision/cases/{id}/decision'>;
export type RecoveryList = Answer<'/api/v1/supervision/recoveries'>;
export type RecoveryItem = Item<RecoveryList['items']>;
export type Campaign = Item<Answer<'/api/v1/supervision/campaigns'>>;
export type CampaignDetail = Answer<'/api/v1/supervision/campaigns/{id}'>;
export type CampaignInput = Body<'/api/v1/supervision/campaigns'>;
export type RiskDashboard = Answer<'/api/v1/supervision/dashboard'>;
export type ScanResult = Answer<'/api/v1/supervision/scans', 'post'>;

export const supervisionApi = {
  scan: (region: string) => request<ScanResult>('POST', '/api/v1/supervision/scans', { region }),
  findings: (q: { status?: FindingStatus; detector?: string; page?: number }) =>
    request<Paged<Finding>>('GET', '/api/v1/supervision/findings', undefined, { pageSize: 50, ...q }),
  dismiss: (id: number, version: number, reason: string) =>
    request<Answer<'/api/v1/supervision/findings/{id}/dismiss', 'post'>>(
      'POST',
      `/api/v1/supervision/findings/${id}/dismiss`,
      { version, reason },
    ),
  openCase: (id: number, version: number, note?: string) =>
    request<Answer<'/api/v1/supervision/findings/{id}/case', 'post'>>(
      'POST',
      `/api/v1/supervision/findings/${id}/case`,
      {
        version,
        ...(note ? { note } : {}),
      },
    ),
  cases: (status?: string) =>
    request<CaseListItem[]>('GET', '/api/v1/supervision/cases', undefined, status ? { status } : {}),
  case: (id: number) => request<SupervisionCase>('GET', `/api/v1/supervision/cases/${id}`),
  addNote: (id: number, b: { kind: 'note' | 'evidence'; text: string; ref?: string }) =>
    request<Answer<'/api/v1/supervision/cases/{id}/notes', 'post'>>(
      'POST',
      `/api/v1/supervision/cases/${id}/notes`,
      b,
    ),
  decide: (id: number, b: Decision) =>
    request<Approval>('POST', `/api/v1/supervision/cases/${id}/decision`, b),
  recoveries: (q: { status?: string; source?: string; sort?: string; page?: number }) =>
    request<RecoveryList>('GET', '/api/v1/supervision/recoveries', undefined, { pageSize: 50, ...q }),
  campaigns: () => request<Campaign[]>('GET', '/api/v1/supervision/campaigns'),
  campaign: (id: number) => request<CampaignDetail>('GET', `/api/v1/supervision/campaigns/${id}`),
  createCampaign: (b: CampaignInput) => request<Campaign>('POST', '/api/v1/supervision/campaigns', b),
  checkItem: (id: number, seq: number, b: { status: 'clear' | 'flagged'; note?: string; version: number }) =>
    request<Answer<'/api/v1/supervision/campaigns/{id}/items/{seq}', 'post'>>(
      'POST',
      `/api/v1/supervision/campaigns/${id}/items/${seq}`,
      b,
    ),
  dashboard: (months = 12) =>
    request<RiskDashboard>('GET', '/api/v1/supervision/dashboard', undefined, { months }),
};
