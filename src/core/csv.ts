// CSV for the uploads (declarations, bank receipts, certification data imports): one record per
// physical line, so that every error names the line a clerk sees in the file. Each line is parsed by
// csv-parse (a maintained parser): commas, optional double quotes with "" for a quote inside, cells
// trimmed, a UTF-8 BOM at the start of the text ignored. A line csv-parse cannot read (an unclosed
// quote) comes back as one cell, so the caller's column check names the line. A quote inside an
// unquoted cell is kept as written.
import { parse } from 'csv-parse/sync';

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

/** Every physical line of the text as cells (CRLF or LF; a leading BOM dropped). Line n is row n − 1. */
export function parseCsvLines(text: string): string[][] {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return src.split(/\r?\n/).map(splitCsvLine);
}
