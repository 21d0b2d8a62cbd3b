// Typed client of the Shebao HTTP API: cookie session, x-csrf-token on every write, and error
// bodies ({"error": {"code", "message", "field?"}}) turned into ApiError.
import type { EmployerDto } from '../../src/registry/employer.schema.ts';
import type { PersonDto, PersonSummaryDto } from '../../src/registry/person.schema.ts';

export type Role = 'citizen' | 'employer' | 'clerk' | 'reviewer' | 'supervisor' | 'admin';

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  personId: number | null;
  employerId: number | null;
  region: string | null;
}

export interface SessionAnswer {
  user: User;
  csrfToken: string;
  expiresAt: string;
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type Person = PersonDto;
export type PersonSummary = PersonSummaryDto;
export type Employer = EmployerDto;

export interface StaffItem {
  employmentId: number;
  personId: number;
  name: string;
  idNumber: string;
  sex: 'M' | 'F';
  phone: string | null;
  startDate: string;
  endDate: string | null;
  endReason: string | null;
  monthlyWageFen: number | null;
}

export type Scheme = 'employee_pension' | 'resident_pension' | 'unemployment' | 'injury';

export interface Enrolment {
  id: number;
  personId: number;
  scheme: Scheme;
  kind: 'employee' | 'flexible' | 'resident';
  region: string;
  employerId: number | null;
  employerName?: string | null;
  startDate: string;
  endDate: string | null;
  status: 'active' | 'suspended' | 'ended';
  endReason?: string | null;
}

export type EndReason = 'voluntary' | 'involuntary' | 'retirement' | 'death';
export type EnrolmentEndReason =
  'employment_ended' | 'death' | 'retirement' | 'became_employee' | 'switched_scheme' | 'moved' | 'other';

export interface Region {
  code: string;
  nameZh: string;
  nameEn: string;
  parentCode: string | null;
}

export interface TraceStep {
  step: string;
  stepZh?: string;
  value: unknown;
  parameter?: string;
  effectiveFrom?: string;
  reference?: string;
  uncertain?: boolean;
}

export interface RetirementAgeAnswer {
  originalAgeMonths: number;
  delayMonths: number;
  ageMonths: number;
  retirementDate: string;
  minContributionMonths: number;
  trace: TraceStep[];
}

export interface EmployeePensionAnswer {
  basicPensionFen: number;
  accountPensionFen: number;
  transitionalPensionFen: number;
  totalFen: number;
  divisor: number;
  trace: TraceStep[];
}

/** One bad line of an upload: 1-based line number, the field, the reason in both languages. */
export interface LineError {
  line: number;
  field: string;
  reason: string;
  reasonZh: string;
}

export type PensionScheme = 'employee_pension' | 'resident_pension';

/** GET /api/v1/persons/{id}/record (个人权益记录单). */
export interface PersonRecord {
  person: { id: number; name: string; idNumberMasked: string; region: string };
  years: Array<{
    year: number;
    scheme: PensionScheme;
    pensionMonths: number;
    unemploymentMonths: number;
    injuryMonths: number;
    unpaidMonths: number;
    averageBaseFen: number;
    contributionIndex: number | null;
    accountCreditFen: number;
    interestFen: number;
    closingBalanceFen: number;
  }>;
  totals: {
    employeePensionMonths: number;
    unemploymentMonths: number;
    injuryMonths: number;
    residentPensionYears: number;
    averageContributionIndex: number | null;
  };
  personalAccount: { employeePensionFen: number; residentPensionFen: number; interestFen: number };
  employers: Array<{
    employerId: number;
    name: string;
    creditCode: string;
    firstPeriod: string;
    lastPeriod: string;
    months: number;
  }>;
}

/** GET /api/v1/persons/{id}/pension. */
export interface PersonPension {
  personId: number;
  awards: Array<{
    id: number;
    scheme: string;
    status: string;
    retirementDate: string;
    startPeriod: string;
    monthlyFen: number;
    suspendedFromPeriod: string | null;
    stoppedFromPeriod: string | null;
    stopReason: string | null;
    amounts: Array<{ effectivePeriod: string; monthlyFen: number; reason: string; components: unknown }>;
    payments: Array<{ period: string; kind: string; amountFen: number }>;
  }>;
}

export interface CertificationStatus {
  personId: number;
  lastCertifiedOn: string | null;
  certifications: Array<{
    id: number;
    certifiedOn: string;
    channel: string;
    source: string;
    recordedBy: string;
    recordedAt: string;
  }>;
  suspensions: Array<{
    id: number;
    campaignId: number;
    awardId: number;
    suspendedFromPeriod: string;
    restoredAt: string | null;
    restoredFromPeriod: string | null;
  }>;
  notices: Array<{ id: number; kind: string; campaignId: number | null; detail: unknown; createdAt: string }>;
  onVisitRegister: { reason: string; note: string | null; addedAt: string } | null;
}

export interface Restoration {
  awardId: number;
  suspensionId: number;
  arrearsFen: number;
  fromPeriod: string | null;
  toPeriod: string | null;
}

export interface PersonalPensionSummary {
  account: {
    id: number;
    personId: number;
    region: string;
    openedOn: string;
    bankName: string | null;
    status: string;
  };
  balanceFen: number;
  contributedFen: number;
  withdrawnFen: number;
  taxPaidFen: number;
  years: Array<{ year: number; capFen: number; contributedFen: number; remainingFen: number }>;
  contributions: Array<{ id: number; year: number; paidOn: string; amountFen: number }>;
  withdrawals: Array<{
    id: number;
    reason: string;
    withdrawnOn: string;
    grossFen: number;
    taxFen: number;
    netFen: number;
    taxRatePercent: number;
  }>;
}

export interface DeclareAnswer {
  ok: true;
  inserted: number;
  replaced: number;
  unchanged: number;
  duplicateUpload: boolean;
  uploadId: number | null;
  /** corrections made: the wage held before and the one declared now */
  changes?: Array<{ personId: number; name: string; period: string; beforeFen: number; afterFen: number }>;
}

export interface ReceiptsAnswer {
  ok: true;
  duplicateUpload: boolean;
  matched?: number;
  unallocated?: number;
}

export interface DeclarationMonth {
  period: string;
  persons: number;
  wageTotalFen: number;
  declaredAt: string;
  billed: boolean;
}

export interface Bill {
  id: number;
  region: string;
  period: string;
  payerKind: string;
  employerId: number | null;
  personId: number | null;
  backPayment: boolean;
  dueDate: string;
  lines: number;
  status: string;
  totalFen: number;
  paidDate: string | null;
  pensionEmployerFen: number;
  pensionEmployeeFen: number;
  unemploymentEmployerFen: number;
  unemploymentEmployeeFen: number;
  injuryFen: number;
}

export interface AmountDue {
  contributionFen: number;
  lateDays: number;
  lateFeeFen: number;
  totalFen: number;
}

export interface Arrears {
  asOf: string;
  items: Array<{ bill: Bill; due: AmountDue }>;
  totalArrearsFen: number;
  totalLateFeeFen: number;
}

export interface Payment {
  paymentId: number;
  billId: number | null;
  amountFen: number;
  contributionFen: number;
  lateFeeFen: number;
  lateDays: number;
  paidDate: string;
  bankRef: string | null;
  status: string;
}

export interface RetirementDueItem {
  scheme: PensionScheme;
  personId: number;
  name: string;
  birthDate: string;
  category: string;
  statutoryDate: string;
  ageMonths: number;
  earliestFlexibleDate: string;
  latestFlexibleDate: string;
  minContributionMonths: number;
  /** the person's latest retirement case, if any */
  caseId?: number | null;
  caseStatus?: string | null;
}

export interface RetirementCase {
  id: number;
  personId: number;
  scheme: PensionScheme;
  region: string;
  retirementKind: string;
  retirementDate: string;
  status: string;
  eligible: boolean | null;
  missingMonths: number | null;
  options: unknown;
  inputs: unknown;
  parameterVersions: unknown;
  trace: unknown;
  result: unknown;
  monthlyFen: number | null;
  createdBy: string;
  reviewedBy: string | null;
  reviewNote: string | null;
  awardId: number | null;
  version: number;
  /** in lists */
  personName?: string;
  createdByName?: string | null;
}

export interface PayrollSummary {
  runId: number | null;
  period: string;
  region: string;
  status: string;
  chunksDone: number;
  chunksTotal: number;
  payments: number;
  regularFen: number;
  arrearsFen: number;
  totalFen: number;
}

export interface AdjustmentAnswer {
  region: string;
  year: number;
  effectivePeriod: string;
  adjusted: number;
  increaseFen: number;
  arrearsQueued: number;
  arrearsFen: number;
  parameterVersions: Array<{ parameter: string; effectiveFrom: string | null }>;
}

export interface Campaign {
  id: number;
  region: string;
  year: number;
  windowStart: string;
  deadline: string;
  suspendFromPeriod: string;
  status: string;
  sweptAt: string | null;
  createdBy: string;
  createdAt: string;
}

export interface CampaignCounts {
  pensioners: number;
  certified: number;
  uncertified: number;
  suspended: number;
  restored: number;
  byChannel: Record<string, number>;
}

export interface UncertifiedItem {
  personId: number;
  idNumber: string;
  name: string;
  birthDate: string;
  region: string;
  awardId: number;
  awardStatus: string;
  lastCertifiedOn: string | null;
  onVisitRegister: boolean;
}

export interface VisitRegisterItem {
  personId: number;
  name: string;
  idNumber: string;
  birthDate: string;
  region: string;
  reason: string;
  note: string | null;
  addedBy: string;
  addedAt: string;
  lastVisitedOn: string | null;
}

export interface RecoveryCase {
  id: number;
  personId: number;
  personName: string;
  reason: string;
  amountFen: number;
  recoveredFen: number;
  status: string;
  fromPeriod: string | null;
  toPeriod: string | null;
}

export interface ImportAnswer {
  status: string;
  importId: number;
  kind: string;
  region: string;
  counts: Record<string, number>;
}

export interface FundStatement {
  fund: string;
  region: string;
  incomeFen: number;
  expenditureFen: number;
  balanceFen: number;
  personalAccountFen: number;
  summaryZh: string;
}

export interface FundsReport {
  period: string;
  region: string | null;
  month: FundStatement[];
  yearToDate: FundStatement[];
  insured: Array<{ region: string; scheme: string; count: number }>;
  centralAdjustment: null | { year: number; note: string; [k: string]: unknown };
  warnings: Array<{ fund: string; region: string; code: string; shortfallFen: number }>;
}

export interface AuditItem {
  id: number;
  at: string;
  actorUsername: string;
  actorName: string | null;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string | null;
  subjectName: string | null;
  region: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditFilter {
  action?: string;
  entityType?: string;
  entityId?: string;
  actor?: string;
  from?: string;
  to?: string;
}

/** The address of the audit log's CSV export for a filter (a plain GET the browser downloads). */
export const auditCsvUrl = (f: AuditFilter): string => withQuery('/api/v1/audit.csv', { ...f });

export interface LedgerVerify {
  ok: boolean;
  entries: number;
  lines: number;
  unbalancedEntries: unknown[];
  equationDifferences: unknown[];
  subLedgers: Array<{ name: string; ok: boolean; differences: unknown[] }>;
  balances: unknown[];
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly field: string | undefined;
  /** line-by-line problems of an upload (CSV declarations, data imports), when the server lists them */
  readonly lines: LineError[];
  constructor(status: number, code: string, message: string, field?: string, lines: LineError[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.lines = lines;
  }
}

let csrfToken: string | null = null;

/** Remembers the CSRF token of the current session (from login or /auth/me). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401, so the app can show the login page. */
let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(fn: (() => void) | null): void {
  onUnauthenticated = fn;
}

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  query?: Query,
  /** send `body` (a string) as it is with this content type, e.g. text/csv */
  rawContentType?: string,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = rawContentType ?? 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined
        ? { body: rawContentType && typeof body === 'string' ? body : JSON.stringify(body) }
        : {}),
    });
  } catch {
    throw new ApiError(
      0,
      'SB_ERR_NETWORK',
      '无法连接服务器，请检查网络后重试 / Cannot reach the server: check the network and retry',
    );
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const answer = data as {
      error?: { code?: string; message?: string; field?: string; lines?: LineError[] };
      errors?: LineError[];
    } | null;
    const err = answer?.error;
    if (res.status === 401 && path !== '/api/v1/auth/login' && onUnauthenticated) onUnauthenticated();
    throw new ApiError(
      res.status,
      err?.code ?? `HTTP_${res.status}`,
      err?.message ??
        `服务器错误（${res.status}），请稍后重试 / Server error (${res.status}), try again later`,
      err?.field,
      err?.lines ?? answer?.errors ?? [],
    );
  }
  return data as T;
}

export const api = {
  login: (username: string, password: string) =>
    request<SessionAnswer>('POST', '/api/v1/auth/login', { username, password }),
  logout: () => request<{ ok: boolean }>('POST', '/api/v1/auth/logout'),
  me: () => request<SessionAnswer>('GET', '/api/v1/auth/me'),
  openApi: () => request<{ paths?: Record<string, Record<string, unknown>> }>('GET', '/api/docs/json'),
  regions: () => request<Region[]>('GET', '/api/v1/regions'),

  searchPersons: (q: {
    name?: string;
    idNumber?: string;
    region?: string;
    page?: number;
    pageSize?: number;
  }) => request<Paged<PersonSummary>>('GET', '/api/v1/persons', undefined, q),
  person: (id: number) => request<Person>('GET', `/api/v1/persons/${id}`),
  updatePerson: (
    id: number,
    body: { version: number; name?: string; phone?: string | null; address?: string | null },
  ) => request<Person>('PATCH', `/api/v1/persons/${id}`, body),
  recordDeath: (id: number, body: { deathDate: string; version?: number; reason?: string }) =>
    request<{ person: Person; endedEnrolments: number; endedEmployments: number }>(
      'POST',
      `/api/v1/persons/${id}/death`,
      body,
    ),
  suspendAward: (id: number, body: { fromPeriod: string; reason: string }) =>
    request<{ changed: boolean }>('POST', `/api/v1/pension/awards/${id}/suspend`, body),
  restoreAward: (id: number, body: { reason: string }) =>
    request<{ changed: boolean; arrearsFen: number }>('POST', `/api/v1/pension/awards/${id}/restore`, body),
  createPerson: (body: {
    idNumber: string;
    name: string;
    region: string;
    hukouRegion?: string;
    phone?: string;
    address?: string;
  }) => request<Person>('POST', '/api/v1/persons', body),
  personEnrolments: (id: number) =>
    request<Enrolment[] | Paged<Enrolment>>('GET', `/api/v1/persons/${id}/enrolments`),

  searchEmployers: (q: { name?: string; creditCode?: string; page?: number; pageSize?: number }) =>
    request<Paged<Employer>>('GET', '/api/v1/employers', undefined, q),
  employer: (id: number) => request<Employer>('GET', `/api/v1/employers/${id}`),
  createEmployer: (body: {
    creditCode: string;
    name: string;
    region: string;
    industryClass: number;
    size: 'large' | 'sme';
    address?: string;
    contactPhone?: string;
  }) => request<Employer>('POST', '/api/v1/employers', body),
  importReceipts: (csv: string, filename: string) =>
    request<ReceiptsAnswer>('POST', '/api/v1/payments/bank-receipts.csv', csv, { filename }, 'text/csv'),
  staff: (employerId: number, q: { includeEnded?: boolean; page?: number; pageSize?: number }) =>
    request<Paged<StaffItem>>('GET', `/api/v1/employers/${employerId}/staff`, undefined, q),

  startEmployment: (body: {
    idNumber: string;
    name: string;
    employerId: number;
    startDate: string;
    monthlyWageFen: number;
  }) =>
    request<{
      employment: { id: number; personId: number };
      enrolled: Enrolment[];
      alreadyEnrolled: Scheme[];
      ended: Enrolment[];
    }>('POST', '/api/v1/employments', body),
  endEmployment: (id: number, body: { endDate: string; reason: EndReason; note?: string }) =>
    request<{ employment: { id: number }; endedEnrolments: Enrolment[] }>(
      'POST',
      `/api/v1/employments/${id}/end`,
      body,
    ),
  personEmployments: (id: number) =>
    request<{ id: number; employerId: number; startDate: string; endDate: string | null }[]>(
      'GET',
      `/api/v1/persons/${id}/employments`,
    ),
  createEnrolment: (body: {
    personId: number;
    scheme: Scheme;
    kind: Enrolment['kind'];
    employerId?: number;
    startDate?: string;
  }) => request<{ enrolment: Enrolment; trace: TraceStep[] }>('POST', '/api/v1/enrolments', body),
  endEnrolment: (id: number, body: { endDate: string; reason: EnrolmentEndReason; note?: string }) =>
    request<Enrolment>('POST', `/api/v1/enrolments/${id}/end`, body),
  flexibleEnrol: (body: { personId?: number }) =>
    request<{ enrolment: Enrolment; trace: TraceStep[] }>('POST', '/api/v1/enrolments/flexible', body),

  calc: <T>(rule: string, input: unknown) => request<T>('POST', `/api/v1/calc/${rule}`, input),

  record: (id: number) => request<PersonRecord>('GET', `/api/v1/persons/${id}/record`),
  pension: (id: number) => request<PersonPension>('GET', `/api/v1/persons/${id}/pension`),
  certification: (id: number) => request<CertificationStatus>('GET', `/api/v1/persons/${id}/certification`),
  certificationChallenge: (id: number) =>
    request<{ nonce: string; expiresAt: string; vendors: string[]; simulator: boolean }>(
      'POST',
      `/api/v1/persons/${id}/certification/challenge`,
    ),
  certificationSimulate: (id: number, nonce: string) =>
    request<{ result: string }>('POST', `/api/v1/persons/${id}/certification/simulate`, { nonce }),
  certificationSelf: (id: number, result: string) =>
    request<{ certificationId: number; certifiedOn: string; restorations: Restoration[] }>(
      'POST',
      `/api/v1/persons/${id}/certification/self`,
      { result },
    ),
  personalPension: (id: number) =>
    request<PersonalPensionSummary | null>('GET', `/api/v1/persons/${id}/personal-pension`, undefined, {
      ifOpened: true,
    }),
  openPersonalPension: (id: number, bankName?: string) =>
    request<PersonalPensionSummary>(
      'POST',
      `/api/v1/persons/${id}/personal-pension`,
      bankName ? { bankName } : {},
    ),
  personalPensionContribute: (id: number, amountFen: number, idempotencyKey: string) =>
    request<{ amountFen: number; yearContributedFen: number; yearCapFen: number }>(
      'POST',
      `/api/v1/persons/${id}/personal-pension/contributions`,
      { amountFen, idempotencyKey },
    ),
  personalPensionWithdraw: (
    id: number,
    body: { amountFen: number; reason: string; idempotencyKey: string },
  ) =>
    request<{ grossFen: number; taxFen: number; netFen: number; balanceAfterFen: number }>(
      'POST',
      `/api/v1/persons/${id}/personal-pension/withdrawals`,
      body,
    ),

  declare: (
    employerId: number,
    lines: Array<{ idNumber?: string; personId?: number; name?: string; period: string; wageFen: number }>,
  ) => request<DeclareAnswer>('POST', `/api/v1/employers/${employerId}/declarations`, { lines }),
  declarationHistory: (employerId: number) =>
    request<Paged<DeclarationMonth>>('GET', `/api/v1/employers/${employerId}/declarations`, undefined, {
      pageSize: 24,
    }),
  declareCsv: (employerId: number, csv: string, filename: string) =>
    request<DeclareAnswer>(
      'POST',
      `/api/v1/employers/${employerId}/declarations.csv`,
      csv,
      { filename },
      'text/csv',
    ),
  bills: (q: { employerId?: number; status?: string; period?: string; page?: number; pageSize?: number }) =>
    request<Paged<Bill>>('GET', '/api/v1/bills', undefined, q),
  bill: (id: number) =>
    request<{ bill: Bill; lines: Array<Record<string, unknown>>; due: AmountDue }>(
      'GET',
      `/api/v1/bills/${id}`,
    ),
  personBills: (q: { personId: number; period?: string; page?: number; pageSize?: number }) =>
    request<Paged<Bill>>('GET', '/api/v1/bills', undefined, q),
  declareFlexible: (personId: number, body: { period: string; baseFen: number }) =>
    request<{
      declarationId: number;
      floorFen: number;
      ceilingFen: number;
      billId: number | null;
      billTotalFen: number | null;
    }>('POST', `/api/v1/persons/${personId}/flexible-declarations`, body),
  chooseResidentTier: (personId: number, body: { year: number; tierFen: number }) =>
    request<{
      billId: number;
      tierFen: number;
      personFen: number;
      subsidyFen: number;
      governmentPaidFen: number;
    }>('POST', `/api/v1/persons/${personId}/resident-tier`, body),
  paramsInForce: (q: { region?: string; date?: string }) =>
    request<{ region: string; date: string; parameters: Array<{ path: string; value: unknown }> }>(
      'GET',
      '/api/v1/params',
      undefined,
      q,
    ),
  payBill: (id: number, amountFen: number) =>
    request<Payment>('POST', `/api/v1/bills/${id}/payments`, { amountFen }),
  arrears: (q: { employerId?: number }) =>
    request<Arrears>('GET', '/api/v1/contributions/arrears', undefined, q),
  assess: (period: string) =>
    request<Record<string, unknown>>('POST', '/api/v1/contributions/assessments', { period }),

  retirementDue: (month?: string) =>
    request<{ month: string; items: RetirementDueItem[] }>('GET', '/api/v1/retirement/due', undefined, {
      month,
    }),
  retirementCases: (q: { status?: string; page?: number; pageSize?: number }) =>
    request<Paged<RetirementCase>>('GET', '/api/v1/retirement/cases', undefined, q),
  retirementCase: (id: number) => request<RetirementCase>('GET', `/api/v1/retirement/cases/${id}`),
  openRetirementCase: (body: { personId: number; scheme: PensionScheme }) =>
    request<RetirementCase>('POST', '/api/v1/retirement/cases', body),
  computeRetirementCase: (id: number, body: Record<string, number>) =>
    request<RetirementCase>('POST', `/api/v1/retirement/cases/${id}/compute`, body),
  submitRetirementCase: (id: number, version: number) =>
    request<RetirementCase>('POST', `/api/v1/retirement/cases/${id}/submit`, { version }),
  reviewRetirementCase: (
    id: number,
    body: { decision: 'approve' | 'return'; version: number; note?: string },
  ) => request<RetirementCase>('POST', `/api/v1/retirement/cases/${id}/review`, body),
  payrollSummary: (period: string, region: string) =>
    request<PayrollSummary>('GET', '/api/v1/payroll/summary', undefined, { period, region }),

  campaigns: () => request<Campaign[]>('GET', '/api/v1/certification/campaigns'),
  campaign: (id: number) =>
    request<Campaign & { counts: CampaignCounts }>('GET', `/api/v1/certification/campaigns/${id}`),
  createCampaign: (body: { region: string; year: number; deadline?: string }) =>
    request<Campaign>('POST', '/api/v1/certification/campaigns', body),
  uncertified: (id: number, page: number, pageSize: number) =>
    request<Paged<UncertifiedItem>>('GET', `/api/v1/certification/campaigns/${id}/uncertified`, undefined, {
      page,
      pageSize,
    }),
  sweepCampaign: (id: number) =>
    request<{ suspended: number; suspendedFromPeriod: string; status: string }>(
      'POST',
      `/api/v1/certification/campaigns/${id}/sweep`,
    ),
  visitRegister: (page: number, pageSize: number) =>
    request<Paged<VisitRegisterItem>>('GET', '/api/v1/certification/visit-register', undefined, {
      page,
      pageSize,
    }),
  addToVisitRegister: (body: { personId: number; reason: string; note?: string }) =>
    request<unknown>('POST', '/api/v1/certification/visit-register', body),
  recordVisit: (body: {
    personId: number;
    visitedOn: string;
    outcome: string;
    deathDate?: string;
    note?: string;
  }) =>
    request<{ outcome: string; certificationId: number | null; deathRecorded: boolean }>(
      'POST',
      '/api/v1/certification/visits',
      body,
    ),
  importData: (body: { kind: string; region: string; filename?: string; csv: string }) =>
    request<ImportAnswer>('POST', '/api/v1/certification/imports', body),

  recoveryCases: () => request<RecoveryCase[]>('GET', '/api/v1/pension/recovery-cases'),
  funds: (period: string) => request<FundsReport>('GET', '/api/v1/reports/funds', undefined, { period }),
  audit: (q: AuditFilter & { page?: number; pageSize?: number }) =>
    request<Paged<AuditItem>>('GET', '/api/v1/audit', undefined, { ...q }),
  ledgerVerify: () => request<LedgerVerify>('GET', '/api/v1/ledger/verify'),
};

/** A list answer may be a plain array or a page; both become an array. */
export const itemsOf = <T>(answer: T[] | Paged<T>): T[] => (Array.isArray(answer) ? answer : answer.items);
