// Declarations as data: the CSV format (docs/contribution-csv.md) and the checks that need no
// database — columns, ID-number checksum, period, amount. Pure: "today" is passed in.
import { parseCsvLines } from '../core/csv.ts';
import { checkIdNumber } from '../core/ids.ts';
import { isPeriod, periodOf, type IsoDate, type Period } from '../core/dates.ts';

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

export const DECLARATION_HEADER = ['id_number', 'name', 'period', 'wage_fen'] as const;
export const DECLARATION_HEADER_ZH = ['公民身份号码', '姓名', '缴费期间', '月工资（分）'] as const;
export const MAX_WAGE_FEN = 100_000_000_00; // 100 million yuan a month: beyond any real wage
export const MAX_UPLOAD_LINES = 50_000;

export const DECLARATION_TEMPLATE =
  `${DECLARATION_HEADER.join(',')}\n` +
  '# 每行一人一月；月工资以分为单位的整数（650000 = 6,500.00 元）；以 # 开头的行为注释\n' +
  '# one person and month per line; wage in integer fen (650000 = 6,500.00 yuan); lines starting with # are comments\n' +
  '341802198506150113,张三,2021-09,650000\n';

const err = (line: number, field: string, reason: string, reasonZh: string): LineError => ({
  line,
  field,
  reason,
  reasonZh,
});

/** A row that is empty or a comment is skipped; it keeps its line number for the others. */
const skippable = (row: string[]): boolean => row.every((c) => c === '') || (row[0] ?? '').startsWith('#');

export function checkPeriod(line: number, raw: string, today: IsoDate, field = 'period'): LineError | null {
  const text: string = raw;
  if (!isPeriod(raw))
    return err(line, field, `"${text}" is not a YYYY-MM period`, `“${text}”不是 YYYY-MM 格式的期间`);
  if (raw > periodOf(today)) return err(line, field, `${raw} is in the future`, `${raw} 晚于当前月份`);
  if (raw < '2011-07')
    return err(
      line,
      field,
      `${raw} is before the Social Insurance Law (2011-07)`,
      `${raw} 早于社会保险法施行（2011-07）`,
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
    return err(line, field, `"${raw}" is not a whole number of fen ≥ 0`, `“${raw}”不是以分为单位的非负整数`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n > max)
    return err(line, field, `${raw} is too large`, `${raw} 超出允许范围`);
  return n;
}

/** Parses and checks a declarations file; every bad line is reported, none is dropped silently. */
export function parseDeclarationCsv(
  text: string,
  today: IsoDate,
): { lines: DeclarationLine[]; errors: LineError[] } {
  const rows = parseCsvLines(text);
  const errors: LineError[] = [];
  const lines: DeclarationLine[] = [];
  const header = (rows[0] ?? []).map((c) => c.toLowerCase());
  const okHeader =
    DECLARATION_HEADER.every((h, i) => header[i] === h) ||
    DECLARATION_HEADER_ZH.every((h, i) => header[i] === h.toLowerCase());
  if (!okHeader) {
    errors.push(
      err(
        1,
        '(header)',
        `the first line must be ${DECLARATION_HEADER.join(',')}`,
        `第一行应为 ${DECLARATION_HEADER.join(',')}（或 ${DECLARATION_HEADER_ZH.join(',')}）`,
      ),
    );
    return { lines, errors };
  }
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
      errors.push(
        err(
          n,
          '(line)',
          `expected ${DECLARATION_HEADER.length} columns, found ${row.length}`,
          `应为 ${DECLARATION_HEADER.length} 列，实为 ${row.length} 列`,
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
    const wage = checkFenText(n, wageRaw, 'wage_fen');
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
}

export const RECEIPT_HEADER = ['bank_ref', 'paid_date', 'bill_no', 'amount_fen'] as const;

export function parseReceiptCsv(text: string, today: IsoDate): { lines: ReceiptLine[]; errors: LineError[] } {
  const rows = parseCsvLines(text);
  const errors: LineError[] = [];
  const lines: ReceiptLine[] = [];
  const header = (rows[0] ?? []).map((c) => c.toLowerCase());
  if (!RECEIPT_HEADER.every((h, i) => header[i] === h)) {
    errors.push(
      err(
        1,
        '(header)',
        `the first line must be ${RECEIPT_HEADER.join(',')}`,
        `第一行应为 ${RECEIPT_HEADER.join(',')}`,
      ),
    );
    return { lines, errors };
  }
  const refs = new Map<string, number>();
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i] ?? [];
    const n = i + 1;
    if (skippable(row)) continue;
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
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
      Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
      new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
    ) {
      errors.push(err(n, 'paid_date', `"${date}" is not a YYYY-MM-DD date`, `“${date}”不是 YYYY-MM-DD 日期`));
      bad = true;
    } else if (date > today) {
      errors.push(err(n, 'paid_date', `${date} is in the future`, `${date} 晚于今天`));
      bad = true;
    }
    if (!/^[1-9]\d{0,14}$/.test(bill)) {
      errors.push(err(n, 'bill_no', `"${bill}" is not a bill number`, `“${bill}”不是账单号`));
      bad = true;
    }
    const amount = checkFenText(n, amountRaw, 'amount_fen', 10_000_000_000_00);
    if (typeof amount !== 'number') {
      errors.push(amount);
      bad = true;
    } else if (amount === 0) {
      errors.push(err(n, 'amount_fen', 'the amount must be positive', '金额须大于零'));
      bad = true;
    }
    if (bad || typeof amount !== 'number') continue;
    refs.set(ref, n);
    lines.push({ line: n, bankRef: ref, paidDate: date, billId: Number(bill), amountFen: amount });
  }
  return { lines, errors };
}
