// The work-injury hospital API calls (src/injury/hospital.routes.ts, rehab.routes.ts). The shapes are
// the server's, from the generated types, so a field the server renames or drops fails `tsc -p web`.
import { request, type Answer, type Body, type Item } from '../../api.ts';

export type BillIn = Body<'/api/v1/hospital/bills'>;
export type BillItemIn = Item<BillIn['items']>;
export type Bill = Answer<'/api/v1/hospital/bills/{id}'>;
export type Submitted = Answer<'/api/v1/hospital/bills', 'post'>;
export type BillRow = Item<Answer<'/api/v1/hospital/bills'>['items']>;
export type NewKey = Answer<'/api/v1/hospitals/{id}/keys', 'post'>;
export type SettlementRun = Answer<'/api/v1/injury/settlements', 'post'>;
export type Rehab = Answer<'/api/v1/injury/cases/{id}/rehab'>;
export type Referral = Item<Rehab['referrals']>;
export type ReferralKind = Body<'/api/v1/injury/cases/{id}/rehab/referrals'>['kind'];

export const hospitalApi = {
  catalogue: () => request<Answer<'/api/v1/injury/catalogue'>>('GET', '/api/v1/injury/catalogue'),
  me: () => request<Answer<'/api/v1/hospital/me'>>('GET', '/api/v1/hospital/me'),
  submit: (b: BillIn) => request<Submitted>('POST', '/api/v1/hospital/bills', b),
  bills: (q: { unsettled?: boolean } = {}) =>
    request<Answer<'/api/v1/hospital/bills'>>('GET', '/api/v1/hospital/bills', undefined, {
      ...q,
      limit: 200,
    }),
  bill: (id: number) => request<Bill>('GET', `/api/v1/hospital/bills/${id}`),
  settlements: (runId?: number) =>
    request<Answer<'/api/v1/hospital/settlements'>>('GET', '/api/v1/hospital/settlements', undefined, {
      runId,
    }),
  keys: (hospitalId: number) =>
    request<Answer<'/api/v1/hospitals/{id}/keys'>>('GET', `/api/v1/hospitals/${hospitalId}/keys`),
  createKey: (hospitalId: number, label: string) =>
    request<NewKey>('POST', `/api/v1/hospitals/${hospitalId}/keys`, { label }),
  rotateKey: (id: number) =>
    request<Answer<'/api/v1/hospital-keys/{id}/rotate', 'post'>>(
      'POST',
      `/api/v1/hospital-keys/${id}/rotate`,
    ),
  revokeKey: (id: number) =>
    request<Answer<'/api/v1/hospital-keys/{id}/revoke', 'post'>>(
      'POST',
      `/api/v1/hospital-keys/${id}/revoke`,
    ),
  runs: () => request<Answer<'/api/v1/injury/settlements'>>('GET', '/api/v1/injury/settlements'),
  runSettlement: (period: string) => request<SettlementRun>('POST', '/api/v1/injury/settlements', { period }),
  hospitals: (kind?: 'hospital' | 'rehab') =>
    request<Answer<'/api/v1/hospitals'>>('GET', '/api/v1/hospitals', undefined, { kind }),
  rehab: (caseId: number) => request<Rehab>('GET', `/api/v1/injury/cases/${caseId}/rehab`),
  screen: (caseId: number) => request<Rehab>('POST', `/api/v1/injury/cases/${caseId}/rehab/screen`, {}),
  refer: (caseId: number, body: Body<'/api/v1/injury/cases/{id}/rehab/referrals'>) =>
    request<Rehab>('POST', `/api/v1/injury/cases/${caseId}/rehab/referrals`, body),
  outcome: (id: number, body: Body<'/api/v1/injury/rehab/referrals/{id}/outcome'>) =>
    request<Rehab>('POST', `/api/v1/injury/rehab/referrals/${id}/outcome`, body),
  flagged: () => request<Answer<'/api/v1/injury/rehab'>>('GET', '/api/v1/injury/rehab'),
};
