// Held receipts (暂收款) for the demo: three bank receipts imported through the clerk's own bank-receipt
// import, each on its past day (the file, the payment and the audit entry read that day) — one short of
// its employer's open bill and the employer's top-up of the difference (each held, naming the bill, to
// be allocated together), one naming a bill number the city does not have — so the clerk's 暂收款清单
// opens with something to allocate or refund.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { systemActor } from '../auth/actor.ts';
import { onDay } from '../core/clock.ts';
import { addDays, type IsoDate } from '../core/dates.ts';
import { amountDue } from '../contributions/bill-support.ts';
import type { BillRow } from '../contributions/bill.repository.ts';
import { PaymentService } from '../contributions/payment.service.ts';
import { CITY_CODE } from './demo-data.ts';

/** A bill number no bill reaches: the receipt that names no bill of the city. */
const NO_SUCH_BILL = 900_000_000_001;

export async function seedDemoHeldReceipts(ctx: AppContext, asOf: IsoDate): Promise<{ held: number[] }> {
  const payments = new PaymentService(ctx.db, ctx.params);
  const actor = systemActor('demo-seed');
  const bill = await sql<BillRow>`
    SELECT * FROM contribution_bill
    WHERE region = ${CITY_CODE} AND payer_kind = 'employer' AND status = 'open' AND total_fen > 10000
    ORDER BY period DESC, id LIMIT 1`.execute(ctx.db);
  const receipts: Array<{ day: IsoDate; ref: string; billNo: number; amountFen: number }> = [
    { day: addDays(asOf, -3), ref: 'DEMO-HELD-NOBILL', billNo: NO_SUCH_BILL, amountFen: 123_456 },
  ];
  const open = bill.rows[0];
  // 100 yuan short of the bill's assessed total: held, never matched; then the employer pays what is
  // still due on the day of the top-up (the 100 yuan, and any late fee by then), held too.
  if (open) {
    const short = Number(open.total_fen) - 10_000;
    const topUpDay = addDays(asOf, -5);
    receipts.unshift(
      { day: addDays(asOf, -9), ref: 'DEMO-HELD-SHORT', billNo: Number(open.id), amountFen: short },
      {
        day: topUpDay,
        ref: 'DEMO-HELD-TOPUP',
        billNo: Number(open.id),
        amountFen: amountDue(ctx.params, open, topUpDay).totalFen - short,
      },
    );
  }
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
