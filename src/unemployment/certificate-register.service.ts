// The register of vocational skill certificates (职业技能等级证书) that the skill-upgrade subsidy is
// checked against. A clerk imports it as a CSV file (one certificate a line):
//
//   certificate_no,id_number,name,occupation,level,issue_date,issuer
//
// Every line is checked (certificate number, ID number by checksum, name, occupation, level 1–5,
// a real issue date not in the future, issuer; no number twice in the file; a number already in the
// register must not be imported again). Any bad line → nothing is written and every error is
// answered with its line, field and reason in Chinese and English. The same file again is refused as
// a duplicate of its earlier import.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { parseCsvLines } from '../core/csv.ts';
import { dateParts } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { checkIdNumber, maskIdNumber } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';

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

export type ImportOutcome =
  | { status: 'imported'; importId: number; rows: number }
  | { status: 'rejected'; errors: RegisterLineError[]; errorCount: number };

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

export class CertificateRegisterService {
  constructor(private readonly db: Db) {}

  /** Imports a register file: every row or none. */
  async import(
    actor: Actor,
    input: { csv: string; filename?: string | undefined; region?: string | undefined },
  ): Promise<ImportOutcome> {
    const region = input.region ?? actor.region;
    if (region === null)
      throw new SbError('SB_ERR_REQUIRED', { field: 'region', zh: '请指定地区', en: 'give the region' });
    authorize(actor, 'certificate-register.import', { region });
    if (!(await this.db.selectFrom('region').select('code').where('code', '=', region).executeTakeFirst()))
      throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region', zh: region, en: region });
    const { rows, errors } = checkRegisterCsv(input.csv, today());
    const hash = createHash('sha256').update(input.csv).digest('hex');
    if (errors.length > 0)
      return { status: 'rejected', errors: errors.slice(0, 1000), errorCount: errors.length };
    return this.db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(726354203)`.execute(tx);
      const same = await sql<{
        id: unknown;
      }>`SELECT id FROM certificate_import WHERE content_hash = ${hash}`.execute(tx);
      if (same.rows[0])
        throw new SbError('SB_ERR_DUPLICATE', {
          field: 'csv',
          zh: `该文件已于第${int(same.rows[0].id)}次导入`,
          en: `this file was already imported (#${int(same.rows[0].id)})`,
        });
      const nos = rows.map((r) => r.certificateNo);
      const existing = await sql<{ certificate_no: string }>`
        SELECT certificate_no FROM vocational_certificate WHERE certificate_no = ANY(${nos}::text[])`.execute(
        tx,
      );
      if (existing.rows.length > 0) {
        const lineOf = new Map(rows.map((r, i) => [r.certificateNo, i + 2]));
        const errs = existing.rows.map((x) => ({
          line: lineOf.get(x.certificate_no) ?? 0,
          field: 'certificate_no',
          reason: 'this certificate number is already in the register',
          reasonZh: '该证书编号已在证书库中',
        }));
        errs.sort((a, b) => a.line - b.line);
        return { status: 'rejected' as const, errors: errs.slice(0, 1000), errorCount: errs.length };
      }
      const imp = await sql<{ id: unknown }>`
        INSERT INTO certificate_import (region, filename, content_hash, row_count, created_by)
        VALUES (${region}, ${input.filename ?? null}, ${hash}, ${rows.length}, ${actor.username}) RETURNING id`.execute(
        tx,
      );
      const importId = int(imp.rows[0]?.id);
      for (let i = 0; i < rows.length; i += 20_000) {
        const part = rows.slice(i, i + 20_000);
        await sql`
          INSERT INTO vocational_certificate (certificate_no, id_number, holder_name, occupation, level, issue_date, issuer, import_id)
          SELECT no, idn, nm, occ, lvl, iss, isr, ${importId} FROM unnest(${part.map((r) => r.certificateNo)}::text[],
            ${part.map((r) => r.idNumber)}::text[], ${part.map((r) => r.name)}::text[], ${part.map((r) => r.occupation)}::text[],
            ${part.map((r) => r.level)}::int[], ${part.map((r) => r.issueDate)}::date[], ${part.map((r) => r.issuer)}::text[])
            AS t(no, idn, nm, occ, lvl, iss, isr)`.execute(tx);
      }
      await appendAudit(tx, actor, {
        action: 'certificate-register.import',
        entityType: 'certificate_import',
        entityId: importId,
        region,
        after: { filename: input.filename ?? null, rows: rows.length, sha256: hash },
      });
      return { status: 'imported' as const, importId, rows: rows.length };
    });
  }

  /** The imports of the staff member's region, newest first, with the register's size. */
  async imports(actor: Actor): Promise<{
    certificates: number;
    items: Array<{
      id: number;
      region: string;
      filename: string | null;
      rows: number;
      createdBy: string;
      createdAt: string;
    }>;
  }> {
    authorize(actor, 'certificate-register.read');
    const region = actor.region ?? '000000';
    const r = await sql<{
      id: unknown;
      region: string;
      filename: string | null;
      row_count: unknown;
      created_by: string;
      created_at: unknown;
    }>`
      SELECT id, region, filename, row_count, created_by, created_at FROM certificate_import
      WHERE ${regionCoversSql(sql`region`, region)} ORDER BY id DESC LIMIT 50`.execute(this.db);
    const n = await sql<{ n: unknown }>`SELECT count(*) AS n FROM vocational_certificate`.execute(this.db);
    return {
      certificates: int(n.rows[0]?.n),
      items: r.rows.map((x) => ({
        id: int(x.id),
        region: x.region.trim(),
        filename: x.filename,
        rows: int(x.row_count),
        createdBy: x.created_by,
        createdAt: x.created_at instanceof Date ? x.created_at.toISOString() : String(x.created_at),
      })),
    };
  }

  /** Staff look-up of one certificate by its number (the holder's ID number masked). */
  async find(actor: Actor, certificateNo: string) {
    authorize(actor, 'certificate-register.read');
    const r = await sql<{
      certificate_no: string;
      id_number: string;
      holder_name: string;
      occupation: string;
      level: number;
      issue_date: string;
      issuer: string;
    }>`SELECT certificate_no, id_number, holder_name, occupation, level, issue_date::text AS issue_date, issuer
       FROM vocational_certificate WHERE certificate_no = ${certificateNo.toUpperCase()}`.execute(this.db);
    const c = r.rows[0];
    if (!c) throw new SbError('SB_ERR_NOT_FOUND', { field: 'certificateNo' });
    return {
      certificateNo: c.certificate_no,
      idNumber: maskIdNumber(c.id_number),
      name: c.holder_name,
      occupation: c.occupation,
      level: int(c.level),
      issueDate: c.issue_date,
      issuer: c.issuer,
    };
  }
}
