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

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly field: string | undefined;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
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
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
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
    const err = (data as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    if (res.status === 401 && path !== '/api/v1/auth/login' && onUnauthenticated) onUnauthenticated();
    throw new ApiError(
      res.status,
      err?.code ?? `HTTP_${res.status}`,
      err?.message ??
        `服务器错误（${res.status}），请稍后重试 / Server error (${res.status}), try again later`,
      err?.field,
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
  staff: (employerId: number, q: { includeEnded?: boolean; page?: number; pageSize?: number }) =>
    request<Paged<StaffItem>>('GET', `/api/v1/employers/${employerId}/staff`, undefined, q),

  startEmployment: (body: {
    personId?: number;
    idNumber?: string;
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
  flexibleEnrol: (body: { personId?: number }) =>
    request<{ enrolment: Enrolment; trace: TraceStep[] }>('POST', '/api/v1/enrolments/flexible', body),

  calc: <T>(rule: string, input: unknown) => request<T>('POST', `/api/v1/calc/${rule}`, input),
};

/** A list answer may be a plain array or a page; both become an array. */
export const itemsOf = <T>(answer: T[] | Paged<T>): T[] => (Array.isArray(answer) ? answer : answer.items);
