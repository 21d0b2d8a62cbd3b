// Collecting a recovery case (issue 11): a repayment or an offset against future pension, prepared by
// a clerk and released by a reviewer; the case's collections.
import type { Approval } from './api-approvals.ts';
import { request, type Answer, type Body, type Item } from './api.ts';

export type RecoveryCollection = Item<Answer<'/api/v1/pension/recovery-cases/{id}/collections'>>;

export type CollectionInput = Body<'/api/v1/pension/recovery-cases/{id}/collections'>;

export const recoveryApi = {
  collections: (caseId: number) =>
    request<RecoveryCollection[]>('GET', `/api/v1/pension/recovery-cases/${caseId}/collections`),
  prepareCollection: (caseId: number, body: CollectionInput) =>
    request<Approval>('POST', `/api/v1/pension/recovery-cases/${caseId}/collections`, body),
};
