// CSV, both ways.
//
// Reading — CSV for the uploads (declarations, bank receipts, certification data imports): one record per
// physical line, so that every error names the line a clerk sees in the file. Each line is parsed by
// csv-parse (a maintained parser): commas, optional double quotes with "" for a quote inside, cells
// trimmed, a UTF-8 BOM at the start of the text ignored. A line csv-parse cannot read (an unclosed
// quote) comes back as one cell, so the caller's column check names the line. A quote inside an
// unquoted cell is kept as written.
//
// Writing — Cells of the CSV files the system writes (the payroll bank file, exports, error lists). A text cell
// that a spreadsheet would read as a formula — one beginning with =, +, -, @, a tab or a CR, or with a
// character that compatibility normalisation (NFKC) makes one of them: the full-width ＝ ＋ － ＠ a
// Chinese input method types, the small ﹦ ﹢ ﹣ ﹫, the superscript ⁼ ⁺ — gets a leading apostrophe
// (OWASP "CSV injection"), and any cell with a comma, quote or line break is quoted.
//
// Numbers are not text: a cell the file format defines as a number (amount_fen, amount_yuan) is
// written by `csvNumber` (naming its column), which accepts only a plain decimal (`-1234`, `-12.34`) and writes it as is.
// A legitimately negative amount therefore stays `-1234` — a spreadsheet reads a plain negative number
// as a number, never as a formula — while a text cell `-1+cmd|…` is neutralized to `'-1+cmd|…`.
import { parse } from 'csv-parse/sync';
import { SbError } from './errors.ts';

const OPTIONS = {
  relax_quotes: true,
  relax_column_count: true,
  trim: true,
  skip_empty_lines: false,
} as const;

/** The cells of one line (no line break inside). An empty line is one empty cell. */
export function splitCsvLine(raw: string): string[] {
  // Most lines carry no quote at all: for them csv-parse would only split at the commas, so do
  // that directly (a 50,000-line upload or a province's data import stays fast).
  if (!raw.includes('"')) return raw.split(',').map((c) => c.trim());
  try {
    const records: string[][] = parse(raw, OPTIONS);
    const cells = records[0];
    return cells === undefined ? [''] : cells.map((c) => c.trim());
  } catch {
    return [raw.trim()];
  }
}

/** The problems of a refused upload listed by line (the rest are counted): a page shows them as a table. */
export const MAX_LISTED_ERRORS = 1000;

/** Every physical line of the text as cells (CRLF or LF; a leading BOM dropped). Line n is row n − 1. */
export function parseCsvLines(text: string): string[][] {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return src.split(/\r?\n/).map(splitCsvLine);
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether a spreadsheet could read the text as a formula, once it has normalised its first character. */
const startsAFormula = (v: string): boolean =>
  FORMULA_START.test(String.fromCodePoint(v.codePointAt(0) ?? 0x20).normalize('NFKC'));

/** A text cell: neutralized when it could start a formula, quoted when it needs to be. */
export function csvText(value: string | null | undefined): string {
  const v = value ?? '';
  const safe = startsAFormula(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A numeric cell of the column headed `column`: a safe integer, a bigint, or a plain decimal string;
 * anything else is refused naming the column, so the writer knows which cell of the format went wrong.
 */
export function csvNumber(value: number | bigint | string, column: string): string {
  const s = typeof value === 'string' ? value : String(value);
  if ((typeof value === 'number' && !Number.isSafeInteger(value)) || !/^-?[0-9]+(\.[0-9]+)?$/.test(s))
    // The column, never the value: the cell may hold what an uploader typed (no data echoed in errors).
    throw new SbError('SB_ERR_INVALID_AMOUNT', {
      field: column,
      zh: `“${column}”列的数值单元格只能是整数或小数，不能是文本或公式`,
      en: `a numeric cell of the column "${column}" must be a plain integer or decimal, not text or a formula`,
    });
  return s;
}

/** One line of cells already made with csvText / csvNumber. */
export const csvLine = (cells: readonly string[]): string => `${cells.join(',')}\n`;
