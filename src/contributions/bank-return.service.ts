// The bank's return file (银行退票文件): each credit the bank sent back becomes a *prepared* reversal of
// kind bank_return for a reviewer (the approval flow of a clerk's 银行退票; no money moves at import).
// Lines are matched to the clerk's region's receipts by bank reference and amount; a receipt of another
// region is, to this file, no receipt at all. One transaction per file: all lines or none, and the same
// file again (by content hash) or a line whose receipt already waits prepares nothing twice.
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { auditReason } from '../audit/audit-reasons.ts';
import { openApprovalIds } from '../approval/approval.repository.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import { isDemoDatabase } from '../db/platform-meta.ts';
import { allocationsInReview } from './held-receipt.service.ts';
import { parseReturnCsv } from './bank-return.rules.ts';
import { prepareReverseIn } from './money-approval.service.ts';
import { regionPaymentsByBankRefForUpdate } from './payment.repository.ts';
import { contentHash, insertUpload, priorUpload, setUploadResult } from './upload.repository.ts';

export type ReturnLineStatus = 'prepared' | 'noReceipt' | 'amountDiffers' | 'reversed' | 'pending';

export interface ReturnLineResult {
  line: number;
  bankRef: string;
  status: ReturnLineStatus;
  /** the region's receipt of that reference (none: noReceipt), for its page */
  paymentId: number | null;
  /** the approval prepared (prepared) or already waiting (pending) */
  approvalId: number | null;
  reason?: string;
}

export interface ReturnImportSummary {
  prepared: number;
  noReceipt: number;
  amountDiffers: number;
  reversed: number;
  pending: number;
}

const countOf = (results: readonly ReturnLineResult[]): ReturnImportSummary => {
  const n = (s: ReturnLineStatus) => results.filter((r) => r.status === s).length;
  return {
    prepared: n('prepared'),
    noReceipt: n('noReceipt'),
    amountDiffers: n('amountDiffers'),
    reversed: n('reversed'),
    pending: n('pending'),
  };
};

/** A reference no bank sent: the sample's line that finds no receipt. */
const NO_SUCH_REF = 'DEMO-NO-SUCH-RECEIPT';

export class BankReturnService {
  constructor(private readonly db: Db) {}

  /**
   * The demo city's sample return file, for a clerk to try the import card with: built from the region's
   * receipts as they stand, one line per result it can show — a held receipt (one naming no bill first:
   * its return reopens nothing) prepared, a receipt whose reversal waits pending, a reversed one, another
   * receipt with a figure not its own, and a reference never received. Only in the demo database: built
   * from real receipts it would prepare real reversals (404 elsewhere, as a route that is not there).
   */
  async demoSample(actor: Actor) {
    const region = actor.region;
    if (!region) throw new SbError('SB_ERR_REQUIRED', { field: 'region' });
    authorize(actor, 'payment.reverse', { region });
    if (!(await isDemoDatabase(this.db))) throw new SbError('SB_ERR_NOT_FOUND', {});
    const rows = await this.db
      .selectFrom('contribution_payment as p')
      .leftJoin('online_payment_order as o', 'o.payment_id', 'p.id')
      .select(['p.id', 'p.bank_ref', 'p.amount_fen', 'p.status', 'p.bill_id', 'o.order_no'])
      .where('p.region', '=', region)
      .where('p.bank_ref', 'is not', null)
      // a record keyed wrongly is no line of the bank's: its reference may be its right record's now
      .where('p.reason_kind', 'is distinct from', 'keying_error')
      .orderBy('p.id')
      .execute();
    const waiting = new Set((await openApprovalIds(this.db, 'payment.reverse')).map((a) => a.dedupe_key));
    const allocating = await allocationsInReview(this.db);
    const used = new Set<number>();
    const pick = (fits: (r: (typeof rows)[number]) => boolean) => {
      const r = rows.find((x) => !used.has(Number(x.id)) && fits(x));
      if (r) used.add(Number(r.id));
      return r;
    };
    const free = (r: (typeof rows)[number]) =>
      !waiting.has(String(r.id)) && !allocating.has(String(r.id)) && r.order_no === null;
    const lines: Array<{ bankRef: string; amountFen: number; expect: ReturnLineStatus }> = [];
    const add = (r: (typeof rows)[number] | undefined, expect: ReturnLineStatus, amountFen = 0) => {
      if (r?.bank_ref)
        lines.push({ bankRef: r.bank_ref, amountFen: Number(r.amount_fen) + amountFen, expect });
    };
    add(
      pick((r) => r.status === 'unallocated' && r.bill_id === null && free(r)) ??
        pick((r) => r.status === 'unallocated' && free(r)),
      'prepared',
    );
    add(
      pick((r) => r.status !== 'reversed' && waiting.has(String(r.id))),
      'pending',
    );
    add(
      pick((r) => r.status === 'reversed'),
      'reversed',
    );
    add(
      pick((r) => r.status !== 'reversed'),
      'amountDiffers',
      100,
    );
    lines.push({ bankRef: NO_SUCH_REF, amountFen: 100_000, expect: 'noReceipt' });
    const on = today();
    const csv = [
      'bank_ref,return_date,amount_fen,bank_code,bank_reason',
      ...lines.map(
        (l, i) => `${l.bankRef},${on},${l.amountFen},${i % 2 === 0 ? 'R01,账户已销户' : 'R02,户名不符'}`,
      ),
    ].join('\n');
    return { filename: `demo-bank-returns-${on}.csv`, csv: `${csv}\n`, lines };
  }

  async importReturns(actor: Actor, region: string, text: string, filename: string | null) {
    authorize(actor, 'payment.reverse', { region });
    const parsed = parseReturnCsv(text, today());
    if (parsed.errors.length > 0) return { ok: false as const, errors: parsed.errors };
    const hash = contentHash(text);
    const scope = `region:${region}`;
    return this.db.transaction().execute(async (tx) => {
      const uploadId = await insertUpload(tx, {
        kind: 'bank_returns',
        scope,
        hash,
        filename,
        lineCount: parsed.lines.length,
        createdBy: actor.username,
      });
      if (uploadId === undefined) {
        // the same file again: what its first import did, nothing prepared twice
        const first = await priorUpload(tx, 'bank_returns', scope, hash);
        const kept = await tx
          .selectFrom('contribution_upload')
          .select('result')
          .where('id', '=', first ?? 0)
          .executeTakeFirst();
        const was = (kept?.result ?? {}) as { results?: ReturnLineResult[] };
        // a file first imported before lines named their receipt: none named
        const results = (was.results ?? []).map((r) => ({ ...r, paymentId: r.paymentId ?? null }));
        return {
          ok: true as const,
          duplicateUpload: true,
          uploadId: first ?? null,
          ...countOf(results),
          results,
        };
      }
      const receipts = await regionPaymentsByBankRefForUpdate(
        tx,
        region,
        parsed.lines.map((l) => l.bankRef),
      );
      const waiting = new Map(
        (await openApprovalIds(tx, 'payment.reverse')).map((a) => [a.dedupe_key, a.id]),
      );
      const results: ReturnLineResult[] = [];
      for (const l of parsed.lines) {
        const at = { line: l.line, bankRef: l.bankRef };
        const p = receipts.get(l.bankRef);
        if (p === undefined) {
          results.push({
            ...at,
            paymentId: null,
            status: 'noReceipt',
            approvalId: null,
            reason: '本地区无此流水号的到账 / no receipt of this reference in this region',
          });
          continue;
        }
        const found = { ...at, paymentId: Number(p.id) };
        if (Number(p.amount_fen) !== l.amountFen) {
          results.push({
            ...found,
            status: 'amountDiffers',
            approvalId: null,
            reason:
              '退票金额与该笔到账金额不符 / the amount returned is not the amount received under this reference',
          });
          continue;
        }
        if (p.status === 'reversed') {
          results.push({
            ...found,
            status: 'reversed',
            approvalId: null,
            reason: '该笔款项已冲正 / the receipt is already reversed',
          });
          continue;
        }
        const open = waiting.get(String(p.id));
        if (open !== undefined) {
          results.push({ ...found, status: 'pending', approvalId: open, reason: pendingText(open) });
          continue;
        }
        try {
          const a = await prepareReverseIn(tx, actor, p, {
            reasonKind: 'bank_return',
            // the bank's words, for the reviewer: the payer's message is worded from the kind alone
            reason: auditReason('bank-return-line', {
              line: l.line,
              bank: l.bankReason ? `${l.bankCode} ${l.bankReason}` : l.bankCode,
            }),
            returnFile: {
              uploadId,
              line: l.line,
              returnDate: l.returnDate,
              bankCode: l.bankCode,
              bankReason: l.bankReason,
            },
          });
          waiting.set(String(p.id), a.id);
          results.push({ ...found, status: 'prepared', approvalId: a.id });
        } catch (e) {
          // a refusal checked before anything is written (another receipt of its bill, or its
          // allocation, waits for review): the line waits too, the file goes on
          if (!(e instanceof SbError) || e.code !== 'SB_ERR_CONFLICT') throw e;
          results.push({
            ...found,
            status: 'pending',
            approvalId: null,
            reason: e.message,
          });
        }
      }
      const summary = countOf(results);
      await setUploadResult(tx, uploadId, { ...summary, results });
      await appendAudit(tx, actor, {
        action: 'payment.return-import',
        entityType: 'contribution_upload',
        entityId: uploadId,
        region,
        after: { filename, contentHash: hash, lines: parsed.lines.length, ...summary },
      });
      return { ok: true as const, duplicateUpload: false, uploadId, ...summary, results };
    });
  }
}

const pendingText = (id: number) =>
  `该笔款项已有待复核的冲正 #${id} / a reversal of this receipt already waits for review (#${id})`;
