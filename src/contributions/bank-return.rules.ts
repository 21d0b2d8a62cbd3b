// The bank's return file (银行退票文件) as data: the credits the bank sent back, one a line — the bank
// reference of the receipt, the day it came back, the amount, the bank's reason code and its words.
// Pure: "today" is passed in. A malformed line rejects the file, naming the line and the column, never
// the value written there.
import { parseCsvLines } from '../core/csv.ts';
import { MAX_AMOUNT_FEN } from '../core/money-text.ts';
import type { IsoDate } from '../core/dates.ts';
import {
  checkDay,
  checkFenText,
  checkYuanText,
  err,
  skippable,
  type LineError,
} from './declaration.rules.ts';

export interface ReturnLine {
  line: number;
  bankRef: string;
  returnDate: IsoDate;
  amountFen: number;
  bankCode: string;
  bankReason: string;
}

/** The amount in integer fen (amount_fen) or in yuan (amount_yuan), as for the bank's receipt file. */
export const RETURN_HEADER = ['bank_ref', 'return_date', 'amount_fen', 'bank_code', 'bank_reason'] as const;
const RETURN_AMOUNT = { fen: 'amount_fen', yuan: 'amount_yuan' } as const;
/** A bank's returns of a day are few; every line prepares a reversal in one transaction. */
export const MAX_RETURN_LINES = 5_000;

export function parseReturnCsv(text: string, today: IsoDate): { lines: ReturnLine[]; errors: LineError[] } {
  const rows = parseCsvLines(text);
  const errors: LineError[] = [];
  const lines: ReturnLine[] = [];
  const header = (rows[0] ?? []).map((c) => c.toLowerCase());
  const unit = (['fen', 'yuan'] as const).find(
    (u) =>
      header.length === RETURN_HEADER.length &&
      RETURN_HEADER.every((h, i) => header[i] === (i === 2 ? RETURN_AMOUNT[u] : h)),
  );
  if (unit === undefined) {
    errors.push(
      err(
        1,
        '(header)',
        `the first line must be ${RETURN_HEADER.join(',')} (or amount_yuan for amounts in yuan)`,
        `第一行应为 ${RETURN_HEADER.join(',')}（金额以元为单位时写 amount_yuan）`,
      ),
    );
    return { lines, errors };
  }
  const amountField = RETURN_AMOUNT[unit];
  const refs = new Map<string, number>();
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i] ?? [];
    const n = i + 1;
    if (skippable(row)) continue;
    if (lines.length + errors.length >= MAX_RETURN_LINES) {
      errors.push(
        err(n, '(file)', `at most ${MAX_RETURN_LINES} lines per file`, `每个文件最多 ${MAX_RETURN_LINES} 行`),
      );
      break;
    }
    if (row.length !== RETURN_HEADER.length) {
      errors.push(
        err(
          n,
          '(line)',
          `expected ${RETURN_HEADER.length} columns, found ${row.length}`,
          `应为 ${RETURN_HEADER.length} 列，实为 ${row.length} 列`,
        ),
      );
      continue;
    }
    const [ref = '', date = '', amountRaw = '', code = '', reason = ''] = row;
    const bad: LineError[] = [];
    if (!/^[A-Za-z0-9_-]{4,64}$/.test(ref))
      bad.push(err(n, 'bank_ref', 'expected 4–64 letters, digits, - or _', '应为4至64位字母、数字、-或_'));
    else if (refs.has(ref))
      bad.push(
        err(n, 'bank_ref', `same reference as line ${refs.get(ref)}`, `与第 ${refs.get(ref)} 行流水号重复`),
      );
    const day = checkDay(n, date, today, 'return_date');
    if (day !== null) bad.push(day);
    const amount =
      unit === 'yuan'
        ? checkYuanText(n, amountRaw, amountField, MAX_AMOUNT_FEN, { en: 'amount', zh: '金额' })
        : checkFenText(n, amountRaw, amountField, MAX_AMOUNT_FEN);
    if (typeof amount !== 'number') bad.push(amount);
    else if (amount === 0) bad.push(err(n, amountField, 'the amount must be positive', '金额须大于零'));
    if (!/^[A-Za-z0-9_-]{1,16}$/.test(code))
      bad.push(err(n, 'bank_code', 'expected 1–16 letters, digits, - or _', '应为1至16位字母、数字、-或_'));
    // the bank's words go to the reviewer: printable, short
    if (reason.length > 100 || /\p{Cc}/u.test(reason))
      bad.push(
        err(n, 'bank_reason', 'at most 100 characters, no control characters', '最多100个字符，不含控制字符'),
      );
    errors.push(...bad);
    if (bad.length > 0 || typeof amount !== 'number') continue;
    refs.set(ref, n);
    lines.push({
      line: n,
      bankRef: ref,
      returnDate: date,
      amountFen: amount,
      bankCode: code,
      bankReason: reason.trim(),
    });
  }
  return { lines, errors };
}
