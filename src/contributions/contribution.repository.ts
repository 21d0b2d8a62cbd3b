// SQL for declarations, bills and payments. Functions take the executor first. Reads the registry's
// person, employer and employment rows for checks and set-based joins (read-only).
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { ContributionBillTable, Fund } from '../db/database.ts';
import type { Selectable } from 'kysely';

export type BillRow = Selectable<ContributionBillTable>;

export interface PersonRef {
  id: number;
  id_number: string;
  name: string;
  region: string;
  death_date: string | null;
  hardship_group: string | null;
}

export async function personsByIdNumber(db: Db, idNumbers: string[]): Promise<Map<string, PersonRef>> {
  if (idNumbers.length === 0) return new Map();
  const r = await sql<PersonRef>`SELECT id, id_number, name, region, death_date, hardship_group FROM person
    WHERE id_number = ANY(${`{${idNumbers.join(',')}}`}::text[])`.execute(db);
  return new Map(r.rows.map((p) => [p.id_number, p]));
}

export async function personsById(db: Db, ids: number[]): Promise<Map<number, PersonRef>> {
  if (ids.length === 0) return new Map();
  const r = await sql<PersonRef>`SELECT id, id_number, name, region, death_date, hardship_group FROM person
    WHERE id = ANY(${`{${ids.join(',')}}`}::bigint[])`.execute(db);
  return new Map(r.rows.map((p) => [Number(p.id), { ...p, id: Number(p.id) }]));
}

/** Employment spans of the given persons with one employer. */
export async function employmentSpans(
  db: Db,
  employerId: number,
  personIds: number[],
): Promise<Map<number, Array<{ start: string; end: string | null }>>> {
  const out = new Map<number, Array<{ start: string; end: string | null }>>();
  if (personIds.length === 0) return out;
  const r = await sql<{ person_id: number; start_date: string; end_date: string | null }>`
    SELECT person_id, start_date, end_date FROM employment
    WHERE employer_id = ${employerId} AND person_id = ANY(${`{${personIds.join(',')}}`}::bigint[])`.execute(
    db,
  );
  for (const e of r.rows) {
    const list = out.get(Number(e.person_id)) ?? [];
    list.push({ start: e.start_date, end: e.end_date });
    out.set(Number(e.person_id), list);
  }
  return out;
}

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

export const billById = (db: Db, id: number): Promise<BillRow | undefined> =>
  db.selectFrom('contribution_bill').selectAll().where('id', '=', id).executeTakeFirst();
export const billForUpdate = (db: Db, id: number): Promise<BillRow | undefined> =>
  db.selectFrom('contribution_bill').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/** The fund parts of a bill: what the payer owes each fund. */
export function billParts(
  b: Pick<
    BillRow,
    | 'payer_kind'
    | 'pension_employer_fen'
    | 'pension_employee_fen'
    | 'unemployment_employer_fen'
    | 'unemployment_employee_fen'
    | 'injury_fen'
  >,
): Array<{ fund: Fund; amountFen: number }> {
  if (b.payer_kind === 'resident')
    return [{ fund: 'resident_pension', amountFen: Number(b.pension_employee_fen) }];
  return [
    { fund: 'employee_pension', amountFen: Number(b.pension_employer_fen) + Number(b.pension_employee_fen) },
    {
      fund: 'unemployment',
      amountFen: Number(b.unemployment_employer_fen) + Number(b.unemployment_employee_fen),
    },
    { fund: 'injury', amountFen: Number(b.injury_fen) },
  ];
}

export const pensionFundOf = (payerKind: string): Fund =>
  payerKind === 'resident' ? 'resident_pension' : 'employee_pension';

export async function billLines(db: Db, billId: number) {
  return db
    .selectFrom('contribution_bill_line as l')
    .innerJoin('person as p', 'p.id', 'l.person_id')
    .select([
      'l.person_id',
      'p.name',
      'p.id_number',
      'l.period',
      'l.base_fen',
      'l.pension_employer_fen',
      'l.pension_employee_fen',
      'l.personal_account_fen',
      'l.unemployment_employer_fen',
      'l.unemployment_employee_fen',
      'l.injury_fen',
      'l.waived_fen',
    ])
    .where('l.bill_id', '=', billId)
    .orderBy('l.person_id')
    .execute();
}

export async function listBills(
  db: Db,
  f: {
    employerId?: number;
    personId?: number;
    region?: string;
    period?: string;
    status?: string;
    limit: number;
    offset: number;
  },
): Promise<{ items: BillRow[]; total: number }> {
  let q = db.selectFrom('contribution_bill');
  if (f.employerId !== undefined) q = q.where('employer_id', '=', f.employerId);
  if (f.personId !== undefined)
    q = q.where('person_id', '=', f.personId).where('payer_kind', '<>', 'employer');
  if (f.region !== undefined) q = q.where('region', '=', f.region);
  if (f.period !== undefined) q = q.where('period', '=', f.period);
  if (f.status !== undefined) q = q.where('status', '=', f.status as 'open');
  const total = await q.select(sql<number>`count(*)::bigint`.as('n')).executeTakeFirstOrThrow();
  const items = await q
    .selectAll()
    .orderBy('period', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  return { items, total: Number(total.n) };
}

/** Open bills past their due date (arrears), oldest first. */
export async function arrearsBills(
  db: Db,
  f: { region?: string; employerId?: number; personId?: number; asOf: string; limit: number },
): Promise<BillRow[]> {
  let q = db
    .selectFrom('contribution_bill')
    .selectAll()
    .where('status', '=', 'open')
    .where('due_date', '<', f.asOf);
  if (f.region !== undefined) q = q.where('region', '=', f.region);
  if (f.employerId !== undefined) q = q.where('employer_id', '=', f.employerId);
  if (f.personId !== undefined) q = q.where('person_id', '=', f.personId);
  return q.orderBy('due_date').orderBy('id').limit(f.limit).execute();
}
