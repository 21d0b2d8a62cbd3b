// Online payment of a citizen's own bill (flexible worker, resident), as a real 网银/第三方支付 works:
//   1. the citizen asks to pay a bill: the server creates a payment order for the exact amount due
//      today (contribution plus late fee, computed by the server; an amount the client sends must
//      equal it) and answers the gateway's address;
//   2. the gateway (here a simulator on demo databases) takes the money and sends the server a
//      notice signed with the shared HMAC secret: order number, gateway reference, amount, status;
//   3. the server checks the signature, the order and the amount, and records the payment itself —
//      dated by its own clock, for the order's amount, with the gateway reference as bank reference.
// The notice is idempotent: a replay answers the order as it stands and pays nothing twice (the
// order moves pending → paid once; the payment's bank reference is unique). Money for a bill that can
// no longer take it (a second order paid) is acknowledged and held for a refund (order refund_due).
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/audit.repository.ts';
import { auditReason } from '../audit/audit-reasons.ts';
import { systemActor, type Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { now, today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { billWithAccess } from './bill.service.ts';
import { amountDue, billNotOpen } from './bill-support.ts';
import { ContributionService } from './contribution.service.ts';
import { verifySignature, signNotice, type GatewayNotice } from './gateway-notice.ts';
import type { Words } from '../core/bilingual.ts';

/**
 * The gateway takes payment of an order for 30 minutes. A notice that arrives later is still
 * recorded when its amount is still the amount due (the late fee moves daily; pay() refuses otherwise).
 */
const ORDER_MINUTES = 30;

/** What pay() answers when the bill can no longer take an order's money (see notify). */
const SURPLUS_CODES = new Set(['SB_ERR_CONFLICT', 'SB_ERR_AMOUNT_MISMATCH']);

export interface OrderView {
  orderNo: string;
  billId: number;
  amountFen: number;
  status: 'pending' | 'paid' | 'refund_due' | 'refunded' | 'failed' | 'expired';
  expiresAt: string;
  gatewayUrl: string;
  paymentId: number | null;
  paidAt: string | null;
}

/** An order's status in words: the gateway's page read "订单paid". */
const ORDER_STATUS_TEXT: Record<OrderView['status'], Words> = {
  pending: { zh: '待支付', en: 'pending' },
  paid: { zh: '已支付', en: 'paid' },
  refund_due: { zh: '已支付，待退费', en: 'paid, to be refunded' },
  refunded: { zh: '已退费', en: 'refunded' },
  failed: { zh: '支付失败', en: 'failed' },
  expired: { zh: '已过期', en: 'expired' },
};

type OrderRow = {
  order_no: string;
  bill_id: number;
  amount_fen: number;
  status: 'pending' | 'paid' | 'refund_due' | 'refunded' | 'failed' | 'expired';
  expires_at: string;
  payment_id: number | null;
  paid_at: string | null;
};

const view = (o: OrderRow): OrderView => ({
  orderNo: o.order_no,
  billId: Number(o.bill_id),
  amountFen: Number(o.amount_fen),
  status: o.status,
  expiresAt: new Date(o.expires_at).toISOString(),
  gatewayUrl: `/pay/gateway?order=${o.order_no}`,
  paymentId: o.payment_id === null ? null : Number(o.payment_id),
  paidAt: o.paid_at === null ? null : new Date(o.paid_at).toISOString(),
});

export class OnlinePaymentService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
    /** the secret shared with the gateway; null: online payment is not configured */
    private readonly secret: string | null,
  ) {}

  private requireSecret(): string {
    if (this.secret === null)
      throw new SbError('SB_ERR_NOT_FOUND', {
        zh: '未配置网上支付（SHEBAO_PAYMENT_GATEWAY_SECRET）',
        en: 'online payment is not configured (SHEBAO_PAYMENT_GATEWAY_SECRET)',
      });
    return this.secret;
  }

  /** Step 1: a payment order for the citizen's own open bill, at the amount due today. */
  async createOrder(actor: Actor, billId: number, input: { amountFen?: number }): Promise<OrderView> {
    this.requireSecret();
    const bill = await billWithAccess(this.db, actor, billId, 'payment.online');
    if (bill.status !== 'open') throw billNotOpen(bill.status);
    const due = amountDue(this.params, bill, today());
    if (input.amountFen !== undefined && input.amountFen !== due.totalFen)
      throw new SbError('SB_ERR_AMOUNT_MISMATCH', {
        field: 'amountFen',
        zh: `应缴 ${due.totalFen} 分（含滞纳金 ${due.lateFeeFen} 分）`,
        en: `${due.totalFen} fen is due (late fee ${due.lateFeeFen} fen included)`,
      });
    const orderNo = `SB${randomBytes(12).toString('hex').toUpperCase()}`;
    const expires = new Date(now().getTime() + ORDER_MINUTES * 60_000);
    return this.db.transaction().execute(async (tx) => {
      const o = await tx
        .insertInto('online_payment_order')
        .values({
          order_no: orderNo,
          bill_id: billId,
          person_id: Number(bill.person_id),
          region: bill.region,
          amount_fen: due.totalFen,
          created_by: actor.username,
          expires_at: expires.toISOString(),
          gateway_ref: null,
          paid_at: null,
          payment_id: null,
          failure: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendAudit(tx, actor, {
        action: 'payment.online-order',
        entityType: 'contribution_bill',
        entityId: billId,
        region: bill.region,
        subjectPersonId: Number(bill.person_id),
        after: { orderNo, amountFen: due.totalFen, lateFeeFen: due.lateFeeFen },
      });
      return view(o);
    });
  }

  /** The citizen reads their own order (the page polls it after the gateway sends them back). */
  async getOrder(actor: Actor, orderNo: string): Promise<OrderView> {
    const o = await this.db
      .selectFrom('online_payment_order')
      .selectAll()
      .where('order_no', '=', orderNo)
      .executeTakeFirst();
    if (!o) {
      authorize(actor, 'payment.online', { personId: null, region: null });
      throw new SbError('SB_ERR_NOT_FOUND', { field: 'orderNo' });
    }
    authorize(actor, 'payment.online', { personId: Number(o.person_id), region: o.region });
    return view(o);
  }

  /** What the gateway shows the payer: the merchant's order, amount and state (no personal data). */
  async gatewayOrder(
    orderNo: string,
  ): Promise<{ orderNo: string; amountFen: number; status: OrderView['status']; expiresAt: string }> {
    const o = await this.db
      .selectFrom('online_payment_order')
      .select(['order_no', 'amount_fen', 'status', 'expires_at'])
      .where('order_no', '=', orderNo)
      .executeTakeFirst();
    if (!o) throw new SbError('SB_ERR_NOT_FOUND', { field: 'orderNo' });
    return {
      orderNo: o.order_no,
      amountFen: Number(o.amount_fen),
      status: o.status,
      expiresAt: new Date(o.expires_at).toISOString(),
    };
  }

  /**
   * Step 3: the gateway's notice. Refused unless signed with the shared secret; the amount must be the
   * order's; a notice for a paid order answers it as it stands (a replay pays nothing twice).
   */
  async notify(n: GatewayNotice): Promise<OrderView> {
    const secret = this.requireSecret();
    if (!verifySignature(secret, n)) throw new SbError('SB_ERR_BAD_SIGNATURE');
    const gateway = systemActor('payment-gateway');
    const o = await this.db
      .selectFrom('online_payment_order')
      .selectAll()
      .where('order_no', '=', n.orderNo)
      .executeTakeFirst();
    if (!o) throw new SbError('SB_ERR_NOT_FOUND', { field: 'orderNo' });
    await this.db
      .updateTable('online_payment_order')
      .set((eb) => ({ notices: eb('notices', '+', 1) }))
      .where('id', '=', o.id)
      .execute();
    if (o.status === 'paid' || o.status === 'refund_due' || o.status === 'refunded') return view(o);
    if (o.gateway_ref !== null && o.gateway_ref !== n.gatewayRef)
      throw new SbError('SB_ERR_CONFLICT', { field: 'gatewayRef' });
    if (Number(o.amount_fen) !== n.amountFen)
      throw new SbError('SB_ERR_AMOUNT_MISMATCH', {
        field: 'amountFen',
        zh: `订单金额 ${o.amount_fen} 分`,
        en: `the order is for ${o.amount_fen} fen`,
      });
    if (n.status === 'failed' || o.status !== 'pending') {
      const u = await this.db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable('online_payment_order')
          .set({ status: o.status === 'pending' ? 'failed' : o.status, failure: 'gateway reported failure' })
          .where('id', '=', o.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await appendAudit(tx, gateway, {
          action: 'payment.online-failed',
          entityType: 'contribution_bill',
          entityId: Number(o.bill_id),
          region: o.region,
          subjectPersonId: Number(o.person_id),
          after: { orderNo: o.order_no, gatewayRef: n.gatewayRef, status: n.status },
        });
        return r;
      });
      return view(u);
    }
    // Recorded by the server: today's date, the order's amount (which must still be the amount due
    // today, else pay() refuses), the gateway reference as the bank reference (recorded once).
    const bankRef = `ONLINE-${n.gatewayRef}`;
    const contributions = new ContributionService(this.db, this.params);
    let paymentId: number;
    let surplus: string | null = null;
    try {
      paymentId = (
        await contributions.pay(gateway, Number(o.bill_id), { amountFen: Number(o.amount_fen), bankRef })
      ).paymentId;
    } catch (e) {
      if (!(e instanceof SbError) || !SURPLUS_CODES.has(e.code)) throw e;
      // The gateway has the payer's money and retries a refused notice; it refunds nothing on the
      // merchant's word. So the money is received, held on the bill and owed back to the payer.
      const why = e.code === 'SB_ERR_CONFLICT' ? 'online-order-bill-closed' : 'online-order-amount-moved';
      const held = auditReason(why, { order: o.order_no, error: e.code });
      surplus = held;
      paymentId = (
        await contributions.payments.holdGatewaySurplus(gateway, Number(o.bill_id), {
          amountFen: Number(o.amount_fen),
          bankRef,
          reason: held,
        })
      ).paymentId;
    }
    return this.db.transaction().execute(async (tx) => {
      const r = await tx
        .updateTable('online_payment_order')
        .set({
          status: surplus === null ? 'paid' : 'refund_due',
          gateway_ref: n.gatewayRef,
          paid_at: now().toISOString(),
          payment_id: paymentId,
          failure: surplus,
        })
        .where('id', '=', o.id)
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst();
      if (!r) {
        const now = await tx
          .selectFrom('online_payment_order')
          .selectAll()
          .where('id', '=', o.id)
          .executeTakeFirstOrThrow();
        return view(now);
      }
      await appendAudit(tx, gateway, {
        action: surplus === null ? 'payment.online' : 'payment.online-refund-due',
        entityType: 'contribution_bill',
        entityId: Number(o.bill_id),
        region: o.region,
        subjectPersonId: Number(o.person_id),
        after: {
          orderNo: o.order_no,
          gatewayRef: n.gatewayRef,
          amountFen: Number(o.amount_fen),
          paymentId,
          ...(surplus === null ? {} : { status: 'refund_due' }),
        },
      });
      return view(r);
    });
  }

  /**
   * The demo gateway SIMULATOR's part (only where the simulator is on): the payer confirmed (or
   * cancelled) on the gateway's page; the gateway signs its notice and sends it to the server.
   */
  async simulateGateway(orderNo: string, outcome: 'success' | 'failed'): Promise<OrderView> {
    const secret = this.requireSecret();
    const o = await this.gatewayOrder(orderNo);
    const notice = {
      orderNo,
      gatewayRef: `SIM${randomBytes(8).toString('hex').toUpperCase()}`,
      amountFen: o.amountFen,
      status: outcome,
    };
    if (o.status !== 'pending')
      throw new SbError('SB_ERR_CONFLICT', {
        zh: `订单${ORDER_STATUS_TEXT[o.status].zh}`,
        en: `the order is ${ORDER_STATUS_TEXT[o.status].en}`,
      });
    if (new Date(o.expiresAt).getTime() < now().getTime())
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '订单已过期，请重新发起缴费',
        en: 'the order has expired; start again',
      });
    return this.notify({ ...notice, signature: signNotice(secret, notice) });
  }
}
