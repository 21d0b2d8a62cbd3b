// Typed client of the Shebao HTTP API: cookie session, x-csrf-token on every write, and error
// bodies ({"error": {"code", "message", "field?"}}) turned into ApiError.
import type { LineError as LineErrorShape } from '../../src/contributions/declaration.rules.ts';
import type { EmployeePensionResult } from '../../src/pension/employee-pension.rules.ts';
import type { RetirementAgeResult } from '../../src/pension/retirement-age.rules.ts';
import type { paths } from './api.gen.ts';
import type { Lang } from './i18n/lang.ts';

// ---- The API's shapes, from the server's schemas ----
// api.gen.ts is generated from the OpenAPI document of the server's routes (`npm run api-types`;
// src/http/api-types.db.test.ts fails when it is stale). The names below pick the shapes the pages
// use out of it, so a field the server renames or drops fails `tsc -p web`.

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Success = 200 | 201 | 202;
/**
 * The JSON of a route's success answers (200, 201, or 202 for work queued as a job). A route with
 * none is a type no field can be read from, not `never` (on which every field read would compile).
 */
export type Answer<P extends keyof paths, M extends Method = 'get', S extends Success = Success> = Named<
  paths[P][M] extends { responses: infer R } ? Json<R[S & keyof R]> : never,
  P
>;
type Named<T, P> = [T] extends [never] ? { noSuccessAnswer: P } : T;
/** The JSON body a route accepts. */
export type Body<P extends keyof paths, M extends Method = 'post'> = paths[P][M] extends {
  requestBody?: infer B;
}
  ? Json<NonNullable<B>>
  : never;
/** An element of an array shape. */
export type Item<T> = T extends Array<infer I> ? I : never;

export type SessionAnswer = Answer<'/api/v1/auth/me'>;
export type User = SessionAnswer['user'];
export type Role = User['role'];

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type Person = Answer<'/api/v1/persons/{id}'>;
export type PersonSummary = Item<Answer<'/api/v1/persons'>['items']>;
export type Employer = Answer<'/api/v1/employers/{id}'>;
/** The days an employer may date a hire or an end itself (the server's parameter, never a copy here). */
export type StaffWindow = Answer<'/api/v1/employers/{id}/staff-window'>;
export type StaffItem = Item<Answer<'/api/v1/employers/{id}/staff'>['items']>;
export type Enrolment = Answer<'/api/v1/enrolments', 'post'>['enrolment'];
export type Scheme = Enrolment['scheme'];
export type EndReason = Body<'/api/v1/employments/{id}/end'>['reason'];
export type EnrolmentEndReason = Body<'/api/v1/enrolments/{id}/end'>['reason'];
export type Region = Item<Answer<'/api/v1/regions'>>;
export type BackgroundJob = Answer<'/api/v1/jobs/{id}'>;
export type TraceStep = Item<Answer<'/api/v1/enrolments', 'post'>['trace']>;

/** The calculators' answers (`POST /api/v1/calc/{rule}`): the rule's result and its trace. */
export type RetirementAgeAnswer = RetirementAgeResult & { trace: TraceStep[] };
export type EmployeePensionAnswer = EmployeePensionResult & { trace: TraceStep[] };

/** One bad line of an upload: 1-based line number, the field, the reason in both languages. */
export type LineError = LineErrorShape;

export type PensionScheme = Body<'/api/v1/retirement/cases'>['scheme'];
/** GET /api/v1/persons/{id}/record (个人权益记录单). */
export type PersonRecord = Answer<'/api/v1/persons/{id}/record'>;
/** GET /api/v1/persons/{id}/pension. */
export type PersonPension = Answer<'/api/v1/persons/{id}/pension'>;
export type CertificationStatus = Answer<'/api/v1/persons/{id}/certification'>;
/** GET /api/v1/persons/{id}/certification/history (the agency's view). */
export type CertificationHistory = Answer<'/api/v1/persons/{id}/certification/history'>;
export type CertificationSourceParts = Item<CertificationHistory['certifications']>['source'];
export type Restoration = Item<Answer<'/api/v1/persons/{id}/certification/self', 'post'>['restorations']>;
export type PersonalPensionSummary = Answer<'/api/v1/persons/{id}/personal-pension', 'post'>;

export type DeclareAnswer = Extract<Answer<'/api/v1/employers/{id}/declarations', 'post'>, { ok: true }>;
export type ReceiptsAnswer = Extract<Answer<'/api/v1/payments/bank-receipts.csv', 'post'>, { ok: true }>;
export type ReturnsAnswer = Extract<Answer<'/api/v1/payments/bank-returns.csv', 'post'>, { ok: true }>;
export type ReversalKind = Body<'/api/v1/payments/{id}/reverse'>['reasonKind'];
export type HeldReceipts = Answer<'/api/v1/payments/held'>;
export type HeldReceipt = Item<HeldReceipts['items']>;
/** A payment a clerk found by bank reference or bill (to prepare a bank return, 退票). */
export type FoundPayment = Item<Answer<'/api/v1/payments'>['items']>;
export type DeclarationMonth = Item<Answer<'/api/v1/employers/{id}/declarations'>['items']>;
export type BillDetail = Answer<'/api/v1/bills/{id}'>;
export type Bill = BillDetail['bill'];
export type AmountDue = BillDetail['due'];
export type BillRates = Answer<'/api/v1/bills/{id}/rates'>;
export type BillHistory = Answer<'/api/v1/bills/{id}/history'>;
/** One payment record for the staff's receipt page: the bank line, its bills, its history, its approvals. */
export type PaymentRecord = Answer<'/api/v1/payments/{id}'>;
export type Arrears = Answer<'/api/v1/contributions/arrears'>;
export type Payment = Answer<'/api/v1/bills/{id}/payments', 'post'>;

export type RetirementDueItem = Item<Answer<'/api/v1/retirement/due'>['items']>;
/** A case; in lists also the person's and the creator's names. */
export type RetirementCase = Answer<'/api/v1/retirement/cases/{id}'> &
  Partial<Pick<Item<Answer<'/api/v1/retirement/cases'>['items']>, 'personName' | 'createdByName'>>;
export type PayrollSummary = Answer<'/api/v1/payroll/summary'>;
export type PayrollHistory = Answer<'/api/v1/payroll/history'>;

export type Campaign = Item<Answer<'/api/v1/certification/campaigns'>>;
export type CampaignCounts = Answer<'/api/v1/certification/campaigns/{id}'>['counts'];
export type UncertifiedItem = Item<Answer<'/api/v1/certification/campaigns/{id}/uncertified'>['items']>;
export type VisitRegisterItem = Item<Answer<'/api/v1/certification/visit-register'>['items']>;
export type RecoveryCase = Item<Answer<'/api/v1/pension/recovery-cases'>>;
export type ImportAnswer = Answer<'/api/v1/certification/imports', 'post'>;

export type FundsReport = Answer<'/api/v1/reports/funds'>;
export type FundStatement = Item<FundsReport['month']>;
export type AuditItem = Item<Answer<'/api/v1/audit'>['items']>;
export type AuditFilter = Omit<
  NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>,
  'page' | 'pageSize'
>;
export type LedgerVerify = Answer<'/api/v1/ledger/verify'>;

/** The address of the audit log's CSV export for a filter (a plain GET the browser downloads). */
/** The export in the page's language: its header and the changes in words. */
export const auditCsvUrl = (f: AuditFilter, lang: Lang): string =>
  withQuery('/api/v1/audit.csv', { ...f, lang });

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
  logout: () => request<Answer<'/api/v1/auth/logout', 'post'>>('POST', '/api/v1/auth/logout'),
  me: () => request<SessionAnswer>('GET', '/api/v1/auth/me'),
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
    request<Answer<'/api/v1/persons/{id}/death', 'post'>>('POST', `/api/v1/persons/${id}/death`, body),
  suspendAward: (id: number, body: { fromPeriod: string; reason: string }) =>
    request<Answer<'/api/v1/pension/awards/{id}/suspend', 'post'>>(
      'POST',
      `/api/v1/pension/awards/${id}/suspend`,
      body,
    ),
  restoreAward: (id: number, body: { reason: string }) =>
    request<Answer<'/api/v1/pension/awards/{id}/restore', 'post'>>(
      'POST',
      `/api/v1/pension/awards/${id}/restore`,
      body,
    ),
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
  staffWindow: (id: number) => request<StaffWindow>('GET', `/api/v1/employers/${id}/staff-window`),
  createEmployer: (body: {
    creditCode: string;
    name: string;
    region: string;
    industryClass: number;
    size: 'large' | 'sme';
    address?: string;
    contactPhone?: string;
  }) => request<Employer>('POST', '/api/v1/employers', body),
  /** `skippedAgain`: a file imported before — record its skipped lines whose reference is free now */
  importReceipts: (csv: string, filename: string, skippedAgain = false) =>
    request<ReceiptsAnswer>(
      'POST',
      '/api/v1/payments/bank-receipts.csv',
      csv,
      { filename, ...(skippedAgain ? { skippedAgain: true } : {}) },
      'text/csv',
    ),
  heldReceipts: (q: { minDays?: number }) =>
    request<HeldReceipts>('GET', '/api/v1/payments/held', undefined, q),
  /** Held receipts that pay a bill together (one, or a short receipt and its top-up). */
  allocateReceipts: (body: { paymentIds: number[]; billId: number; reason: string }) =>
    request<Answer<'/api/v1/payments/allocate', 'post'>>('POST', '/api/v1/payments/allocate', body),
  /** A bill's amount due on a day: the last chosen receipt's, to weigh their sum against. */
  heldBillDue: (billId: number, on: string) =>
    request<Answer<'/api/v1/payments/held/due'>>('GET', '/api/v1/payments/held/due', undefined, {
      billId,
      on,
    }),
  /** 退费: prepares the reviewed reversal of a held receipt (a reviewer releases it on 待复核). */
  refundReceipt: (id: number, reason: string) => api.reversePayment(id, 'refund', reason),
  /** 冲正: prepares the reviewed reversal of a payment, with why (the payer's notice is worded from the kind). */
  reversePayment: (id: number, reasonKind: ReversalKind, reason: string) =>
    request<Answer<'/api/v1/payments/{id}/reverse', 'post'>>('POST', `/api/v1/payments/${id}/reverse`, {
      reasonKind,
      reason,
    }),
  /** 银行退票文件: each returned credit of the region prepared as a bank-return reversal for a reviewer. */
  importReturns: (csv: string, filename: string) =>
    request<ReturnsAnswer>('POST', '/api/v1/payments/bank-returns.csv', csv, { filename }, 'text/csv'),
  /** The demo city's sample return file, built from the region's receipts (404 on a real database). */
  demoReturnSample: () =>
    request<Answer<'/api/v1/payments/bank-returns/demo-sample'>>(
      'GET',
      '/api/v1/payments/bank-returns/demo-sample',
    ),
  /** The region's payments by bank reference or bill number, each with what a bank return would do. */
  findPayments: (q: { bankRef?: string; billId?: number }) =>
    request<Answer<'/api/v1/payments'>>('GET', '/api/v1/payments', undefined, q),
  staff: (employerId: number, q: { includeEnded?: boolean; page?: number; pageSize?: number }) =>
    request<Paged<StaffItem>>('GET', `/api/v1/employers/${employerId}/staff`, undefined, q),

  startEmployment: (body: {
    idNumber: string;
    name: string;
    employerId: number;
    startDate: string;
    monthlyWageFen: number;
  }) => request<Answer<'/api/v1/employments', 'post'>>('POST', '/api/v1/employments', body),
  endEmployment: (id: number, body: { endDate: string; reason: EndReason; note?: string }) =>
    request<Answer<'/api/v1/employments/{id}/end', 'post'>>('POST', `/api/v1/employments/${id}/end`, body),
  personEmployments: (id: number) =>
    request<Answer<'/api/v1/persons/{id}/employments'>>('GET', `/api/v1/persons/${id}/employments`),
  createEnrolment: (body: {
    personId: number;
    scheme: Scheme;
    kind: Enrolment['kind'];
    employerId?: number;
    startDate?: string;
  }) => request<Answer<'/api/v1/enrolments', 'post'>>('POST', '/api/v1/enrolments', body),
  endEnrolment: (id: number, body: { endDate: string; reason: EnrolmentEndReason; note?: string }) =>
    request<Enrolment>('POST', `/api/v1/enrolments/${id}/end`, body),
  flexibleEnrol: (body: { personId?: number }) =>
    request<Answer<'/api/v1/enrolments/flexible', 'post'>>('POST', '/api/v1/enrolments/flexible', body),

  calc: <T>(rule: string, input: unknown) => request<T>('POST', `/api/v1/calc/${rule}`, input),

  record: (id: number) => request<PersonRecord>('GET', `/api/v1/persons/${id}/record`),
  pension: (id: number) => request<PersonPension>('GET', `/api/v1/persons/${id}/pension`),
  certification: (id: number) => request<CertificationStatus>('GET', `/api/v1/persons/${id}/certification`),
  certificationHistory: (id: number) =>
    request<CertificationHistory>('GET', `/api/v1/persons/${id}/certification/history`),
  certificationChallenge: (id: number) =>
    request<Answer<'/api/v1/persons/{id}/certification/challenge', 'post'>>(
      'POST',
      `/api/v1/persons/${id}/certification/challenge`,
    ),
  certificationSimulate: (id: number, nonce: string) =>
    request<{ result: string }>('POST', `/api/v1/persons/${id}/certification/simulate`, { nonce }),
  certificationSelf: (id: number, result: string) =>
    request<Answer<'/api/v1/persons/{id}/certification/self', 'post'>>(
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
    request<Answer<'/api/v1/persons/{id}/personal-pension/contributions', 'post'>>(
      'POST',
      `/api/v1/persons/${id}/personal-pension/contributions`,
      { amountFen, idempotencyKey },
    ),
  personalPensionWithdraw: (
    id: number,
    body: { amountFen: number; reason: string; idempotencyKey: string },
  ) =>
    request<Answer<'/api/v1/persons/{id}/personal-pension/withdrawals', 'post'>>(
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
  bill: (id: number) => request<Answer<'/api/v1/bills/{id}'>>('GET', `/api/v1/bills/${id}`),
  billRates: (id: number) => request<BillRates>('GET', `/api/v1/bills/${id}/rates`),
  billHistory: (id: number) => request<BillHistory>('GET', `/api/v1/bills/${id}/history`),
  paymentRecord: (id: number) => request<PaymentRecord>('GET', `/api/v1/payments/${id}`),
  personBills: (q: { personId: number; period?: string; page?: number; pageSize?: number }) =>
    request<Paged<Bill>>('GET', '/api/v1/bills', undefined, q),
  declareFlexible: (personId: number, body: { period: string; baseFen: number }) =>
    request<Answer<'/api/v1/persons/{id}/flexible-declarations', 'post'>>(
      'POST',
      `/api/v1/persons/${personId}/flexible-declarations`,
      body,
    ),
  chooseResidentTier: (personId: number, body: { year: number; tierFen: number }) =>
    request<Answer<'/api/v1/persons/{id}/resident-tier', 'post'>>(
      'POST',
      `/api/v1/persons/${personId}/resident-tier`,
      body,
    ),
  paramsInForce: (q: { region?: string; date?: string }) =>
    request<Answer<'/api/v1/params'>>('GET', '/api/v1/params', undefined, q),
  payBill: (id: number, amountFen: number) =>
    request<Payment>('POST', `/api/v1/bills/${id}/payments`, { amountFen }),
  arrears: (q: { employerId?: number }) =>
    request<Arrears>('GET', '/api/v1/contributions/arrears', undefined, q),
  /** Queues the assessment as a background job (202): follow it with waitForJob. */
  assess: (period: string) =>
    request<Answer<'/api/v1/contributions/assessments', 'post'>>(
      'POST',
      '/api/v1/contributions/assessments',
      {
        period,
      },
    ),

  retirementDue: (month?: string) =>
    request<Answer<'/api/v1/retirement/due'>>('GET', '/api/v1/retirement/due', undefined, {
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
  rejectRetirementCase: (id: number, body: { version: number; reason: string }) =>
    request<RetirementCase>('POST', `/api/v1/retirement/cases/${id}/reject`, body),
  payrollSummary: (period: string, region: string) =>
    request<PayrollSummary>('GET', '/api/v1/payroll/summary', undefined, { period, region }),
  payrollHistory: (region: string) =>
    request<PayrollHistory>('GET', '/api/v1/payroll/history', undefined, { region }),

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
  /** Queues the deadline sweep as a background job (202): follow it with api.job / waitForJob. */
  sweepCampaign: (id: number) =>
    request<Answer<'/api/v1/certification/campaigns/{id}/sweep', 'post'>>(
      'POST',
      `/api/v1/certification/campaigns/${id}/sweep`,
    ),
  job: (id: number) => request<BackgroundJob>('GET', `/api/v1/jobs/${id}`),
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
  }) => request<Answer<'/api/v1/certification/visits', 'post'>>('POST', '/api/v1/certification/visits', body),
  importData: (body: { kind: string; region: string; filename?: string; csv: string }) =>
    request<ImportAnswer>('POST', '/api/v1/certification/imports', body),

  recoveryCases: () => request<RecoveryCase[]>('GET', '/api/v1/pension/recovery-cases'),
  funds: (period: string) => request<FundsReport>('GET', '/api/v1/reports/funds', undefined, { period }),
  audit: (q: AuditFilter & { page?: number; pageSize?: number }) =>
    request<Paged<AuditItem>>('GET', '/api/v1/audit', undefined, { ...q }),
  auditActions: () => request<Answer<'/api/v1/audit/actions'>>('GET', '/api/v1/audit/actions'),
  ledgerVerify: () => request<LedgerVerify>('GET', '/api/v1/ledger/verify'),
};

/** A list answer may be a plain array or a page; both become an array. */
export const itemsOf = <T>(answer: T[] | Paged<T>): T[] => (Array.isArray(answer) ? answer : answer.items);

/**
 * Polls a background job (GET /api/v1/jobs/{id}) until it is done or failed, reporting its progress;
 * a failed job throws its error like a failed request.
 */
export async function waitForJob(
  id: number,
  onProgress?: (job: BackgroundJob) => void,
  intervalMs = 1000,
): Promise<BackgroundJob> {
  for (;;) {
    const job = await api.job(id);
    onProgress?.(job);
    if (job.status === 'done') return job;
    if (job.status === 'failed')
      throw new Error(job.error ? `${job.error.code}: ${job.error.message}` : 'job failed');
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
