// Data-comparison files (数据比对): the CSV formats and the checks each line must pass before anything
// is written. Pure: "today" is passed in. Formats (docs/certification.md):
//   death     id_number,death_date,source      (civil affairs, public security, cremation records)
//   hospital  id_number,visit_date,hospital    (medical-insurance settlement)
//   transit   id_number,travel_date,operator   (rail, air, bus ticketing)
//   card      id_number,use_date,terminal      (social security card use)
// UTF-8, a header line, one event per line, dates YYYY-MM-DD, the third column optional (may be empty,
// at most 100 characters). Blank lines and lines starting with # are skipped.
import { splitCsvLine } from '../core/csv.ts';
import { checkIdNumber, idCheckChar } from '../core/ids.ts';
import { dateParts, type IsoDate } from '../core/dates.ts';
import type { CertificationImportKind } from '../db/database.ts';

export const IMPORT_KINDS: readonly CertificationImportKind[] = ['death', 'hospital', 'transit', 'card'];

export const IMPORT_HEADERS: Readonly<Record<CertificationImportKind, readonly [string, string, string]>> = {
  death: ['id_number', 'death_date', 'source'],
  hospital: ['id_number', 'visit_date', 'hospital'],
  transit: ['id_number', 'travel_date', 'operator'],
  card: ['id_number', 'use_date', 'terminal'],
};

/** Life signs older than this are no use to any campaign; deaths may be older (late registrations). */
export const EARLIEST_LIFE_SIGN = '2015-01-01';
export const EARLIEST_DEATH = '1950-01-01';
/** Errors listed in full up to this many; beyond it they are counted. */
export const MAX_LISTED_ERRORS = 1000;

export interface ImportLineError {
  line: number;
  field: string;
  reason: string;
  reasonZh: string;
}

export interface ImportLine {
  line: number;
  idNumber: string;
  date: IsoDate;
}

const err = (line: number, field: string, reason: string, reasonZh: string): ImportLineError => ({
  line,
  field,
  reason,
  reasonZh,
});

export function checkHeader(kind: CertificationImportKind, raw: string): ImportLineError | null {
  const cells = splitCsvLine(raw.replace(/^\uFEFF/, '')).map((c) => c.toLowerCase());
  const want = IMPORT_HEADERS[kind];
  if (cells.length === 3 && want.every((h, i) => cells[i] === h)) return null;
  return err(1, '(header)', `the first line must be ${want.join(',')}`, `第一行应为 ${want.join(',')}`);
}

export const isSkippable = (raw: string): boolean => raw.trim() === '' || raw.trimStart().startsWith('#');

/**
 * A line as the data sources write it: an 18-character ID number in capitals, a YYYY-MM-DD date and a
 * third column without quotes or commas, nothing to trim. Such a line is checked without splitting
 * it into cells (a province's file is a million of them); every other line, and every line this path
 * finds wrong, takes the general path below, which gives the same answer for a good line and lists
 * the errors of a bad one.
 */
const PLAIN_LINE = /^(\d{6}(\d{4})(\d{2})(\d{2})\d{3})([\dX]),(\d{4}-\d{2}-\d{2}),([^,"]{0,100})$/;

function plainLine(
  kind: CertificationImportKind,
  line: number,
  raw: string,
  today: IsoDate,
): ImportLine | null {
  const m = PLAIN_LINE.exec(raw);
  if (!m) return null;
  const [, body, by, bm, bd, check, d, third] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (third !== third.trim()) return null;
  const birthDate = `${by}-${bm}-${bd}`;
  const birth = dateParts(birthDate);
  if (!birth || birth.year < 1800 || birthDate > today || idCheckChar(body) !== check) return null;
  if (
    dateParts(d) === null ||
    d > today ||
    d < (kind === 'death' ? EARLIEST_DEATH : EARLIEST_LIFE_SIGN) ||
    d < birthDate
  )
    return null;
  return { line, idNumber: body + check, date: d };
}

/** Checks one data line; answers the line or every error found on it. */
export function parseImportLine(
  kind: CertificationImportKind,
  line: number,
  raw: string,
  today: IsoDate,
): ImportLine | ImportLineError[] {
  return plainLine(kind, line, raw, today) ?? parseImportCells(kind, line, raw, today);
}

/** The general check of a line (any CSV quoting, 15-digit numbers, spaces): every error found. */
export function parseImportCells(
  kind: CertificationImportKind,
  line: number,
  raw: string,
  today: IsoDate,
): ImportLine | ImportLineError[] {
  const cells = splitCsvLine(raw);
  const [h0, h1, h2] = IMPORT_HEADERS[kind];
  if (cells.length !== 3)
    return [
      err(line, '(line)', `expected 3 columns, found ${cells.length}`, `应为 3 列，实为 ${cells.length} 列`),
    ];
  const errors: ImportLineError[] = [];
  const id = checkIdNumber(cells[0] ?? '', today);
  if (!id.valid) errors.push(err(line, h0, id.reason, id.reasonZh));
  const d = cells[1] ?? '';
  const earliest = kind === 'death' ? EARLIEST_DEATH : EARLIEST_LIFE_SIGN;
  // the line and column are named; the date and the birth date in the number are not repeated
  if (dateParts(d) === null)
    errors.push(err(line, h1, 'not a real YYYY-MM-DD date', '不是有效的 YYYY-MM-DD 日期'));
  else if (d > today) errors.push(err(line, h1, 'the date is in the future', '日期晚于今天'));
  else if (d < earliest) errors.push(err(line, h1, `the date is before ${earliest}`, `日期早于 ${earliest}`));
  else if (id.valid && d < id.birthDate)
    errors.push(err(line, h1, 'the date is before the birth date', '日期早于出生日期'));
  if ((cells[2] ?? '').length > 100) errors.push(err(line, h2, 'at most 100 characters', '最多 100 个字符'));
  if (errors.length > 0 || !id.valid) return errors;
  return { line, idNumber: id.normalized, date: d };
}
