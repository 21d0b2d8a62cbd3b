// Collecting a recovery case (issue 11): a repayment or an offset against future pension, prepared by
// a clerk and released by a reviewer; the case's collections.
import type { Approval } from './api-approvals.ts';
import { request } from './api.ts';

export interface RecoveryCollection {
  id: number;
  caseId: number;
  kind: 'repayment' | 'offset';
  amountFen: number;
  receivedDate: string | null;
  bankRef: string | null;
  period: string | null;
  status: 'recorded' | 'scheduled' | 'applied';
  note: string | null;
  createdBy: string;
  createdAt: string;
}

export type CollectionInput =
  | { kind: 'repayment'; amountFen: number; receivedDate: string; bankRef?: string; note?: string }
  | { kind: 'offset'; amountFen: number; period: string; note?: string };

export const recoveryApi = {
  collections: (caseId: number) =>
    request<RecoveryCollection[]>('GET', `/api/v1/pension/recovery-cases/${caseId}/collections`),
  prepareCollection: (caseId: number, body: CollectionInput) =>
    request<Approval>('POST', `/api/v1/pension/recovery-cases/${caseId}/collections`, body),
};
