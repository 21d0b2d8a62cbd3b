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
import { SbError } from '../core/errors.ts';
import { maskIdNumber } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { checkRegisterCsv, type RegisterLineError } from './certificate-register.rules.ts';
import { int } from '../db/values.ts';

export { CERTIFICATE_COLUMNS } from './certificate-register.rules.ts';

export type ImportOutcome =
  | { status: 'imported'; importId: number; rows: number }
  | { status: 'rejected'; errors: RegisterLineError[]; errorCount: number };

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
      throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region' });
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
