// SQL for declarations: what is already declared (and billed) for (person, period) pairs, set-based
// inserts and replacements, the employer's months. Functions take the executor first.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';

export interface ExistingDeclaration {
  id: number;
  person_id: number;
  period: string;
  wage_fen: number;
  billed: boolean;
}

/** Declarations already held for (person, period) pairs of one employer (null: flexible). */
export async function existingDeclarations(
  db: Db,
  employerId: number | null,
  pairs: Array<{ personId: number; period: string }>,
): Promise<Map<string, ExistingDeclaration>> {
  const out = new Map<string, ExistingDeclaration>();
  if (pairs.length === 0) return out;
  const persons = `{${pairs.map((p) => p.personId).join(',')}}`;
  const periods = `{${pairs.map((p) => p.period).join(',')}}`;
  const r = await sql<ExistingDeclaration>`
    SELECT d.id, d.person_id, d.period, d.wage_fen,
      EXISTS (SELECT 1 FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
              WHERE l.person_id = d.person_id AND l.period = d.period AND b.status <> 'cancelled'
                AND coalesce(b.employer_id, 0) = coalesce(d.employer_id, 0)) AS billed
    FROM unnest(${persons}::bigint[], ${periods}::text[]) AS k(person_id, period)
    JOIN contribution_declaration d ON d.person_id = k.person_id AND d.period = k.period
     AND coalesce(d.employer_id, 0) = ${employerId ?? 0}`.execute(db);
  for (const d of r.rows)
    out.set(`${Number(d.person_id)}|${d.period}`, {
      ...d,
      id: Number(d.id),
      person_id: Number(d.person_id),
      wage_fen: Number(d.wage_fen),
    });
  return out;
}

export interface NewDeclaration {
  kind: 'employee' | 'flexible';
  region: string;
  period: string;
  employerId: number | null;
  personId: number;
  wageFen: number;
}

/** Inserts new declarations and replaces the wage of unbilled ones (set-based). */
export async function writeDeclarations(
  tx: Db,
  rows: NewDeclaration[],
  replaceIds: Array<{ id: number; wageFen: number }>,
  meta: { uploadId: number | null; source: string; createdBy: string },
): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await tx
      .insertInto('contribution_declaration')
      .values(
        chunk.map((d) => ({
          kind: d.kind,
          region: d.region,
          period: d.period,
          employer_id: d.employerId,
          person_id: d.personId,
          wage_fen: d.wageFen,
          upload_id: meta.uploadId,
          source: meta.source,
          created_by: meta.createdBy,
        })),
      )
      .execute();
  }
  if (replaceIds.length > 0) {
    await sql`UPDATE contribution_declaration d SET wage_fen = k.wage, upload_id = ${meta.uploadId}, source = ${meta.source}, created_by = ${meta.createdBy}
      FROM unnest(${`{${replaceIds.map((r) => r.id).join(',')}}`}::bigint[], ${`{${replaceIds.map((r) => r.wageFen).join(',')}}`}::bigint[]) AS k(id, wage)
      WHERE d.id = k.id`.execute(tx);
  }
}

/** A flexible worker's own declaration for a month. */
export async function insertFlexibleDeclaration(
  tx: Db,
  d: { region: string; period: string; personId: number; baseFen: number; createdBy: string },
): Promise<number> {
  const r = await tx
    .insertInto('contribution_declaration')
    .values({
      kind: 'flexible',
      region: d.region,
      period: d.period,
      employer_id: null,
      person_id: d.personId,
      wage_fen: d.baseFen,
      upload_id: null,
      source: 'api',
      created_by: d.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

/** An employer's declarations by month, newest first. */
export async function declarationMonths(
  db: Db,
  employerId: number,
  q: { page: number; pageSize: number },
): Promise<{
  items: Array<{
    period: string;
    persons: number;
    wageTotalFen: number;
    declaredAt: string;
    billed: boolean;
  }>;
  total: number;
  page: number;
  pageSize: number;
}> {
  const total = await sql<{ n: number }>`
    SELECT count(DISTINCT period)::bigint AS n FROM contribution_declaration WHERE employer_id = ${employerId}`.execute(
    db,
  );
  const r = await sql<{
    period: string;
    persons: number;
    wage: number;
    declared_at: string;
    billed: boolean;
  }>`
    SELECT d.period, count(*)::bigint AS persons, sum(d.wage_fen)::bigint AS wage, min(d.created_at) AS declared_at,
      EXISTS (SELECT 1 FROM contribution_bill b WHERE b.employer_id = ${employerId} AND b.period = d.period AND b.status <> 'cancelled') AS billed
    FROM contribution_declaration d WHERE d.employer_id = ${employerId}
    GROUP BY d.period ORDER BY d.period DESC
    LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`.execute(db);
  return {
    items: r.rows.map((x) => ({
      period: x.period,
      persons: Number(x.persons),
      wageTotalFen: Number(x.wage),
      declaredAt: new Date(x.declared_at).toISOString(),
      billed: x.billed,
    })),
    total: Number(total.rows[0]?.n ?? 0),
    page: q.page,
    pageSize: q.pageSize,
  };
}
