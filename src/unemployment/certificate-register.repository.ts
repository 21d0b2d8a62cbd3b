// SQL of the vocational certificate register (职业技能证书库): its imports, the certificates they
// wrote, and the staff look-up by number. Executor first.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import type { CertificateRow } from './certificate-register.rules.ts';

/** One import at a time (the duplicate checks and the writes are one step). */
export async function lockRegisterImports(tx: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(726354203)`.execute(tx);
}

/** The earlier import of the same file (by its SHA-256), if any. */
export async function importOfHash(tx: Db, hash: string): Promise<number | undefined> {
  const r = await sql<{
    id: unknown;
  }>`SELECT id FROM certificate_import WHERE content_hash = ${hash}`.execute(tx);
  return r.rows[0] ? int(r.rows[0].id) : undefined;
}

/** Which of these certificate numbers the register already holds. */
export async function registeredNumbers(tx: Db, nos: readonly string[]): Promise<string[]> {
  const r = await sql<{ certificate_no: string }>`
    SELECT certificate_no FROM vocational_certificate WHERE certificate_no = ANY(${nos}::text[])`.execute(tx);
  return r.rows.map((x) => x.certificate_no);
}

/** The import and its certificates, set-based in chunks; answers the import's id. */
export async function insertImport(
  tx: Db,
  imp: { region: string; filename: string | null; hash: string; createdBy: string },
  rows: readonly CertificateRow[],
): Promise<number> {
  const r = await sql<{ id: unknown }>`
    INSERT INTO certificate_import (region, filename, content_hash, row_count, created_by)
    VALUES (${imp.region}, ${imp.filename}, ${imp.hash}, ${rows.length}, ${imp.createdBy}) RETURNING id`.execute(
    tx,
  );
  const importId = int(r.rows[0]?.id);
  for (let i = 0; i < rows.length; i += 20_000) {
    const part = rows.slice(i, i + 20_000);
    await sql`
      INSERT INTO vocational_certificate (certificate_no, id_number, holder_name, occupation, level, issue_date, issuer, import_id)
      SELECT no, idn, nm, occ, lvl, iss, isr, ${importId} FROM unnest(${part.map((r) => r.certificateNo)}::text[],
        ${part.map((r) => r.idNumber)}::text[], ${part.map((r) => r.name)}::text[], ${part.map((r) => r.occupation)}::text[],
        ${part.map((r) => r.level)}::int[], ${part.map((r) => r.issueDate)}::date[], ${part.map((r) => r.issuer)}::text[])
        AS t(no, idn, nm, occ, lvl, iss, isr)`.execute(tx);
  }
  return importId;
}

/** The region's latest 50 imports, newest first. */
export async function regionImports(db: Db, region: string) {
  const r = await sql<{
    id: unknown;
    region: string;
    filename: string | null;
    row_count: unknown;
    created_by: string;
    created_at: unknown;
  }>`
    SELECT id, region, filename, row_count, created_by, created_at FROM certificate_import
    WHERE ${regionCoversSql(sql`region`, region)} ORDER BY id DESC LIMIT 50`.execute(db);
  return r.rows;
}

export async function registerSize(db: Db): Promise<number> {
  const n = await sql<{ n: unknown }>`SELECT count(*) AS n FROM vocational_certificate`.execute(db);
  return int(n.rows[0]?.n);
}

/** One certificate by its number. */
export async function certificateByNumber(db: Db, certificateNo: string) {
  const r = await sql<{
    certificate_no: string;
    id_number: string;
    holder_name: string;
    occupation: string;
    level: number;
    issue_date: string;
    issuer: string;
  }>`SELECT certificate_no, id_number, holder_name, occupation, level, issue_date::text AS issue_date, issuer
     FROM vocational_certificate WHERE certificate_no = ${certificateNo}`.execute(db);
  return r.rows[0];
}
