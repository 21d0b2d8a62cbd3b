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
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import { maskIdNumber } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';
import { findRegion } from '../registry/region.repository.ts';
import {
  certificateByNumber,
  importOfHash,
  insertImport,
  lockRegisterImports,
  regionImports,
  registeredNumbers,
  registerSize,
} from './certificate-register.repository.ts';
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
    if (!(await findRegion(this.db, region))) throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region' });
    const { rows, errors } = checkRegisterCsv(input.csv, today());
    const hash = createHash('sha256').update(input.csv).digest('hex');
    if (errors.length > 0)
      return { status: 'rejected', errors: errors.slice(0, 1000), errorCount: errors.length };
    return this.db.transaction().execute(async (tx) => {
      await lockRegisterImports(tx);
      const same = await importOfHash(tx, hash);
      if (same !== undefined)
        throw new SbError('SB_ERR_DUPLICATE', {
          field: 'csv',
          zh: `该文件已于第${same}次导入`,
          en: `this file was already imported (#${same})`,
        });
      const nos = rows.map((r) => r.certificateNo);
      const existing = await registeredNumbers(tx, nos);
      if (existing.length > 0) {
        const lineOf = new Map(rows.map((r, i) => [r.certificateNo, i + 2]));
        const errs = existing.map((no) => ({
          line: lineOf.get(no) ?? 0,
          field: 'certificate_no',
          reason: 'this certificate number is already in the register',
          reasonZh: '该证书编号已在证书库中',
        }));
        errs.sort((a, b) => a.line - b.line);
        return { status: 'rejected' as const, errors: errs.slice(0, 1000), errorCount: errs.length };
      }
      const importId = await insertImport(
        tx,
        { region, filename: input.filename ?? null, hash, createdBy: actor.username },
        rows,
      );
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
    const items = await regionImports(this.db, region);
    const certificates = await registerSize(this.db);
    return {
      certificates,
      items: items.map((x) => ({
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
    const c = await certificateByNumber(this.db, certificateNo.toUpperCase());
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
