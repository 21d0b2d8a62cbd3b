// The payment gateway's signed notice (online payment of a bill): the canonical text both sides sign
// with the shared HMAC secret, and its check. Pure.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface GatewayNotice {
  orderNo: string;
  gatewayRef: string;
  amountFen: number;
  status: 'success' | 'failed';
  /** hex HMAC-SHA256 of the canonical text (noticeText) with the shared secret */
  signature: string;
}

/** The signed text: fields in a fixed order, so both sides sign the same bytes. */
const noticeText = (n: Omit<GatewayNotice, 'signature'>): string =>
  `orderNo=${n.orderNo}&gatewayRef=${n.gatewayRef}&amountFen=${n.amountFen}&status=${n.status}`;

export const signNotice = (secret: string, n: Omit<GatewayNotice, 'signature'>): string =>
  createHmac('sha256', secret).update(noticeText(n)).digest('hex');

export function verifySignature(secret: string, n: GatewayNotice): boolean {
  const want = Buffer.from(signNotice(secret, n), 'hex');
  const got = /^[0-9a-f]{64}$/.test(n.signature) ? Buffer.from(n.signature, 'hex') : Buffer.alloc(0);
  return got.length === want.length && timingSafeEqual(got, want);
}
