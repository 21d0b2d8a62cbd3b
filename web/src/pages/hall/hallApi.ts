// The hall's API shapes and calls (see src/hall/hall.routes.ts).
import { request, type Answer, type Body, type Item, type Paged } from '../../api.ts';

export type ServiceItem = Answer<'/api/v1/services/{code}'>;
export type ApplicationDetail = Answer<'/api/v1/applications/{id}'>;
export type Application = Item<Answer<'/api/v1/applications'>['items']>;
export type AppStatus = Application['status'];
export type AppAction = Body<'/api/v1/applications/{id}/actions'>['action'];
export type Message = Item<Answer<'/api/v1/messages'>['items']>;
export type Verification = Answer<'/api/v1/verify/{code}'>;

export const hallApi = {
  services: (q?: string) =>
    request<Answer<'/api/v1/services'>>('GET', '/api/v1/services', undefined, q ? { q } : {}),
  service: (code: string) => request<ServiceItem>('GET', `/api/v1/services/${encodeURIComponent(code)}`),
  requestCitizen: (b: { idNumber: string; name: string; phone: string }) =>
    request<Answer<'/api/v1/accounts/citizen', 'post'>>('POST', '/api/v1/accounts/citizen', b),
  confirmCitizen: (b: { idNumber: string; phone: string; code: string; password: string }) =>
    request<Answer<'/api/v1/accounts/citizen/confirm', 'post'>>(
      'POST',
      '/api/v1/accounts/citizen/confirm',
      b,
    ),
  requestEmployer: (b: {
    creditCode: string;
    legalRepName: string;
    legalRepIdNumber: string;
    phone: string;
  }) => request<Answer<'/api/v1/accounts/employer', 'post'>>('POST', '/api/v1/accounts/employer', b),
  confirmEmployer: (b: { creditCode: string; phone: string; code: string; password: string }) =>
    request<Answer<'/api/v1/accounts/employer/confirm', 'post'>>(
      'POST',
      '/api/v1/accounts/employer/confirm',
      b,
    ),
  requestReset: (b: { username: string; phone: string }) =>
    request<Answer<'/api/v1/accounts/password-reset', 'post'>>('POST', '/api/v1/accounts/password-reset', b),
  confirmReset: (b: { username: string; phone: string; code: string; password: string }) =>
    request<Answer<'/api/v1/accounts/password-reset/confirm', 'post'>>(
      'POST',
      '/api/v1/accounts/password-reset/confirm',
      b,
    ),
  demoSms: (phone: string) =>
    request<Answer<'/api/v1/hall/demo-sms'>>('GET', '/api/v1/hall/demo-sms', undefined, { phone }),
  verify: (code: string) => request<Verification>('GET', `/api/v1/verify/${encodeURIComponent(code)}`),
  async verifyPdf(code: string, file: Blob): Promise<Verification> {
    const res = await fetch(`/api/v1/verify/${encodeURIComponent(code)}/pdf`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', accept: 'application/json' },
      body: file,
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return (await res.json()) as Verification;
  },
  applications: (page: number) =>
    request<Paged<Application>>('GET', '/api/v1/applications', undefined, { page, pageSize: 20 }),
  application: (id: number) => request<ApplicationDetail>('GET', `/api/v1/applications/${id}`),
  apply: (b: { serviceCode: string; note?: string }) =>
    request<Application>('POST', '/api/v1/applications', b),
  act: (id: number, b: { action: AppAction; version: number; note?: string }) =>
    request<Application>('POST', `/api/v1/applications/${id}/actions`, b),
  queue: (q: { page: number; overdue: boolean; sort: 'deadline' | 'submitted' }) =>
    request<Paged<Application> & { overdue: number }>('GET', '/api/v1/applications/queue', undefined, {
      page: q.page,
      pageSize: 20,
      sort: q.sort,
      ...(q.overdue ? { overdue: true } : {}),
    }),
  messages: (q: { page: number; unread: boolean }) =>
    request<Paged<Message> & { unread: number }>('GET', '/api/v1/messages', undefined, {
      page: q.page,
      pageSize: 20,
      ...(q.unread ? { unread: true } : {}),
    }),
  markRead: (id: number) =>
    request<Answer<'/api/v1/messages/{id}/read', 'post'>>('POST', `/api/v1/messages/${id}/read`),
  markAllRead: () =>
    request<Answer<'/api/v1/messages/read-all', 'post'>>('POST', '/api/v1/messages/read-all'),
  statistics: () => request<Answer<'/api/v1/hall/statistics'>>('GET', '/api/v1/hall/statistics'),
};

/** Downloads a certificate: the PDF as a file, and the verification code from its header. */
export async function downloadCertificate(url: string, filename: string): Promise<string> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  }
  const code = res.headers.get('x-verification-code') ?? '';
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${filename}-${code}.pdf`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  return code;
}
