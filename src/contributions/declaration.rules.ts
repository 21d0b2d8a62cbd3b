// Declarations as data: the CSV format (docs/contribution-csv.md) and the checks that need no
// database — columns, ID-number checksum, period, amount. Pure: "today" is passed in.
import { parseCsvLines } from '../core/csv.ts';
import { formatMoney, MAX_AMOUNT_FEN, MAX_WAGE_FEN, parseYuan } from '../core/money-text.ts';
import { checkIdNumber } from '../core/ids.ts';
import { isPeriod, periodOf, type IsoDate, type Period } from '../core/dates.ts';
import type { Words } from '../core/bilingual.ts';

/** One problem on one line of an upload (line 1 is the header). */
export interface LineError {
  line: number;
  field: string;
  reason: string;
  reasonZh: string;
}

export interface DeclarationLine {
  line: number;
  idNumber: string;
  name: string | null;
  period: Period;
  wageFen: number;
}

/**
 * The header names the wage's unit: yuan (元), as payroll systems and clerks write wages, or integer fen
 * (分), the older form a system integration may still send. The template shows yuan.
 */
export const DECLARATION_HEADER = ['id_number', 'name', 'period', 'wage_yuan'] as const;
export const DECLARATION_HEADER_ZH = ['公民身份号码', '姓名', '缴费期间', '月工资（元）'] as const;
const WAGE_COLUMNS = {
  yuan: ['wage_yuan', '月工资（元）'],
  fen: ['wage_fen', '月工资（分）'],
} as const;
type WageUnit = keyof typeof WAGE_COLUMNS;
export const MAX_UPLOAD_LINES = 50_000;

export const DECLARATION_TEMPLATE =
  `${DECLARATION_HEADER.join(',')}\n` +
  '# 每行一人一月；月工资以元为单位，最多两位小数（6500 或 6500.00），不写千位分隔符；以 # 开头的行为注释\n' +
  '# one person and month per line; wage in yuan, at most two decimals (6500 or 6500.00), no thousands separator; lines starting with # are comments\n' +
  '341802198506150113,张三,2021-09,6500.00\n';

export const err = (line: number, field: string, reason: string, reasonZh: string): LineError => ({
  line,
  field,
  reason,
  reasonZh,
});

/** A row that is empty or a comment is skipped; it keeps its line number for the others. */
export const skippable = (row: string[]): boolean =>
  row.every((c) => c === '') || (row[0] ?? '').startsWith('#');

/** A bank's day: a real YYYY-MM-DD date, not after today. */
export function checkDay(line: number, raw: string, today: IsoDate, field: string): LineError | null {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(raw) ||
    Number.isNaN(Date.parse(`${raw}T00:00:00Z`)) ||
    new Date(`${raw}T00:00:00Z`).toISOString().slice(0, 10) !== raw
  )
    return err(line, field, 'not a YYYY-MM-DD date', '不是 YYYY-MM-DD 日期');
  if (raw > today) return err(line, field, 'the date is in the future', '日期晚于今天');
  return null;
}

export function checkPeriod(line: number, raw: string, today: IsoDate, field = 'period'): LineError | null {
  if (!isPeriod(raw)) return err(line, field, 'not a YYYY-MM period', '不是 YYYY-MM 格式的期间');
  if (raw > periodOf(today)) return err(line, field, 'the period is in the future', '期间晚于当前月份');
  if (raw < '2011-07')
    return err(
      line,
      field,
      'the period is before the Social Insurance Law (2011-07)',
      '期间早于社会保险法施行（2011-07）',
    );
  return null;
}

export function checkFenText(
  line: number,
  raw: string,
  field: string,
  max = MAX_WAGE_FEN,
): LineError | number {
  if (!/^\d+$/.test(raw))
    return err(line, field, 'not a whole number of fen ≥ 0', '不是以分为单位的非负整数');
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n > max)
    return err(
      line,
      field,
      `more than the ${formatMoney(max)} allowed`,
      `超出允许范围（不超过 ${formatMoney(max)}）`,
    );
  return n;
}

/** What an amount column holds, as its errors name it. */
const WAGE: Words = { en: 'wage', zh: '月工资' };

/**
 * An amount in yuan as written in a file, to exact fen by the money box's parser (core/money-text.ts):
 * "6500", "6500.5", "6500.50", a quoted "6,500.00", full-width digits; never an exponent, hex, sign or
 * formula.
 */
export function checkYuanText(
  line: number,
  raw: string,
  field: string,
  max = MAX_WAGE_FEN,
  noun: Words = WAGE,
): LineError | number {
  const r = parseYuan(raw);
  if ('fen' in r && r.fen <= max) return r.fen;
  const problem = 'fen' in r ? 'tooLarge' : r.problem;
  switch (problem) {
    case 'empty':
      return err(
        line,
        field,
        `the ${noun.en} is empty: write it in yuan, e.g. 6500.00`,
        `${noun.zh}为空：请填写金额（元），如 6500.00`,
      );
    case 'notAmount':
      return err(
        line,
        field,
        `the ${noun.en} is not an amount in yuan: write digits with at most two decimals, e.g. 6500 or 6500.00`,
        `${noun.zh}格式不正确：请只写以元为单位的数字，最多两位小数，如 6500 或 6500.00`,
      );
    case 'decimals':
      return err(
        line,
        field,
        `the ${noun.en} has more than two decimals: yuan go to the fen (0.01)`,
        `${noun.zh}超过两位小数：金额只精确到分（0.01 元）`,
      );
    case 'negative':
      return err(line, field, `the ${noun.en} cannot be negative`, `${noun.zh}不能为负数`);
    case 'tooLarge':
      return err(
        line,
        field,
        `the ${noun.en} is more than the ${formatMoney(max)} allowed`,
        `${noun.zh}超出允许范围（不超过 ${formatMoney(max)}）`,
      );
  }
}

/**
 * The wage column a header names, or why the header is refused. A header that names both units is
 * refused: the unit of every wage in the file must be beyond doubt.
 */
function declarationUnit(header: string[]): WageUnit | LineError {
  const names = (unit: WageUnit): readonly string[] => WAGE_COLUMNS[unit];
  if (header.some((h) => names('yuan').includes(h)) && header.some((h) => names('fen').includes(h)))
    return err(
      1,
      '(header)',
      'the header names both wage_yuan and wage_fen: keep one column, wage_yuan (yuan) or wage_fen (fen)',
      '表头同时有“月工资（元）”和“月工资（分）”两列：只保留一列，建议用 月工资（元）',
    );
  for (const unit of ['yuan', 'fen'] as const) {
    const [en, zh] = WAGE_COLUMNS[unit];
    if (DECLARATION_HEADER.slice(0, 3).every((h, i) => header[i] === h) && header[3] === en) return unit;
    if (DECLARATION_HEADER_ZH.slice(0, 3).every((h, i) => header[i] === h) && header[3] === zh) return unit;
  }
  return err(
    1,
    '(header)',
    `the first line must be ${DECLARATION_HEADER.join(',')} (or wage_fen for wages in fen)`,
    `第一行应为 ${DECLARATION_HEADER.join(',')}（或 ${DECLARATION_HEADER_ZH.join(',')}）`,
  );
}

/** A wage with a thousands separator in an unquoted cell splits in two: "6,500.00" becomes 6 and 500.00. */
const splitByGrouping = (row: string[]): boolean =>
  row.length > DECLARATION_HEADER.length && 'fen' in parseYuan(row.slice(3).join(','));

/** Parses and checks a declarations file; every bad line is reported, none is dropped silently. */
export function parseDeclarationCsv(
  text: string,
  today: IsoDate,
): { lines: DeclarationLine[]; errors: LineError[] } {
  const rows = parseCsvLines(text);
  const errors: LineError[] = [];
  const lines: DeclarationLine[] = [];
  const unit = declarationUnit((rows[0] ?? []).map((c) => c.toLowerCase()));
  if (typeof unit !== 'string') {
    errors.push(unit);
    return { lines, errors };
  }
  const wageField = WAGE_COLUMNS[unit][0];
  const seen = new Map<string, number>();
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i] ?? [];
    const n = i + 1;
    if (skippable(row)) continue;
    if (lines.length + errors.length >= MAX_UPLOAD_LINES) {
      errors.push(
        err(n, '(file)', `at most ${MAX_UPLOAD_LINES} lines per file`, `每个文件最多 ${MAX_UPLOAD_LINES} 行`),
      );
      break;
    }
    if (row.length !== DECLARATION_HEADER.length) {
      const grouped = unit === 'yuan' && splitByGrouping(row);
      errors.push(
        err(
          n,
          '(line)',
          `expected ${DECLARATION_HEADER.length} columns, found ${row.length}` +
            (grouped ? ': write the wage without a thousands separator (6500.00, not 6,500.00)' : ''),
          `应为 ${DECLARATION_HEADER.length} 列，实为 ${row.length} 列` +
            (grouped ? '：月工资请不要写千位分隔符（写 6500.00，不写 6,500.00）' : ''),
        ),
      );
      continue;
    }
    const [idRaw = '', name = '', period = '', wageRaw = ''] = row;
    let bad = false;
    const id = checkIdNumber(idRaw, today);
    if (!id.valid) {
      errors.push(err(n, 'id_number', id.reason, id.reasonZh));
      bad = true;
    }
    const pe = checkPeriod(n, period, today);
    if (pe) {
      errors.push(pe);
      bad = true;
    }
    const wage = unit === 'yuan' ? checkYuanText(n, wageRaw, wageField) : checkFenText(n, wageRaw, wageField);
    if (typeof wage !== 'number') {
      errors.push(wage);
      bad = true;
    }
    if (bad || !id.valid || typeof wage !== 'number') continue;
    const key = `${id.normalized}|${period}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push(
        err(n, 'id_number', `same person and period as line ${first}`, `与第 ${first} 行的人员和期间重复`),
      );
      continue;
    }
    seen.set(key, n);
    lines.push({ line: n, idNumber: id.normalized, name: name === '' ? null : name, period, wageFen: wage });
  }
  return { lines, errors };
}

// ---- bank receipts ----

export interface ReceiptLine {
  line: number;
  bankRef: string;
  paidDate: IsoDate;
  billId: number;
  amountFen: number;
  /** the column the amount was read from, to name it when the amount is wrong */
  amountField: (typeof RECEIPT_AMOUNT)[keyof typeof RECEIPT_AMOUNT];
}

/** The bank's file: the amount in integer fen (amount_fen), or in yuan (amount_yuan) as bank statements write it. */
export const RECEIPT_HEADER = ['bank_ref', 'paid_date', 'bill_no', 'amount_fen'] as const;
const RECEIPT_AMOUNT = { fen: 'amount_fen', yuan: 'amount_yuan' } as const;

export function parseReceiptCsv(text: string, today: IsoDate): { lines: ReceiptLine[]; errors: LineError[] } {
  const rows = parseCsvLines(text);
  const errors: LineError[] = [];
  const lines: ReceiptLine[] = [];
  const header = (rows[0] ?? []).map((c) => c.toLowerCase());
  // a header naming both units is refused, as for declarations
  const both = header.includes(RECEIPT_AMOUNT.fen) && header.includes(RECEIPT_AMOUNT.yuan);
  const unit = (['fen', 'yuan'] as const).find(
    (u) =>
      !both && RECEIPT_HEADER.slice(0, 3).every((h, i) => header[i] === h) && header[3] === RECEIPT_AMOUNT[u],
  );
  if (unit === undefined) {
    errors.push(
      err(
        1,
        '(header)',
        `the first line must be ${RECEIPT_HEADER.join(',')} (or amount_yuan for amounts in yuan)`,
        `第一行应为 ${RECEIPT_HEADER.join(',')}（金额以元为单位时末列写 amount_yuan）`,
      ),
    );
    return { lines, errors };
  }
  const amountField = RECEIPT_AMOUNT[unit];
  const refs = new Map<string, number>();
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i] ?? [];
    const n = i + 1;
    if (skippable(row)) continue;
    // the declarations' cap: one transaction writes every receipt, so a file without one held it open for as long as it liked
    if (lines.length + errors.length >= MAX_UPLOAD_LINES) {
      errors.push(
        err(n, '(file)', `at most ${MAX_UPLOAD_LINES} lines per file`, `每个文件最多 ${MAX_UPLOAD_LINES} 行`),
      );
      break;
    }
    if (row.length !== RECEIPT_HEADER.length) {
      errors.push(
        err(
          n,
          '(line)',
          `expected ${RECEIPT_HEADER.length} columns, found ${row.length}`,
          `应为 ${RECEIPT_HEADER.length} 列，实为 ${row.length} 列`,
        ),
      );
      continue;
    }
    const [ref = '', date = '', bill = '', amountRaw = ''] = row;
    let bad = false;
    if (!/^[A-Za-z0-9_-]{4,64}$/.test(ref)) {
      errors.push(err(n, 'bank_ref', 'expected 4–64 letters, digits, - or _', '应为4至64位字母、数字、-或_'));
      bad = true;
    } else if (refs.has(ref)) {
      errors.push(
        err(n, 'bank_ref', `same reference as line ${refs.get(ref)}`, `与第 ${refs.get(ref)} 行流水号重复`),
      );
      bad = true;
    }
    const day = checkDay(n, date, today, 'paid_date');
    if (day !== null) {
      errors.push(day);
      bad = true;
    }
    if (!/^[1-9]\d{0,14}$/.test(bill)) {
      errors.push(err(n, 'bill_no', 'not a bill number', '不是账单号'));
      bad = true;
    }
    const amount =
      unit === 'yuan'
        ? checkYuanText(n, amountRaw, amountField, MAX_AMOUNT_FEN, { en: 'amount', zh: '金额' })
        : checkFenText(n, amountRaw, amountField, MAX_AMOUNT_FEN);
    if (typeof amount !== 'number') {
      errors.push(amount);
      bad = true;
    } else if (amount === 0) {
      errors.push(err(n, amountField, 'the amount must be positive', '金额须大于零'));
      bad = true;
    }
    if (bad || typeof amount !== 'number') continue;
    refs.set(ref, n);
    lines.push({
      line: n,
      bankRef: ref,
      paidDate: date,
      billId: Number(bill),
      amountFen: amount,
      amountField,
    });
  }
  return { lines, errors };
}
