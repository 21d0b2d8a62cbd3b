// Online payment of one's own bill (issue 11): the server makes a payment order at the amount it
// computes; the gateway (a simulator on the demo) takes it and notifies the server, which records
// the payment. Also the region's contribution base limits (for the yuan-as-fen check).
import { request } from './api.ts';

export interface PaymentOrder {
  orderNo: string;
  billId: number;
  amountFen: number;
  status: 'pending' | 'paid' | 'refund_due' | 'failed' | 'expired';
  expiresAt: string;
  gatewayUrl: string;
  paymentId: number | null;
  paidAt: string | null;
}

export interface BaseLimits {
  region: string;
  period: string;
  averageWageFen: number;
  floorFen: number;
  ceilingFen: number;
}

export const paymentApi = {
  createOrder: (billId: number) =>
    request<PaymentOrder>('POST', `/api/v1/bills/${billId}/online-payments`, {}),
  order: (orderNo: string) => request<PaymentOrder>('GET', `/api/v1/online-payments/${orderNo}`),
  gatewayOrder: (orderNo: string) =>
    request<{ orderNo: string; amountFen: number; status: string; expiresAt: string }>(
      'GET',
      `/api/v1/payment-gateway/orders/${orderNo}`,
    ),
  gatewayConfirm: (orderNo: string, outcome: 'success' | 'failed') =>
    request<PaymentOrder>('POST', `/api/v1/payment-gateway/orders/${orderNo}/confirm`, { outcome }),
  baseLimits: (period: string) =>
    request<BaseLimits>('GET', '/api/v1/contributions/base-limits', undefined, { period }),
};

/** The page to come back to after the gateway: only one of our own citizen pages. */
export function safeReturnPath(back: string | null): string {
  return back !== null && /^\/citizen\/[a-z-]+$/.test(back) ? back : '/citizen';
}
