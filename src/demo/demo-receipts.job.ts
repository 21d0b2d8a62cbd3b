// Held receipts (暂收款) for the demo: two bank receipts imported through the clerk's own bank-receipt
// import, each on its past day (the file, the payment and the audit entry read that day) — one short of
// its employer's open bill (held, naming the bill), one naming a bill number the city does not have —
// so the clerk's 暂收款清单 opens with something to allocate or refund.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { systemActor } from '../auth/actor.ts';
import { onDay } from '../core/clock.ts';
import { addDays, type IsoDate } from '../core/dates.ts';
import { PaymentService } from '../contributions/payment.service.ts';
import { CITY_CODE } from './demo-data.ts';

/** A bill number no bill reaches: the receipt that names no bill of the city. */
const NO_SUCH_BILL = 900_000_000_001;

export async function seedDemoHeldReceipts(ctx: AppContext, asOf: IsoDate): Promise<{ held: number[] }> {
  const payments = new PaymentService(ctx.db, ctx.params);
  const actor = systemActor('demo-seed');
  const bill = await sql<{ id: unknown; total_fen: unknown }>`
    SELECT id, total_fen FROM contribution_bill
    WHERE region = ${CITY_CODE} AND payer_kind = 'employer' AND status = 'open' AND total_fen > 10000
    ORDER BY period DESC, id LIMIT 1`.execute(ctx.db);
  const receipts: Array<{ day: IsoDate; ref: string; billNo: number; amountFen: number }> = [
    { day: addDays(asOf, -3), ref: 'DEMO-HELD-NOBILL', billNo: NO_SUCH_BILL, amountFen: 123_456 },
  ];
  const open = bill.rows[0];
  // 100 yuan short of the bill's assessed total (and of any late fee on it): held, never matched.
  if (open)
    receipts.unshift({
      day: addDays(asOf, -9),
      ref: 'DEMO-HELD-SHORT',
      billNo: Number(open.id),
      amountFen: Number(open.total_fen) - 10_000,
    });
  const held: number[] = [];
  for (const r of receipts) {
    const csv = `bank_ref,paid_date,bill_no,amount_fen\n${r.ref},${r.day},${r.billNo},${r.amountFen}\n`;
    const out = await onDay(r.day, () =>
      payments.importReceipts(actor, CITY_CODE, csv, `demo-bank-${r.day}.csv`),
    );
    if (!out.ok) throw new Error(`demo held receipt ${r.ref}: ${JSON.stringify(out.errors)}`);
    for (const x of out.results)
      if (x.status === 'unallocated' && x.paymentId !== null) held.push(x.paymentId);
  }
  return { held };
}
