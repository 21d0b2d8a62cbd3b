// Payments: a bill paid in full (contributions and the late fee to the payment date) from the API,
// bank receipt files (exact matches paid, the rest held as unallocated), and a payment the bank
// returned (its entries reversed, the bill open again). Each writes the payment, the bill's status,
// the journal entries and the audit entry in one transaction.
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { auditReason } from '../audit/audit-reasons.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import type { BillStatus } from '../db/database.ts';
import { billById, billForUpdate, setBillStatus, type AmountDue, type BillRow } from './bill.repository.ts';
import { amountDue, BILL_STATUS_TEXT, billNotOpen, paymentSplit } from './bill-support.ts';
import { billWithAccess } from './bill.service.ts';
import type { ReversalKind } from './reversal.rules.ts';
import {
  holdPosted,
  postPayment,
  postUnallocated,
  reversePaymentEntries,
} from './contribution-posting.repository.ts';
import { parseReceiptCsv, type ReceiptLine } from './declaration.rules.ts';
import { reversalMoney } from './reversal.rules.ts';
import {
  insertPayment,
  jointPaymentIds,
  markPaymentReversed,
  paymentByBankRef,
  paymentById,
  paymentIdsByBankRef,
  uploadBankRefs,
  paymentsForUpdate,
  markOrderRefunded,
  publishBillReopened,
  publishPaymentRecorded,
  publishRefund,
  receiptsWithPayer,
  regionBillsForUpdate,
  returnToHeld,
  type PaymentRow,
} from './payment.repository.ts';
import { contentHash, insertUpload, lockUpload, priorUpload, setUploadResult } from './upload.repository.ts';

export interface ReceiptResult {
  line: number;
  bankRef: string;
  status: 'matched' | 'unallocated' | 'skipped';
  paymentId: number | null;
  reason?: string;
}

const receiptCounts = (results: readonly ReceiptResult[]) => ({
  matched: results.filter((x) => x.status === 'matched').length,
  unallocated: results.filter((x) => x.status === 'unallocated').length,
  skipped: results.filter((x) => x.status === 'skipped').length,
});

export class PaymentService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  /** Pays a bill in full (contributions + late fee to the payment date). A different amount is refused. */
  async pay(
    actor: Actor,
    billId: number,
    input: { amountFen?: number; paidDate?: string; bankRef?: string; reason?: string },
  ) {
    await billWithAccess(this.db, actor, billId, 'payment.record');
    // A payer (employer, flexible worker, resident) is dated by the server's clock: a date of their
    // own choosing is ignored, so nobody dodges the late fee by dating a payment back. An earlier
    // date comes from a bank receipt import (with the bank's reference) or from staff with a reason.
    const payer = actor.role === 'employer' || actor.role === 'citizen';
    const paidDate = payer ? today() : (input.paidDate ?? today());
    if (paidDate > today())
      throw new SbError('SB_ERR_INVALID_DATE', {
        field: 'paidDate',
        zh: '缴费日期晚于今天',
        en: 'the payment date is in the future',
      });
    const backdated = paidDate < today();
    // The command line (system) is the operator's own tool, audited as such.
    const reason =
      input.reason?.trim() ||
      (actor.role === 'system' ? auditReason('payment-dated-by-operator', { operator: actor.username }) : '');
    if (backdated && reason.length < 2)
      throw new SbError('SB_ERR_REQUIRED', {
        field: 'reason',
        zh: '缴费日期早于今天时须填写原因（如银行回单日期）',
        en: 'a payment dated before today needs a reason (for example the date on the bank slip)',
      });
    return this.db.transaction().execute(async (tx) => {
      const b = await billForUpdate(tx, billId);
      if (!b) throw new SbError('SB_ERR_NOT_FOUND', { field: 'billId' });
      // The bank reference is looked up under the bill's lock: a replay sent while the first was still
      // running (a gateway's retry, a double click) waits for it and answers its payment, instead of
      // finding the bill paid and answering 409.
      if (input.bankRef !== undefined) {
        const dup = await paymentByBankRef(tx, input.bankRef);
        if (dup) {
          if (dup.bill_id === billId) return paymentView(dup);
          throw new SbError('SB_ERR_DUPLICATE', {
            field: 'bankRef',
            zh: '该银行流水号已入账',
            en: 'this bank reference is already recorded',
          });
        }
      }
      if (b.status !== 'open') throw billNotOpen(b.status);
      const due = amountDue(this.params, b, paidDate);
      if (input.amountFen !== undefined && input.amountFen !== due.totalFen) {
        throw new SbError('SB_ERR_AMOUNT_MISMATCH', {
          field: 'amountFen',
          zh: `应缴 ${due.totalFen} 分（含滞纳金 ${due.lateFeeFen} 分）`,
          en: `${due.totalFen} fen is due (late fee ${due.lateFeeFen} fen included)`,
        });
      }
      const p = await applyPayment(tx, actor, b, due, {
        paidDate,
        bankRef: input.bankRef ?? null,
        source: 'api',
        uploadId: null,
      });
      await appendAudit(tx, actor, {
        action: 'payment.record',
        entityType: 'contribution_bill',
        entityId: billId,
        region: b.region,
        subjectPersonId: b.person_id,
        after: {
          ...paymentView(p),
          ...(backdated ? { backdated: true, recordedOn: today() } : {}),
          ...(payer && input.paidDate !== undefined && input.paidDate !== paidDate
            ? { clientDateIgnored: input.paidDate }
            : {}),
        },
        ...(backdated ? { reason } : {}),
      });
      return paymentView(p);
    });
  }

  /**
   * Money a payment gateway took for a bill that can no longer take it (another order paid it first,
   * or the amount due moved since the order): received all the same, so it is held as an unallocated
   * receipt on the payer's bill — money in, owed back — for a clerk to return (退费: `reversePayment`).
   * Once per bank reference: a retried notice answers the receipt already held.
   */
  async holdGatewaySurplus(
    actor: Actor,
    billId: number,
    input: { amountFen: number; bankRef: string; reason: string },
  ): Promise<{ paymentId: number }> {
    return this.db.transaction().execute(async (tx) => {
      const b = await billForUpdate(tx, billId);
      if (!b) throw new SbError('SB_ERR_NOT_FOUND', { field: 'billId' });
      const dup = await paymentByBankRef(tx, input.bankRef);
      if (dup) {
        if (dup.bill_id === billId) return { paymentId: Number(dup.id) };
        throw new SbError('SB_ERR_DUPLICATE', { field: 'bankRef' });
      }
      const paymentId = await holdUnallocated(tx, actor, {
        region: b.region,
        billId: b.id,
        employerId: b.employer_id,
        personId: b.person_id,
        amountFen: input.amountFen,
        paidDate: today(),
        bankRef: input.bankRef,
        uploadId: null,
      });
      await appendAudit(tx, actor, {
        action: 'payment.hold',
        entityType: 'contribution_payment',
        entityId: paymentId,
        region: b.region,
        subjectPersonId: b.person_id,
        after: { billId, amountFen: input.amountFen, bankRef: input.bankRef, status: 'unallocated' },
        reason: input.reason,
      });
      return { paymentId };
    });
  }

  /**
   * Bank receipts: malformed lines reject the file; well-formed receipts that match no open bill exactly
   * are held as unallocated; a line whose bank reference a record already holds is skipped. The same
   * file again changes nothing — unless the clerk asks for its skipped lines again (`skippedAgain`):
   * then only the lines its import wrote nothing for, whose reference no record holds any more (the
   * record that held it was withdrawn as keyed wrongly), are recorded now, under the file's upload.
   */
  async importReceipts(
    actor: Actor,
    region: string,
    text: string,
    filename: string | null,
    opts: { skippedAgain?: boolean } = {},
  ) {
    authorize(actor, 'payment.import', { region });
    const parsed = parseReceiptCsv(text, today());
    if (parsed.errors.length > 0) return { ok: false as const, errors: parsed.errors };
    const hash = contentHash(text);
    const scope = `region:${region}`;
    return this.db.transaction().execute(async (tx) => {
      const uploadId = await insertUpload(tx, {
        kind: 'bank_receipts',
        scope,
        hash,
        filename,
        lineCount: parsed.lines.length,
        createdBy: actor.username,
      });
      if (uploadId === undefined) {
        const first = (await priorUpload(tx, 'bank_receipts', scope, hash)) ?? 0;
        // two clerks sending the file's skipped lines again take turns: the second finds them recorded
        await lockUpload(tx, first);
        const free = await this.freedLines(tx, first, parsed.lines);
        if (opts.skippedAgain !== true || free.length === 0)
          return {
            ok: true as const,
            duplicateUpload: true,
            matched: 0,
            unallocated: 0,
            skipped: parsed.lines.length,
            skippedNowFree: free.length,
            results: [],
          };
        const results = await this.recordReceiptLines(tx, actor, region, first, free);
        const summary = receiptCounts(results);
        await appendAudit(tx, actor, {
          action: 'payment.import-skipped',
          entityType: 'contribution_upload',
          entityId: first,
          region,
          after: { filename, lines: free.map((l) => l.line), ...summary },
          reason: auditReason('receipts-skipped-now-free'),
        });
        return {
          ok: true as const,
          duplicateUpload: true,
          ...summary,
          skipped: parsed.lines.length - summary.matched - summary.unallocated,
          skippedNowFree: 0,
          results,
        };
      }
      const results = await this.recordReceiptLines(tx, actor, region, uploadId, parsed.lines);
      const summary = receiptCounts(results);
      await setUploadResult(tx, uploadId, summary);
      // Receipts dated before today: the bank's date and reference, kept with the import's entry.
      const written = new Set(results.filter((x) => x.status !== 'skipped').map((x) => x.line));
      const backdated = parsed.lines
        .filter((r) => r.paidDate < today() && written.has(r.line))
        .map((r) => ({ bankRef: r.bankRef, billId: r.billId, paidDate: r.paidDate }));
      await appendAudit(tx, actor, {
        action: 'payment.import',
        entityType: 'contribution_upload',
        entityId: uploadId,
        region,
        after: { filename, ...summary, ...(backdated.length > 0 ? { backdated } : {}) },
        ...(backdated.length > 0
          ? { reason: auditReason('receipts-dated-by-bank', { n: backdated.length }) }
          : {}),
      });
      return { ok: true as const, duplicateUpload: false, ...summary, skippedNowFree: 0, results };
    });
  }

  /**
   * The lines of an imported file its import wrote no record for (skipped: their reference was held)
   * whose reference no record holds now. A line whose own record was withdrawn later is not among them:
   * the file did record it.
   */
  private async freedLines(tx: Db, uploadId: number, lines: readonly ReceiptLine[]) {
    const refs = lines.map((l) => l.bankRef);
    const held = await paymentIdsByBankRef(tx, refs);
    const own = await uploadBankRefs(tx, uploadId, refs);
    return lines.filter((l) => !held.has(l.bankRef) && !own.has(l.bankRef));
  }

  /** Records a file's lines under its upload: each pays the bill it names, or is held, or is skipped. */
  private async recordReceiptLines(
    tx: Db,
    actor: Actor,
    region: string,
    uploadId: number,
    lines: readonly ReceiptLine[],
  ): Promise<ReceiptResult[]> {
    // What the lines need, read at once: the bills they name (locked first, so the receipts already
    // recorded are read after any import paying the same bills has committed), then the bank
    // references already recorded.
    const bills = await regionBillsForUpdate(tx, region, [...new Set(lines.map((r) => r.billId))]);
    const recorded = await paymentIdsByBankRef(
      tx,
      lines.map((r) => r.bankRef),
    );
    const paidHere = new Set<number>();
    const results: ReceiptResult[] = [];
    for (const r of lines) {
      const dup = recorded.get(r.bankRef);
      if (dup !== undefined) {
        results.push({
          line: r.line,
          bankRef: r.bankRef,
          status: 'skipped',
          paymentId: dup,
          reason: '该流水号已入账 / this bank reference is already recorded',
        });
        continue;
      }
      // A bill of another region is no bill here: the receipt held in this region names nothing
      // of it (neither the bill nor its payer), as for a number that matches no bill.
      const b = bills.get(r.billId);
      // A bill an earlier line of this file paid is paid for the lines after it.
      const status: BillStatus | undefined = paidHere.has(r.billId) ? 'paid' : b?.status;
      let reason: string | undefined;
      if (status === undefined)
        reason = `第 ${r.line} 行 bill_no：本地区无此账单 / line ${r.line}, bill_no: no such bill in this region`;
      else if (status !== 'open')
        reason = `第 ${r.line} 行 bill_no：账单${BILL_STATUS_TEXT[status].zh} / line ${r.line}, bill_no: the bill is ${BILL_STATUS_TEXT[status].en}`;
      if (b && reason === undefined) {
        const due = amountDue(this.params, b, r.paidDate);
        if (due.totalFen === r.amountFen) {
          const p = await applyPayment(tx, actor, b, due, {
            paidDate: r.paidDate,
            bankRef: r.bankRef,
            source: 'bank',
            uploadId,
          });
          paidHere.add(r.billId);
          results.push({ line: r.line, bankRef: r.bankRef, status: 'matched', paymentId: Number(p.id) });
          continue;
        }
        // Which line and column are wrong, not the amounts: the file's own figure is not echoed.
        reason = `第 ${r.line} 行 ${r.amountField}：金额与账单应缴金额不符 / line ${r.line}, ${r.amountField}: the amount is not the amount due on the bill`;
      }
      const p = await holdUnallocated(tx, actor, {
        region,
        billId: b?.id ?? null,
        employerId: b?.employer_id ?? null,
        personId: b?.person_id ?? null,
        amountFen: r.amountFen,
        paidDate: r.paidDate,
        bankRef: r.bankRef,
        uploadId,
      });
      results.push({
        line: r.line,
        bankRef: r.bankRef,
        status: 'unallocated',
        paymentId: p,
        ...(reason === undefined ? {} : { reason }),
      });
    }
    return results;
  }

  /**
   * A payment reversed as its kind says (`reversalMoney`): returned by the bank, withdrawn as a duplicate
   * or a keying error — its entries are reversed and the bill is open again — or taken off the wrong
   * bill, when its money goes back to held receipts, naming no payer, and the bill is open again. A held receipt
   * reversed is a refund (退费): the money leaves 2301 back to the payer, an online order that paid it
   * reads refunded, and a payer we know is told in the hall. `expected`: the status the reversal was
   * prepared on (else the one read before the lock) — a receipt allocated, or returned to held, since
   * then is refused, not reversed as something else. One receipt of a bill that several held receipts paid together (the bank returns
   * it: the money is gone) undoes the whole allocation: the bill opens again and every other receipt goes
   * back to held with its own money, for the clerk to allocate again when the payer tops up.
   * `kind`: why (kept on the payment, in the audit and in the payer's message, which is worded from it
   * alone — never from the clerk's free text, which may name other payers or hold the clerk's notes).
   * `release`: the reviewer's release that runs it — its approval (named in the audit entry), the status
   * it was prepared on (`expected`) and the receipts the reviewer was shown going back to held
   * (`heldAgain`; any other set is refused).
   */
  async reversePayment(
    actor: Actor,
    paymentId: number,
    kind: ReversalKind,
    reason: string,
    release?: {
      approvalId: number;
      expected: PaymentRow['status'] | undefined;
      heldAgain: readonly number[] | undefined;
    },
  ) {
    const p = await paymentById(this.db, paymentId);
    if (!p) throw new SbError('SB_ERR_NOT_FOUND', { field: 'paymentId' });
    authorize(actor, 'payment.reverse', { region: p.region });
    return this.db.transaction().execute(async (tx) => {
      // The receipts that paid its bill with it are locked with it, in id order, as an allocation locks them.
      const joint =
        p.status === 'matched' && p.bill_id !== null ? await jointPaymentIds(tx, paymentId, p.bill_id) : [];
      const locked = await paymentsForUpdate(tx, [paymentId, ...joint]);
      const cur = locked.find((r) => Number(r.id) === paymentId);
      if (!cur) throw new SbError('SB_ERR_NOT_FOUND', { field: 'paymentId' });
      if (cur.status === 'reversed') return { paymentId, status: 'reversed' as const };
      // Without a prepared status, the one read before the lock: a receipt a concurrent return of its
      // joint bill's other receipt put back to held is not refunded as if that were asked.
      if (cur.status !== (release?.expected ?? p.status))
        throw new SbError(
          'SB_ERR_CONFLICT',
          cur.status === 'matched'
            ? {
                zh: '该款项在申请后已分配到账单，原申请作废；如仍需冲正请重新申请',
                en: 'the receipt was allocated to a bill after this was prepared; prepare again if it must still be reversed',
              }
            : {
                zh: '该款项在申请后已随同一账单的另一笔款项退回而转回暂收款，原申请作废；如需退费请重新申请',
                en: 'the receipt went back to held after this was prepared (another receipt of its bill was returned); prepare a refund again if needed',
              },
        );
      const billId = cur.status === 'matched' && cur.bill_id !== null ? Number(cur.bill_id) : null;
      const others = billId === null ? [] : await this.jointUnderLock(tx, cur, locked, release?.heldAgain);
      const money = reversalMoney(kind);
      // held money paid out (refunded, or the bank took it back); a held record withdrawn pays nobody
      const refund = cur.status === 'unallocated' && (money === 'refunded' || money === 'returnedByBank');
      const ref = cur.bank_ref ?? `#${paymentId}`;
      if (money === 'toHeld' && billId !== null) {
        // The money is in the agency's account, only on the wrong bill: it leaves the bill for held
        // receipts (2301), where a clerk allocates it to the right bill or refunds it.
        await reversePaymentEntries(tx, actor, paymentId, reason, [
          'contribution.allocation',
          'contribution.payment',
        ]);
        if (!(await holdPosted(tx, paymentId)))
          await postUnallocated(tx, actor, {
            id: paymentId,
            region: cur.region,
            amountFen: Number(cur.amount_fen),
            paidDate: cur.paid_date,
            bankRef: ref,
            entryDate: today(),
          });
        await returnToHeld(tx, paymentId, true);
      } else {
        await reversePaymentEntries(tx, actor, paymentId, reason);
        await markPaymentReversed(tx, paymentId, kind);
      }
      for (const o of others) {
        await reversePaymentEntries(tx, actor, Number(o.id), `${reason}（随流水 ${ref} 冲正，转回暂收款）`, [
          'contribution.allocation',
          'contribution.payment',
        ]);
        await returnToHeld(tx, Number(o.id));
      }
      if (billId !== null) {
        await setBillStatus(tx, billId, 'open', null);
        const b = await billById(tx, billId);
        if (b && (b.employer_id !== null || b.person_id !== null)) {
          const due = amountDue(this.params, b, today());
          await publishBillReopened(tx, {
            billId,
            employerId: b.employer_id,
            personId: b.person_id,
            region: b.region.trim(),
            period: b.period,
            returnedFen: Number(cur.amount_fen),
            bankRef: cur.bank_ref,
            dueTodayFen: due.totalFen,
            lateFeeFen: due.lateFeeFen,
            on: today(),
            dueDate: b.due_date,
            reasonKind: kind,
          });
        }
      }
      const orderNo = refund ? await markOrderRefunded(tx, paymentId) : undefined;
      // Money that went back to the payer (a refund, the bank returning it) is news to them; a held
      // receipt withdrawn as a duplicate or a keying error was never their money.
      if (refund && (cur.person_id !== null || cur.employer_id !== null))
        await publishRefund(tx, {
          paymentId,
          personId: cur.person_id === null ? null : Number(cur.person_id),
          employerId: cur.employer_id === null ? null : Number(cur.employer_id),
          region: cur.region.trim(),
          amountFen: Number(cur.amount_fen),
          bankRef: cur.bank_ref,
          actor: actor.username,
        });
      const named = await receiptsWithPayer(tx, [paymentId, ...others.map((o) => Number(o.id))]);
      const payerOf = (id: number) => named.find((x) => x.paymentId === id)?.payer ?? null;
      const heldView = others.map((o) => ({
        paymentId: Number(o.id),
        bankRef: o.bank_ref,
        amountFen: Number(o.amount_fen),
        paidDate: o.paid_date,
      }));
      await appendAudit(tx, actor, {
        action: refund ? 'payment.refund' : 'payment.reverse',
        entityType: 'contribution_payment',
        entityId: paymentId,
        region: cur.region,
        subjectPersonId: cur.person_id,
        before: { status: cur.status, ...(billId === null ? {} : { billId }) },
        after: {
          status: money === 'toHeld' ? 'unallocated' : 'reversed',
          reasonKind: kind,
          money,
          ...(release === undefined ? {} : { approvalId: release.approvalId }),
          ...(refund ? { refundedFen: Number(cur.amount_fen), bankRef: cur.bank_ref } : {}),
          ...(orderNo === undefined ? {} : { orderNo, orderStatus: 'refunded' }),
          ...(others.length === 0
            ? {}
            : { bankRef: cur.bank_ref, payer: payerOf(paymentId), billStatus: 'open', heldAgain: heldView }),
        },
        reason,
      });
      // Each receipt back in held says which receipt the bank returned, and whose money it is.
      for (const o of others)
        await appendAudit(tx, actor, {
          action: 'payment.held-again',
          entityType: 'contribution_payment',
          entityId: o.id,
          region: o.region,
          subjectPersonId: o.person_id,
          before: {
            status: 'matched',
            billId,
            amountFen: Number(o.amount_fen),
            contributionFen: Number(o.contribution_fen),
            lateFeeFen: Number(o.late_fee_fen),
          },
          after: {
            status: 'unallocated',
            billId,
            billStatus: 'open',
            reasonKind: kind,
            payer: payerOf(Number(o.id)),
            returnedReceipt: { paymentId, bankRef: cur.bank_ref, amountFen: Number(cur.amount_fen) },
            // the reviewer's release put it back too: the money history names it, as on the reversal
            ...(release === undefined ? {} : { approvalId: release.approvalId }),
          },
          reason,
        });
      return {
        paymentId,
        status: money === 'toHeld' ? ('unallocated' as const) : ('reversed' as const),
        money,
        ...(others.length === 0 ? {} : { billId, heldAgain: heldView }),
      };
    });
  }

  /**
   * The other receipts of a jointly paid bill, read again under their locks: the set read before locking
   * must still be the bill's (a reversal of one of them that committed meanwhile changed it), and the set
   * the reviewer was shown, when there was one, must be it.
   */
  private async jointUnderLock(
    tx: Db,
    cur: PaymentRow,
    locked: readonly PaymentRow[],
    shown: readonly number[] | undefined,
  ): Promise<PaymentRow[]> {
    const billId = Number(cur.bill_id);
    const now = await jointPaymentIds(tx, Number(cur.id), billId);
    const key = (ids: readonly number[]) => [...ids].sort((a, b) => a - b).join(',');
    const others = locked.filter((r) => r.id !== cur.id);
    if (key(now) !== key(others.map((r) => Number(r.id))) || (shown !== undefined && key(now) !== key(shown)))
      throw new SbError('SB_ERR_CONFLICT', {
        zh: `账单 ${billId} 的其余款项与申请时所见不同（现为 ${now.join('、') || '无'}），原申请作废；请重新申请`,
        en: `the other receipts of bill ${billId} are not the ones shown when this was prepared (now ${now.join(', ') || 'none'}); prepare it again`,
      });
    return others;
  }
}

/** A matched payment: the payment row, the bill paid, the hall's event and the journal entries. */
async function applyPayment(
  tx: Db,
  actor: Actor,
  b: BillRow,
  due: AmountDue,
  m: { paidDate: string; bankRef: string | null; source: string; uploadId: number | null },
): Promise<PaymentRow> {
  const p = await insertPayment(tx, {
    region: b.region,
    billId: b.id,
    employerId: b.employer_id,
    personId: b.person_id,
    amountFen: due.totalFen,
    split: paymentSplit(due),
    paidDate: m.paidDate,
    bankRef: m.bankRef,
    source: m.source,
    status: 'matched',
    uploadId: m.uploadId,
    createdBy: actor.username,
  });
  await setBillStatus(tx, b.id, 'paid', m.paidDate);
  await publishPaymentRecorded(tx, {
    billId: b.id,
    employerId: b.employer_id,
    personId: b.person_id,
    region: b.region,
    period: b.period,
    amountFen: due.totalFen,
  });
  await postPayment(tx, actor, b, due, { id: p.id, paidDate: m.paidDate });
  return p;
}

/** A receipt held as unallocated: the payment row and its journal entry. */
async function holdUnallocated(
  tx: Db,
  actor: Actor,
  m: {
    region: string;
    billId: number | null;
    employerId: number | null;
    personId: number | null;
    amountFen: number;
    paidDate: string;
    bankRef: string;
    uploadId: number | null;
  },
): Promise<number> {
  const p = await insertPayment(tx, {
    ...m,
    source: 'bank',
    status: 'unallocated',
    createdBy: actor.username,
  });
  await postUnallocated(tx, actor, {
    id: p.id,
    region: m.region,
    amountFen: m.amountFen,
    paidDate: m.paidDate,
    bankRef: m.bankRef,
  });
  return Number(p.id);
}

function paymentView(p: {
  id: number;
  bill_id: number | null;
  amount_fen: number;
  contribution_fen: number;
  late_fee_fen: number;
  late_days: number;
  paid_date: string;
  bank_ref: string | null;
  status: string;
}) {
  return {
    paymentId: Number(p.id),
    billId: p.bill_id === null ? null : Number(p.bill_id),
    amountFen: Number(p.amount_fen),
    contributionFen: Number(p.contribution_fen),
    lateFeeFen: Number(p.late_fee_fen),
    lateDays: Number(p.late_days),
    paidDate: p.paid_date,
    bankRef: p.bank_ref,
    status: p.status,
  };
}
