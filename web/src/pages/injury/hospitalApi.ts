// The work-injury hospital API shapes and calls (src/injury/hospital.routes.ts, rehab.routes.ts).
import { request, type TraceStep } from '../../api.ts';

export interface CatalogueItem {
  code: string;
  nameZh: string;
  nameEn: string;
  category: string;
  unit: string;
  maxUnitPriceFen: number;
  covered: boolean;
  reasonZh: string | null;
  reasonEn: string | null;
}
export interface BillItemIn {
  code: string;
  serviceDate: string;
  quantity: number;
  unitPriceFen: number;
}
export interface BillIn {
  billNo: string;
  caseId: number;
  idNumber: string;
  admissionDate: string;
  dischargeDate?: string | null;
  items: BillItemIn[];
}
export interface BillItem extends BillItemIn {
  lineNo: number;
  nameZh: string | null;
  claimedFen: number;
  acceptedFen: number;
  reason: string | null;
  reasonZh: string | null;
  reasonEn: string | null;
}
export type BillStatus = 'accepted' | 'partly_accepted' | 'refused';
export interface Bill {
  id: number;
  hospitalId: number;
  hospitalName: string;
  billNo: string;
  caseId: number;
  region: string;
  admissionDate: string;
  dischargeDate: string | null;
  status: BillStatus;
  reason: string | null;
  reasonZh: string | null;
  reasonEn: string | null;
  claimedFen: number;
  acceptedFen: number;
  submittedOn: string;
  settlementPeriod: string | null;
  items: BillItem[];
}
export interface BillRow {
  id: number;
  hospitalName: string;
  billNo: string;
  caseId: number;
  status: BillStatus;
  claimedFen: number;
  acceptedFen: number;
  submittedOn: string;
  settlementPeriod: string | null;
}
export interface Hospital {
  id: number;
  code: string;
  name: string;
  region: string;
  kind: 'hospital' | 'rehab';
}
export interface ApiKey {
  id: number;
  prefix: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
export interface NewKey {
  id: number;
  prefix: string;
  key: string;
}
export interface SettlementRun {
  runId: number;
  period: string;
  status: 'running' | 'done';
  chunksDone: number;
  chunksTotal: number;
  bills: number;
  hospitals: number;
  totalFen: number;
  startedBy: string;
  startedByName: string | null;
  startedAt: string;
}
export interface SettlementLine {
  runId: number;
  period: string;
  hospitalId: number;
  hospitalName: string;
  region: string;
  bills: number;
  amountFen: number;
}
export interface Referral {
  id: number;
  institutionName: string;
  kind: 'medical' | 'vocational' | 'social';
  referredOn: string;
  plan: string;
  status: 'referred' | 'completed' | 'discontinued';
  outcome: string | null;
  outcomeOn: string | null;
  version: number;
}
export interface Rehab {
  caseId: number;
  caseStatus: string;
  screening: { flagged: boolean; kinds: string[]; categories: string[]; trace: TraceStep[] } | null;
  referrals: Referral[];
}
export interface FlaggedCase {
  caseId: number;
  accidentDate: string;
  kinds: string[];
  categories: string[];
  referrals: number;
  open: number;
}

export const hospitalApi = {
  catalogue: () => request<{ items: CatalogueItem[] }>('GET', '/api/v1/injury/catalogue'),
  me: () => request<Hospital>('GET', '/api/v1/hospital/me'),
  submit: (b: BillIn) => request<{ bill: Bill; replayed: boolean }>('POST', '/api/v1/hospital/bills', b),
  bills: (q: { unsettled?: boolean } = {}) =>
    request<{ items: BillRow[]; total: number }>('GET', '/api/v1/hospital/bills', undefined, {
      ...q,
      limit: 200,
    }),
  bill: (id: number) => request<Bill>('GET', `/api/v1/hospital/bills/${id}`),
  settlements: (runId?: number) =>
    request<{ items: SettlementLine[] }>('GET', '/api/v1/hospital/settlements', undefined, { runId }),
  keys: (hospitalId: number) => request<{ items: ApiKey[] }>('GET', `/api/v1/hospitals/${hospitalId}/keys`),
  createKey: (hospitalId: number, label: string) =>
    request<NewKey>('POST', `/api/v1/hospitals/${hospitalId}/keys`, { label }),
  rotateKey: (id: number) => request<NewKey>('POST', `/api/v1/hospital-keys/${id}/rotate`),
  revokeKey: (id: number) => request<{ revoked: boolean }>('POST', `/api/v1/hospital-keys/${id}/revoke`),
  runs: () => request<{ items: SettlementRun[] }>('GET', '/api/v1/injury/settlements'),
  runSettlement: (period: string) => request<SettlementRun>('POST', '/api/v1/injury/settlements', { period }),
  hospitals: (kind?: 'hospital' | 'rehab') =>
    request<{ items: Hospital[] }>('GET', '/api/v1/hospitals', undefined, { kind }),
  rehab: (caseId: number) => request<Rehab>('GET', `/api/v1/injury/cases/${caseId}/rehab`),
  screen: (caseId: number) => request<Rehab>('POST', `/api/v1/injury/cases/${caseId}/rehab/screen`, {}),
  refer: (caseId: number, body: { institutionId: number; kind: string; referredOn: string; plan: string }) =>
    request<Rehab>('POST', `/api/v1/injury/cases/${caseId}/rehab/referrals`, body),
  outcome: (id: number, body: { status: string; outcome: string; outcomeOn: string; version: number }) =>
    request<Rehab>('POST', `/api/v1/injury/rehab/referrals/${id}/outcome`, body),
  flagged: () => request<{ items: FlaggedCase[] }>('GET', '/api/v1/injury/rehab'),
};
