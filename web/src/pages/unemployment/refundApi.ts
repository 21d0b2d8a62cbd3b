// API shapes and calls of the stable-employment refunds and the skill-upgrade subsidy
// (src/unemployment/refund.routes.ts, skill-subsidy.routes.ts).
import type { paths } from '../../api.gen.ts';
import { request, type Answer, type Item, type Paged } from '../../api.ts';
import type { Approval } from '../../api-approvals.ts';
import { agencyYear } from '../../format.ts';

export type Refund = Item<Answer<'/api/v1/employers/{id}/refunds'>['items']>;
export type RefundPaymentStatus = Refund['paymentStatus'];
export type RefundBatch = Answer<'/api/v1/unemployment/refund-batches/{year}'>;
export type SkillApplication = Answer<'/api/v1/unemployment/skill-subsidies', 'post'>;
/** The statuses the queue filters on (the query's, which names them all). */
export type SkillStatus = NonNullable<
  NonNullable<paths['/api/v1/unemployment/skill-subsidies']['get']['parameters']['query']>['status']
>;
export type MyCertificates = Answer<'/api/v1/persons/{id}/skill-subsidies'>;
export type RegisterImports = Answer<'/api/v1/unemployment/certificate-register/imports'>;

export const refundApi = {
  employerRefunds: (employerId: number) =>
    request<{ items: Refund[] }>('GET', `/api/v1/employers/${employerId}/refunds`),
  batch: (year: number) => request<RefundBatch>('GET', `/api/v1/unemployment/refund-batches/${year}`),
  results: (year: number, q: { eligible?: boolean; page: number; pageSize: number }) =>
    request<Paged<Refund>>('GET', `/api/v1/unemployment/refund-batches/${year}/results`, undefined, q),
  /** Queues the year's scan as a background job (202): follow it with waitForJob. */
  scan: (year: number) =>
    request<Answer<'/api/v1/unemployment/refund-batches/{year}/scan', 'post'>>(
      'POST',
      `/api/v1/unemployment/refund-batches/${year}/scan`,
    ),
  preparePayment: (year: number, region: string) =>
    request<Approval>('POST', `/api/v1/unemployment/refund-batches/${year}/payments`, { region }),
  mySkill: (personId: number) =>
    request<MyCertificates>('GET', `/api/v1/persons/${personId}/skill-subsidies`),
  apply: (certificateNo: string) =>
    request<SkillApplication>('POST', '/api/v1/unemployment/skill-subsidies', { certificateNo }),
  skillQueue: (q: { status?: SkillStatus; page: number; pageSize: number }) =>
    request<Paged<SkillApplication>>('GET', '/api/v1/unemployment/skill-subsidies', undefined, q),
  propose: (id: number, grant: boolean, note?: string) =>
    request<Approval>(
      'POST',
      `/api/v1/unemployment/skill-subsidies/${id}/decision`,
      note ? { grant, note } : { grant },
    ),
  registerImports: () => request<RegisterImports>('GET', '/api/v1/unemployment/certificate-register/imports'),
  importRegister: (csv: string, filename: string) =>
    request<Answer<'/api/v1/unemployment/certificate-register/imports', 'post'>>(
      'POST',
      '/api/v1/unemployment/certificate-register/imports',
      { csv, filename },
    ),
};

/** The refund year the pages show by default: last year (the scan of this year runs next year). */
export const defaultRefundYear = (): number => agencyYear() - 1;
