// Maker–checker for the contributions' money corrections (issue #10): a clerk prepares a payment
// reversal (冲正) or a bill cancellation (作废); a reviewer who is another person — and not the payer
// nor anyone on the bill — releases it (src/approval/). Nothing is reversed or cancelled before.
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { ApprovalService, type ApprovalKind, type ApprovalView } from '../approval/approval.service.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import type { ContributionService } from './contribution.service.ts';
import { billWithAccess } from './bill.service.ts';
import { refuseJointReversal } from './payment.service.ts';

const n = (v: unknown): number => Number(v);

/** The persons on a bill's lines: none of them may check a correction of the bill. */
async function billPersons(db: Db, billId: number | null): Promise<number[]> {
  if (billId === null) return [];
  const rows = await db
    .selectFrom('contribution_bill_line')
    .select('person_id')
    .where('bill_id', '=', billId)
    .execute();
  return rows.map((r) => n(r.person_id));
}

export class MoneyApprovalService {
  constructor(private readonly db: Db) {}

  async prepareBillCancel(actor: Actor, billId: number, reason: string): Promise<ApprovalView> {
    const b = await billWithAccess(this.db, actor, billId, 'bill.cancel');
    if (b.status !== 'open')
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '只能作废未缴账单',
        en: 'only an open bill can be cancelled',
      });
    return new ApprovalService(this.db).prepare(actor, {
      kind: 'bill.cancel',
      dedupeKey: String(b.id),
      region: b.region.trim(),
      subjectPersonId: b.person_id,
      payload: { billId: b.id, reason },
      summary: {
        billId: b.id,
        period: b.period,
        payerKind: b.payer_kind,
        employerId: b.employer_id,
        personId: b.person_id,
        totalFen: n(b.total_fen),
      },
    });
  }

  async preparePaymentReverse(actor: Actor, paymentId: number, reason: string): Promise<ApprovalView> {
    const p = await this.db
      .selectFrom('contribution_payment')
      .selectAll()
      .where('id', '=', paymentId)
      .executeTakeFirst();
    if (!p) throw new SbError('SB_ERR_NOT_FOUND', { field: 'paymentId' });
    authorize(actor, 'payment.reverse', { region: p.region });
    if (p.status === 'reversed')
      throw new SbError('SB_ERR_CONFLICT', { zh: '缴费已冲正', en: 'the payment is already reversed' });
    if (p.status === 'matched' && p.bill_id !== null)
      await refuseJointReversal(this.db, p.id, Number(p.bill_id));
    return new ApprovalService(this.db).prepare(actor, {
      kind: 'payment.reverse',
      dedupeKey: String(p.id),
      region: p.region.trim(),
      subjectPersonId: p.person_id,
      // the status it is prepared on: a held receipt allocated before the release is not reversed
      payload: { paymentId: p.id, reason, status: p.status },
      summary: {
        paymentId: p.id,
        status: p.status,
        billId: p.bill_id,
        employerId: p.employer_id,
        personId: p.person_id,
        amountFen: n(p.amount_fen),
        paidDate: p.paid_date,
      },
    });
  }

  approvalKinds(svc: ContributionService): ApprovalKind[] {
    return [
      {
        kind: 'bill.cancel',
        checkAction: 'money.release',
        extraSubjects: (payload) => billPersons(this.db, (payload as { billId: number }).billId),
        execute: (maker, payload) => {
          const p = payload as { billId: number; reason: string };
          return svc.cancelBill(maker, p.billId, p.reason);
        },
      },
      {
        kind: 'payment.reverse',
        checkAction: 'money.release',
        extraSubjects: async (payload) => {
          const p = await this.db
            .selectFrom('contribution_payment')
            .select('bill_id')
            .where('id', '=', (payload as { paymentId: number }).paymentId)
            .executeTakeFirst();
          return billPersons(this.db, p?.bill_id ?? null);
        },
        execute: (maker, payload) => {
          const p = payload as { paymentId: number; reason: string; status?: 'matched' | 'unallocated' };
          return svc.reversePayment(maker, p.paymentId, p.reason, p.status);
        },
      },
    ];
  }
}
