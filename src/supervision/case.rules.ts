// The figures of a supervision case's decision (pure): the fine for fraud (社会保险法 Art. 87/88:
// 2–5 × the defrauded amount, the multiple decided per case within the parameter's range) and the
// repayment plan (instalments by date, or offsets against the pension by month; 经办条例 Art. 46).
import { addMonths, addPeriods, type IsoDate, type Period } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { fen, mulDiv, type Fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import { getParam } from '../core/rule-support.ts';
import type { Trace } from '../core/trace.ts';

export const FINE_PARAM = 'supervision/fraud-fine-multiplier';

/**
 * The fine: overpaid × multiplier (percent, 200 = 2×), to the fen half up. Only for fraud; the
 * multiplier must lie within the range in force on `decidedOn` (SB_ERR_OUT_OF_RANGE otherwise).
 */
export function fraudFine(
  input: {
    overpaidFen: number;
    fraud: boolean;
    multiplierPct: number | null;
    region: string;
    decidedOn: IsoDate;
  },
  params: ParamStore,
  trace?: Trace,
): Fen {
  if (!input.fraud) {
    if (input.multiplierPct !== null)
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'fineMultiplierPct',
        zh: '未认定骗取的，不处罚款',
        en: 'a fine applies only where fraud is established',
      });
    return fen(0);
  }
  const range = getParam<{ minPct: number; maxPct: number }>(
    params,
    FINE_PARAM,
    input.region,
    input.decidedOn,
    trace,
    'fineMultiplierPct',
  );
  const m = input.multiplierPct;
  if (m === null || !Number.isInteger(m) || m < range.minPct || m > range.maxPct)
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'fineMultiplierPct',
      zh: `罚款倍数须在骗取金额的 ${range.minPct / 100} 至 ${range.maxPct / 100} 倍之间（社会保险法第八十八条）`,
      en: `the fine must be ${range.minPct / 100} to ${range.maxPct / 100} times the defrauded amount (Social Insurance Law Art. 88)`,
    });
  const fine = mulDiv(input.overpaidFen, m, 100);
  trace?.add(
    `fine = ${input.overpaidFen} × ${m}% = ${fine}`,
    fine,
    'fen',
    `罚款 = ${input.overpaidFen} × ${m}% = ${fine}`,
  );
  return fine;
}

export type PlanInput =
  | { kind: 'lump'; dueDate: IsoDate }
  | { kind: 'instalments'; count: number; firstDueDate: IsoDate }
  | { kind: 'offset'; monthlyFen: number; firstPeriod: Period };

export interface Instalment {
  seq: number;
  dueDate: IsoDate | null;
  period: Period | null;
  amountFen: Fen;
}

/**
 * Splits the amount to recover: lump — one instalment; instalments — `count` monthly instalments,
 * equal to the fen with the remainder on the first ones; offset — `monthlyFen` a month from
 * `firstPeriod`, the last month taking what is left.
 */
export function repaymentPlan(amountFen: number, plan: PlanInput): Instalment[] {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) return [];
  switch (plan.kind) {
    case 'lump':
      return [{ seq: 1, dueDate: plan.dueDate, period: null, amountFen: fen(amountFen) }];
    case 'instalments': {
      const base = Math.floor(amountFen / plan.count);
      const rest = amountFen - base * plan.count;
      return Array.from({ length: plan.count }, (_, i) => ({
        seq: i + 1,
        dueDate: addMonths(plan.firstDueDate, i),
        period: null,
        amountFen: fen(base + (i < rest ? 1 : 0)),
      })).filter((i) => i.amountFen > 0);
    }
    case 'offset': {
      const out: Instalment[] = [];
      let left = amountFen;
      for (let i = 0; left > 0; i++) {
        const a = Math.min(plan.monthlyFen, left);
        out.push({ seq: i + 1, dueDate: null, period: addPeriods(plan.firstPeriod, i), amountFen: fen(a) });
        left -= a;
      }
      return out;
    }
  }
}

/** Which instalments the collected sum covers (in order): paid, then due (past), then open. */
export function instalmentStatus(
  plan: readonly Instalment[],
  collectedFen: number,
  on: IsoDate,
): Array<Instalment & { status: 'paid' | 'overdue' | 'open' }> {
  let left = collectedFen;
  return plan.map((i) => {
    const paid = left >= i.amountFen;
    left = Math.max(0, left - i.amountFen);
    const due = i.dueDate ?? `${i.period}-28`;
    return { ...i, status: paid ? 'paid' : due < on ? 'overdue' : 'open' };
  });
}
