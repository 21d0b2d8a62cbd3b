// API shapes and calls of the stable-employment refunds and the skill-upgrade subsidy
// (src/unemployment/refund.routes.ts, skill-subsidy.routes.ts).
import { request, type Paged, type TraceStep } from '../../api.ts';
import type { Approval } from '../../api-approvals.ts';
import { agencyYear } from '../../format.ts';

export type RefundPaymentStatus = 'paid' | 'awaiting-release' | 'no-bank-account' | 'not-eligible';

export interface Refund {
  id: number;
  year: number;
  dataYear: number;
  employerId: number;
  employerName: string;
  region: string;
  size: string;
  insuredCount: number;
  laidOffCount: number;
  premiumsPaidFen: number;
  paidMonths: number;
  arrears: boolean;
  eligible: boolean;
  refundFen: number;
  ratePercent: number | null;
  layoffRatePercent: number | null;
  layoffLimitPercent: number | null;
  reason: string | null;
  reasonZh: string | null;
  trace: TraceStep[];
  payment: null | { paidOn: string; amountFen: number; bankName: string; bankAccount: string | null };
  paymentStatus: RefundPaymentStatus;
}

export interface RefundBatch {
  year: number;
  dataYear: number;
  region: string;
  scanStatus: 'not_started' | 'running' | 'done';
  employersScanned: number;
  qualifying: number;
  totalFen: number;
  paid: number;
  paidFen: number;
  awaitingRelease: number;
  awaitingFen: number;
  noBankAccount: number;
  notEligibleByReason: Array<{ reason: string; reasonZh: string; employers: number }>;
  pendingApprovalId: number | null;
  /** the caller may start the year's scan (refund.scan and a region covering every employer) */
  scanAllowed: boolean;
}

export type SkillStatus = 'submitted' | 'approved' | 'rejected' | 'paid';

export interface SkillApplication {
  id: number;
  personId: number;
  personName: string;
  region: string;
  certificate: {
    certificateNo: string;
    occupation: string;
    level: number;
    issueDate: string;
    issuer: string;
  };
  appliedOn: string;
  contributionMonths: number;
  eligible: boolean;
  amountFen: number;
  reason: string | null;
  reasonZh: string | null;
  trace: TraceStep[];
  status: SkillStatus;
  decisionNote: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  paidOn: string | null;
  bankName: string | null;
  bankAccount: string | null;
  pendingApprovalId: number | null;
}

export interface MyCertificates {
  certificates: Array<{
    certificateNo: string;
    occupation: string;
    level: number;
    issueDate: string;
    issuer: string;
    applicationId: number | null;
    applicationStatus: string | null;
  }>;
  applications: SkillApplication[];
}

export interface RegisterImports {
  certificates: number;
  items: Array<{
    id: number;
    region: string;
    filename: string | null;
    rows: number;
    createdBy: string;
    createdAt: string;
  }>;
}

export const refundApi = {
  employerRefunds: (employerId: number) =>
    request<{ items: Refund[] }>('GET', `/api/v1/employers/${employerId}/refunds`),
  batch: (year: number) => request<RefundBatch>('GET', `/api/v1/unemployment/refund-batches/${year}`),
  results: (year: number, q: { eligible?: boolean; page: number; pageSize: number }) =>
    request<Paged<Refund>>('GET', `/api/v1/unemployment/refund-batches/${year}/results`, undefined, q),
  /** Queues the year's scan as a background job (202): follow it with waitForJob. */
  scan: (year: number) =>
    request<{ jobId: number; status: string; queued: boolean }>(
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
    request<{ status: string; importId: number; rows: number }>(
      'POST',
      '/api/v1/unemployment/certificate-register/imports',
      { csv, filename },
    ),
};

/** The refund year the pages show by default: last year (the scan of this year runs next year). */
export const defaultRefundYear = (): number => agencyYear() - 1;
