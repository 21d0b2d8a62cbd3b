// The skill-certificate register's CSV checked line by line (pure: no database): the columns, the
// limit on lines, and every error with its line and field.
import { parseCsvLines } from '../core/csv.ts';
import { dateParts } from '../core/dates.ts';
import { checkIdNumber } from '../core/ids.ts';

export const CERTIFICATE_COLUMNS = [
  'certificate_no',
  'id_number',
  'name',
  'occupation',
  'level',
  'issue_date',
  'issuer',
] as const;

export const MAX_REGISTER_LINES = 200_000;

export interface RegisterLineError {
  line: number;
  field: string;
  reason: string;
  reasonZh: string;
}

export interface CertificateRow {
  certificateNo: string;
  idNumber: string;
  name: string;
  occupation: string;
  level: number;
  issueDate: string;
  issuer: string;
}

/** Checks every line of the file; answers the rows or every error (pure: no database). */
export function checkRegisterCsv(
  text: string,
  asOf: string,
): { rows: CertificateRow[]; errors: RegisterLineError[] } {
  const lines = parseCsvLines(text);
  while (lines.length > 0 && lines[lines.length - 1]?.length === 1 && lines[lines.length - 1]?.[0] === '')
    lines.pop();
  const errors: RegisterLineError[] = [];
  const rows: CertificateRow[] = [];
  const err = (line: number, field: string, reasonZh: string, reason: string) =>
    errors.push({ line, field, reason, reasonZh });
  const header = (lines[0] ?? []).map((c) => c.toLowerCase());
  if (header.join(',') !== CERTIFICATE_COLUMNS.join(',')) {
    err(
      1,
      'header',
      `首行应为：${CERTIFICATE_COLUMNS.join(',')}`,
      `the first line must be: ${CERTIFICATE_COLUMNS.join(',')}`,
    );
    return { rows, errors };
  }
  if (lines.length < 2) err(1, 'file', '文件中没有证书', 'the file holds no certificate');
  if (lines.length - 1 > MAX_REGISTER_LINES)
    err(1, 'file', `一次最多导入${MAX_REGISTER_LINES}行`, `at most ${MAX_REGISTER_LINES} lines per file`);
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const cells = lines[i] ?? [];
    if (cells.length === 1 && cells[0] === '') {
      err(line, 'line', '空行', 'empty line');
      continue;
    }
    if (cells.length !== CERTIFICATE_COLUMNS.length) {
      err(
        line,
        'line',
        `应有${CERTIFICATE_COLUMNS.length}列，实有${cells.length}列`,
        `expected ${CERTIFICATE_COLUMNS.length} cells, found ${cells.length}`,
      );
      continue;
    }
    const [no = '', id = '', name = '', occupation = '', level = '', issue = '', issuer = ''] = cells;
    const before = errors.length;
    const certificateNo = no.toUpperCase();
    if (!/^[A-Z0-9-]{6,40}$/.test(certificateNo))
      err(
        line,
        'certificate_no',
        '证书编号应为6至40位字母、数字或连字符',
        'the certificate number must be 6 to 40 letters, digits or hyphens',
      );
    else if (seen.has(certificateNo))
      err(
        line,
        'certificate_no',
        `证书编号与第${seen.get(certificateNo)}行重复`,
        `the certificate number repeats line ${seen.get(certificateNo)}`,
      );
    const idr = checkIdNumber(id, asOf);
    if (!idr.valid)
      err(line, 'id_number', `身份证号码不正确：${idr.reasonZh}`, `invalid ID number: ${idr.reason}`);
    if (name.length < 1 || name.length > 50)
      err(line, 'name', '姓名应为1至50个字符', 'the name must be 1 to 50 characters');
    if (occupation.length < 1 || occupation.length > 100)
      err(line, 'occupation', '职业（工种）应为1至100个字符', 'the occupation must be 1 to 100 characters');
    if (!/^[1-5]$/.test(level))
      err(line, 'level', '等级应为1至5（五级为初级工）', 'the level must be 1 to 5 (5 = entry level)');
    const parts = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(issue) ? dateParts(issue) : null;
    if (!parts)
      err(
        line,
        'issue_date',
        '发证日期应为 YYYY-MM-DD 的真实日期',
        'the issue date must be a real YYYY-MM-DD date',
      );
    else if (issue > asOf)
      err(line, 'issue_date', `发证日期晚于今天（${asOf}）`, `the issue date is after today (${asOf})`);
    else if (issue < '2017-01-01')
      err(
        line,
        'issue_date',
        '发证日期早于2017-01-01，不在补贴政策范围',
        'issued before 2017-01-01, outside the subsidy policy',
      );
    if (issuer.length < 1 || issuer.length > 100)
      err(line, 'issuer', '发证机构应为1至100个字符', 'the issuer must be 1 to 100 characters');
    if (errors.length === before && idr.valid) {
      seen.set(certificateNo, line);
      rows.push({
        certificateNo,
        idNumber: idr.normalized,
        name,
        occupation,
        level: Number(level),
        issueDate: issue,
        issuer,
      });
    }
  }
  return { rows, errors };
}
