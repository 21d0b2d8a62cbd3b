// Personal pension (个人养老金) rules: when accounts may be opened, the yearly contribution cap, the
// lawful withdrawal reasons and the separate 3% tax on withdrawals. Pure: parameters and dates in,
// result and trace out (domain.md §11).
import { yearOf, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { applyPercent, fen, formatMoney, type Fen } from '../core/money.ts';
import type { ParamStore } from '../core/params.ts';
import { Trace } from '../core/trace.ts';

export const PP_CAP = 'pension/personal-pension-annual-cap';
export const PP_TAX = 'pension/personal-pension-withdrawal-tax-rate';
export const PP_START = 'pension/personal-pension-start-date';
export const PP_REASONS = 'pension/personal-pension-withdrawal-reasons';

export interface WithdrawalReason {
  code: string;
  selfService: boolean;
  zh: string;
}

/** Accounts may be opened from the region's start date (the pilot cities earlier, everyone from 2024-12-15). */
export function checkOpening(
  params: ParamStore,
  region: string,
  date: IsoDate,
  trace = new Trace(),
): { startDate: IsoDate; trace: Trace } {
  const r = params.tryResolve<string>(PP_START, region, date);
  if (!r || r.value === null || r.value > date) {
    const start = r?.value ?? '(none)';
    throw new SbError('SB_ERR_NOT_ELIGIBLE', {
      zh: `本地区个人养老金自 ${start} 起实施，${date} 尚不能开户`,
      en: `personal pension starts in this region on ${start}; an account cannot be opened on ${date}`,
    });
  }
  params.get(PP_START, region, date, trace);
  return { startDate: r.value, trace };
}

export interface ContributionCheck {
  year: number;
  capFen: Fen;
  alreadyFen: Fen;
  amountFen: Fen;
  remainingAfterFen: Fen;
  trace: Trace;
}

/**
 * The cap check for one payment: the year's payments so far plus this one may not exceed the cap in
 * force on the payment date. (The database checks the same sum again under a row lock.)
 */
export function checkContribution(
  params: ParamStore,
  input: { region: string; paidOn: IsoDate; alreadyFen: number; amountFen: number },
): ContributionCheck {
  const trace = new Trace();
  const amount = fen(input.amountFen, 'amountFen');
  if (amount <= 0)
    throw new SbError('SB_ERR_INVALID_AMOUNT', {
      field: 'amountFen',
      zh: '缴费金额应大于0',
      en: 'the amount must be positive',
    });
  const year = yearOf(input.paidOn);
  const capFen = fen(params.get<number>(PP_CAP, input.region, input.paidOn, trace, 'paidOn'));
  const alreadyFen = fen(input.alreadyFen);
  trace.add('contributed this year before the payment (fen)', alreadyFen, 'fen', '本年度已缴（分）');
  trace.add('this payment (fen)', amount, 'fen', '本次缴费（分）');
  const after = alreadyFen + amount;
  if (after > capFen) {
    throw new SbError('SB_ERR_CAP_EXCEEDED', {
      field: 'amountFen',
      zh: `${year} 年已缴 ${formatMoney(alreadyFen)}，本次 ${formatMoney(amount)}，上限 ${formatMoney(capFen)}，最多还可缴 ${formatMoney(Math.max(0, capFen - alreadyFen))}`,
      en: `${formatMoney(alreadyFen)} already paid in ${year}, ${formatMoney(amount)} now, cap ${formatMoney(capFen)}: at most ${formatMoney(Math.max(0, capFen - alreadyFen))} more`,
    });
  }
  trace.add(
    'remaining room this year (fen) = cap − paid − payment',
    capFen - after,
    'fen',
    '本年度剩余额度（分）',
  );
  return { year, capFen, alreadyFen, amountFen: amount, remainingAfterFen: fen(capFen - after), trace };
}

export function withdrawalReasons(params: ParamStore, region: string, date: IsoDate): WithdrawalReason[] {
  return params.get<WithdrawalReason[]>(PP_REASONS, region, date);
}

export interface WithdrawalTax {
  grossFen: Fen;
  taxRatePercent: number;
  taxFen: Fen;
  netFen: Fen;
  trace: Trace;
}

/** Withdrawals are taxed separately at the rate in force (3%), rounded half-up to the fen; not added to comprehensive income. */
export function computeWithdrawalTax(
  params: ParamStore,
  input: { region: string; withdrawnOn: IsoDate; grossFen: number },
): WithdrawalTax {
  const trace = new Trace();
  const gross = fen(input.grossFen, 'amountFen');
  if (gross <= 0)
    throw new SbError('SB_ERR_INVALID_AMOUNT', {
      field: 'amountFen',
      zh: '领取金额应大于0',
      en: 'the amount must be positive',
    });
  const rate = params.get<number>(PP_TAX, input.region, input.withdrawnOn, trace, 'withdrawnOn');
  trace.add('withdrawal (fen)', gross, 'fen', '领取金额（分）');
  const tax = applyPercent(gross, rate);
  trace.add(
    `tax = withdrawal × ${rate}% (half up to the fen)`,
    tax,
    'fen',
    `个人所得税 = 领取金额 × ${rate}%（单独计税）`,
  );
  const net = fen(gross - tax);
  trace.add('paid out = withdrawal − tax', net, 'fen', '实际到账 = 领取金额 − 税款');
  return { grossFen: gross, taxRatePercent: rate, taxFen: tax, netFen: net, trace };
}
