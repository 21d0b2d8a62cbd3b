// Cells of the CSV files the system writes (the payroll bank file, exports, error lists). A text cell
// that a spreadsheet would read as a formula — one beginning with =, +, -, @, a tab or a CR — gets a
// leading apostrophe (OWASP "CSV injection"), and any cell with a comma, quote or line break is quoted.
//
// Numbers are not text: a cell the file format defines as a number (amount_fen, amount_yuan) is
// written by `csvNumber`, which accepts only a plain decimal (`-1234`, `-12.34`) and writes it as is.
// A legitimately negative amount therefore stays `-1234` — a spreadsheet reads a plain negative number
// as a number, never as a formula — while a text cell `-1+cmd|…` is neutralized to `'-1+cmd|…`.
import { SbError } from './errors.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell: neutralized when it could start a formula, quoted when it needs to be. */
export function csvText(value: string | null | undefined): string {
  const v = value ?? '';
  const safe = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A numeric cell: a safe integer, a bigint, or a plain decimal string; anything else is refused. */
export function csvNumber(value: number | bigint | string): string {
  const s = typeof value === 'string' ? value : String(value);
  if ((typeof value === 'number' && !Number.isSafeInteger(value)) || !/^-?[0-9]+(\.[0-9]+)?$/.test(s))
    throw new SbError('SB_ERR_INVALID_AMOUNT', { zh: `“${s}”不是数字`, en: `"${s}" is not a number` });
  return s;
}

/** One line of cells already made with csvText / csvNumber. */
export const csvLine = (cells: readonly string[]): string => `${cells.join(',')}\n`;
