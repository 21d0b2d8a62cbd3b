// Bills: read one (with its lines and what is due today), list, arrears with late fees, cancel (the
// receivables written back in the same transaction as the status change and the audit entry).
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInScope } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { auditStaffReads } from '../audit/staff-read.ts';
import { today } from '../core/clock.ts';
import { addDays } from '../core/dates.ts';
import { maskIdNumbersIn } from '../core/ids.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import {
  arrearsBills,
  billById,
  billForUpdate,
  billLines,
  employerIndustryClass,
  listBills,
  setBillStatus,
  type BillFilter,
  type BillRow,
} from './bill.repository.ts';
import { findEmployer, personsById } from './contribution.repository.ts';
import { postBillCancel } from './contribution-posting.repository.ts';
import { amountDue } from './bill-support.ts';
import { billRates, type BillRates } from './bill-rates.rules.ts';
import { billApprovals, billAuditEntries, billPayments } from './bill-history.repository.ts';
import { lateFeeDailyRateBp } from './late-fee.rules.ts';

/**
 * The bill if the actor may do `action` to it: every route that names a bill by its number comes through
 * here. Another payer's or another region's bill answers the same 404 as a number that does not exist
 * (authorizeFound's, without the number), so nobody learns which bills exist.
 */
export async function billWithAccess(
  db: Db,
  actor: Actor,
  billId: number,
  action: 'bill.read' | 'payment.record' | 'bill.cancel' | 'payment.online',
): Promise<BillRow> {
  authorize(actor, action);
  return foundInScope(actor, action, await billById(db, billId), billTarget);
}

export class BillService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  /** Staff reading a person's own bill (a flexible worker's, a resident's) leave an audit entry. */
  private async auditRead(actor: Actor, b: BillRow): Promise<void> {
    if (b.person_id !== null)
      await auditStaffReads(this.db, actor, [
        {
          action: 'bill.read',
          personId: Number(b.person_id),
          region: b.region,
          entityType: 'contribution_bill',
          entityId: Number(b.id),
        },
      ]);
  }

  async getBill(actor: Actor, billId: number) {
    const b = await billWithAccess(this.db, actor, billId, 'bill.read');
    await this.auditRead(actor, b);
    const lines = await billLines(this.db, billId);
    const due = amountDue(this.params, b, today());
    return {
      bill: billView(b),
      lines: lines.map((l) => ({
        ...l,
        person_id: Number(l.person_id),
        id_number: `${l.id_number.slice(0, 6)}********${l.id_number.slice(14)}`,
      })),
      due,
    };
  }

  /** The rates behind a bill, per fund, with their sources (bill-rates.rules.ts). */
  async getBillRates(actor: Actor, billId: number): Promise<BillRates> {
    const b = await billWithAccess(this.db, actor, billId, 'bill.read');
    await this.auditRead(actor, b);
    if (b.payer_kind === 'resident')
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        zh: '城乡居民养老保险按年度缴费档次缴纳，账单没有费率',
        en: "a resident's pension bill is a yearly tier, not a rate",
      });
    return billRates(this.params, {
      region: b.region,
      period: b.period,
      kind: b.payer_kind === 'employer' ? 'employee' : 'flexible',
      industryClass: b.employer_id === null ? undefined : await employerIndustryClass(this.db, b.employer_id),
      bill: b,
      lines: await billLines(this.db, billId),
    });
  }

  /**
   * What happened to a bill, for the clerk answering its payer: issued, each payment (channel, and a
   * reversal with its reason and reviewer), the audit entries of the bill and its payments, the
   * approvals still open on either, and from when the late fee runs at which daily rate. Staff only (it
   * names staff and reviewers): a payer gets 403; another region's bill the 404 of an unknown number.
   */
  async getBillHistory(actor: Actor, billId: number) {
    authorize(actor, 'bill.history');
    const b = await billWithAccess(this.db, actor, billId, 'bill.read');
    await this.auditRead(actor, b);
    const region = b.region;
    const payments = await billPayments(this.db, region, billId);
    const paymentIds = payments.map((p) => Number(p.id));
    const assessmentId = b.assessment_id === null ? null : Number(b.assessment_id);
    const [entries, approvals] = await Promise.all([
      billAuditEntries(this.db, region, { billId, paymentIds, assessmentId }),
      billApprovals(this.db, region, { billId, paymentIds }),
    ]);
    const payload = (a: (typeof approvals)[number]) => (a.payload ?? {}) as Record<string, unknown>;
    const onPayment = (a: (typeof approvals)[number], paymentId: number) =>
      a.kind === 'payment.reverse'
        ? Number(payload(a).paymentId) === paymentId
        : a.kind === 'payment.allocate' &&
          Array.isArray(payload(a).paymentIds) &&
          (payload(a).paymentIds as unknown[]).map(Number).includes(paymentId);
    // The released approval an entry carried out: the reviewer's release ran it, just before the entry.
    const releasedFor = (action: string, paymentId: number | null, at: string) =>
      approvals
        .filter(
          (a) =>
            a.status === 'released' &&
            a.decided_at !== null &&
            Date.parse(a.decided_at) <= Date.parse(at) + 1000 &&
            (action === 'bill.cancel'
              ? a.kind === 'bill.cancel'
              : paymentId !== null && onPayment(a, paymentId)),
        )
        .at(-1);
    const billEntries = entries.filter((e) => e.entity_type !== 'contribution_assessment');
    const issuedBy = entries.find((e) => e.entity_type === 'contribution_assessment');
    const events: BillEvent[] = billEntries.map((e) => {
      const after = (e.after ?? {}) as Record<string, unknown>;
      const paymentId =
        e.entity_type === 'contribution_payment'
          ? Number(e.entity_id)
          : typeof after.paymentId === 'number'
            ? after.paymentId
            : null;
      const released = ['payment.reverse', 'payment.refund', 'payment.allocate', 'bill.cancel'].includes(
        e.action,
      )
        ? releasedFor(e.action, paymentId, e.at)
        : undefined;
      return {
        at: e.at,
        action: e.action,
        actorUsername: e.actor_username,
        actorRole: e.actor_role,
        // a clerk's words may hold a payer's ID number: shown masked, as the audit list shows them
        reason: e.reason === null ? null : maskIdNumbersIn(e.reason),
        paymentId,
        approvalId: released === undefined ? null : Number(released.id),
        releasedBy: released?.checker_username ?? null,
      };
    });
    // A receipt from a bank file has no entry of its own (the import's entry is the file's): its row is.
    for (const p of payments)
      if (p.source === 'bank')
        events.push({
          at: p.created_at,
          action: 'payment.import',
          actorUsername: p.created_by,
          actorRole: null,
          reason: null,
          paymentId: Number(p.id),
          approvalId: null,
          releasedBy: null,
        });
    events.push({
      at: b.created_at,
      action: issuedBy?.action ?? 'assessment.run',
      actorUsername: issuedBy?.actor_username ?? null,
      actorRole: issuedBy?.actor_role ?? null,
      reason: null,
      paymentId: null,
      approvalId: null,
      releasedBy: null,
    });
    events.sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
    return {
      billId: Number(b.id),
      lateFee: {
        from: addDays(b.due_date, 1),
        dailyRateBp: lateFeeDailyRateBp(this.params, b.region, b.due_date),
      },
      events,
      payments: payments.map((p) => {
        const id = Number(p.id);
        const reversal = events.findLast(
          (e) => e.paymentId === id && (e.action === 'payment.reverse' || e.action === 'payment.refund'),
        );
        const review = approvals.find((a) => a.status === 'prepared' && onPayment(a, id));
        return {
          paymentId: id,
          bankRef: p.bank_ref,
          paidDate: p.paid_date,
          amountFen: Number(p.amount_fen),
          contributionFen: Number(p.contribution_fen),
          lateFeeFen: Number(p.late_fee_fen),
          channel: paymentChannel(p.source, p.bank_ref),
          status: p.status,
          reversal:
            p.status === 'reversed' && reversal
              ? {
                  at: reversal.at,
                  kind: p.reason_kind,
                  reason: reversal.reason,
                  by: reversal.actorUsername,
                  approvalId: reversal.approvalId,
                  releasedBy: reversal.releasedBy,
                }
              : null,
          inReview: review === undefined ? null : { approvalId: Number(review.id), kind: review.kind },
        };
      }),
      openApprovals: approvals
        .filter((a) => a.status === 'prepared')
        .map((a) => ({
          id: Number(a.id),
          kind: a.kind,
          makerUsername: a.maker_username,
          preparedAt: a.prepared_at,
          reason: typeof payload(a).reason === 'string' ? maskIdNumbersIn(payload(a).reason as string) : null,
        })),
    };
  }

  /**
   * An employer whose bills the actor may list: another city's employer (or another employer's, to an
   * employer) answers as an unknown number, so the filter tells no one which employer numbers exist.
   */
  private async employerInReach(actor: Actor, employerId: number): Promise<void> {
    const e = await findEmployer(this.db, employerId);
    foundInScope(actor, 'bill.read', e, (r) => ({ employerIds: [r.id], region: r.region }), 'employerId');
  }

  async listBills(actor: Actor, f: BillFilter & { page: number; pageSize: number }) {
    if (f.employerId !== undefined) {
      await this.employerInReach(actor, f.employerId);
    } else if (f.personId !== undefined) {
      const p = (await personsById(this.db, [f.personId])).get(f.personId);
      authorize(actor, 'bill.read', { personId: f.personId, region: p?.region ?? null });
      if (p)
        await auditStaffReads(this.db, actor, [
          { action: 'bill.read', personId: f.personId, region: p.region },
        ]);
    } else {
      authorize(actor, 'bill.read', { region: f.region ?? actor.region });
    }
    const region =
      f.employerId === undefined && f.personId === undefined
        ? (f.region ?? actor.region ?? undefined)
        : f.region;
    const r = await listBills(this.db, {
      ...f,
      ...(region === undefined ? {} : { region }),
      limit: f.pageSize,
      offset: (f.page - 1) * f.pageSize,
    });
    return { items: r.items.map(billView), total: r.total, page: f.page, pageSize: f.pageSize };
  }

  async arrears(actor: Actor, f: { region?: string; employerId?: number; asOf?: string }) {
    const asOf = f.asOf ?? today();
    if (f.employerId !== undefined) await this.employerInReach(actor, f.employerId);
    else authorize(actor, 'bill.read', { region: f.region ?? actor.region });
    const region = f.employerId === undefined ? (f.region ?? actor.region ?? undefined) : undefined;
    const bills = await arrearsBills(this.db, {
      ...(region === undefined ? {} : { region }),
      ...(f.employerId === undefined ? {} : { employerId: f.employerId }),
      asOf,
      limit: 1000,
    });
    const items = bills.map((b) => ({ bill: billView(b), due: amountDue(this.params, b, asOf) }));
    return {
      asOf,
      items,
      totalArrearsFen: items.reduce((s, i) => s + i.due.contributionFen, 0),
      totalLateFeeFen: items.reduce((s, i) => s + i.due.lateFeeFen, 0),
    };
  }

  async cancelBill(actor: Actor, billId: number, reason: string) {
    await billWithAccess(this.db, actor, billId, 'bill.cancel');
    return this.db.transaction().execute(async (tx) => {
      const b = await billForUpdate(tx, billId);
      if (!b || b.status !== 'open')
        throw new SbError('SB_ERR_CONFLICT', {
          zh: '只能作废未缴账单',
          en: 'only an open bill can be cancelled',
        });
      await setBillStatus(tx, billId, 'cancelled');
      await postBillCancel(tx, actor, b, reason);
      await appendAudit(tx, actor, {
        action: 'bill.cancel',
        entityType: 'contribution_bill',
        entityId: billId,
        region: b.region,
        subjectPersonId: b.person_id,
        before: { status: 'open' },
        after: { status: 'cancelled' },
        reason,
      });
      return { billId, status: 'cancelled' as const };
    });
  }
}

/** Whose a bill is, for the access policy: its payer (person or employer) and its region. */
const billTarget = (b: BillRow) => ({
  personId: b.person_id,
  employerIds: b.employer_id === null ? [] : [b.employer_id],
  region: b.region,
});

/** One step of a bill's history: an audit entry, a bank file's receipt, or the issue. */
interface BillEvent {
  at: string;
  action: string;
  actorUsername: string | null;
  actorRole: string | null;
  reason: string | null;
  paymentId: number | null;
  approvalId: number | null;
  releasedBy: string | null;
}

/** How the money came: a bank file's receipt, an online order (its gateway reference), or recorded by hand or API. */
export function paymentChannel(source: string, bankRef: string | null): 'bank' | 'online' | 'recorded' {
  if (source === 'bank') return 'bank';
  return bankRef?.startsWith('ONLINE-') ? 'online' : 'recorded';
}

function billView(b: BillRow) {
  return {
    id: Number(b.id),
    region: b.region,
    period: b.period,
    payerKind: b.payer_kind,
    employerId: b.employer_id === null ? null : Number(b.employer_id),
    personId: b.person_id === null ? null : Number(b.person_id),
    backPayment: b.back_payment,
    dueDate: b.due_date,
    averageWageFen: Number(b.average_wage_fen),
    lines: Number(b.lines),
    pensionEmployerFen: Number(b.pension_employer_fen),
    pensionEmployeeFen: Number(b.pension_employee_fen),
    personalAccountFen: Number(b.personal_account_fen),
    unemploymentEmployerFen: Number(b.unemployment_employer_fen),
    unemploymentEmployeeFen: Number(b.unemployment_employee_fen),
    injuryFen: Number(b.injury_fen),
    subsidyFen: Number(b.subsidy_fen),
    waivedFen: Number(b.waived_fen),
    totalFen: Number(b.total_fen),
    status: b.status,
    paidDate: b.paid_date,
  };
}
