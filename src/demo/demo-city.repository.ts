// Set-based writes for the demo city: one INSERT … SELECT FROM unnest(arrays) per chunk and table.
// Both drivers (PGlite and node-postgres) send a JS array as one array parameter.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import type {
  EmployerColumns,
  EmploymentColumns,
  EnrolmentColumns,
  PersonColumns,
} from './demo-city.generate.ts';

interface Column {
  name: string;
  type: string;
  values: readonly unknown[];
}

/** Inserts the rows held as columns (all of one length) with one statement. */
export async function insertColumns(tx: Db, table: string, columns: readonly Column[]): Promise<number> {
  const n = columns[0]?.values.length ?? 0;
  if (n === 0) return 0;
  for (const c of columns) {
    if (c.values.length !== n)
      throw new RangeError(`${table}.${c.name}: ${c.values.length} values, expected ${n}`);
  }
  const names = sql.join(columns.map((c) => sql.id(c.name)));
  const arrays = sql.join(columns.map((c) => sql`${c.values}::${sql.raw(c.type)}[]`));
  await sql`INSERT INTO ${sql.table(table)} (${names}) SELECT * FROM unnest(${arrays})`.execute(tx);
  return n;
}

export const insertEmployers = (tx: Db, c: EmployerColumns): Promise<number> =>
  insertColumns(tx, 'employer', [
    { name: 'id', type: 'bigint', values: c.id },
    { name: 'credit_code', type: 'text', values: c.credit_code },
    { name: 'name', type: 'text', values: c.name },
    { name: 'region', type: 'text', values: c.region },
    { name: 'industry_class', type: 'smallint', values: c.industry_class },
    { name: 'size', type: 'text', values: c.size },
    { name: 'address', type: 'text', values: c.address },
    { name: 'contact_phone', type: 'text', values: c.contact_phone },
  ]);

export const insertPersons = (tx: Db, c: PersonColumns): Promise<number> =>
  insertColumns(tx, 'person', [
    { name: 'id', type: 'bigint', values: c.id },
    { name: 'id_number', type: 'text', values: c.id_number },
    { name: 'name', type: 'text', values: c.name },
    { name: 'sex', type: 'text', values: c.sex },
    { name: 'birth_date', type: 'date', values: c.birth_date },
    { name: 'hukou_region', type: 'text', values: c.hukou_region },
    { name: 'region', type: 'text', values: c.region },
    { name: 'phone', type: 'text', values: c.phone },
    { name: 'address', type: 'text', values: c.address },
    { name: 'bank_name', type: 'text', values: c.bank_name },
    { name: 'bank_account', type: 'text', values: c.bank_account },
    { name: 'hardship_group', type: 'text', values: c.hardship_group },
    { name: 'death_date', type: 'date', values: c.death_date },
  ]);

export const insertEmployment = (tx: Db, c: EmploymentColumns): Promise<number> =>
  insertColumns(tx, 'employment', [
    { name: 'person_id', type: 'bigint', values: c.person_id },
    { name: 'employer_id', type: 'bigint', values: c.employer_id },
    { name: 'start_date', type: 'date', values: c.start_date },
    { name: 'end_date', type: 'date', values: c.end_date },
    { name: 'end_reason', type: 'text', values: c.end_reason },
    { name: 'monthly_wage_fen', type: 'bigint', values: c.monthly_wage_fen },
  ]);

export const insertEnrolments = (tx: Db, c: EnrolmentColumns): Promise<number> =>
  insertColumns(tx, 'enrolment', [
    { name: 'person_id', type: 'bigint', values: c.person_id },
    { name: 'scheme', type: 'text', values: c.scheme },
    { name: 'kind', type: 'text', values: c.kind },
    { name: 'region', type: 'text', values: c.region },
    { name: 'employer_id', type: 'bigint', values: c.employer_id },
    { name: 'start_date', type: 'date', values: c.start_date },
    { name: 'end_date', type: 'date', values: c.end_date },
    { name: 'status', type: 'text', values: c.status },
  ]);

/** Next free id of a table whose ids the seeder assigns itself. */
export async function nextId(tx: Db, table: 'person' | 'employer'): Promise<number> {
  const r = await sql<{
    next: number | string;
  }>`SELECT coalesce(max(id), 0) + 1 AS next FROM ${sql.table(table)}`.execute(tx);
  return Number(r.rows[0]?.next ?? 1);
}

/** Moves the identity sequence past the ids written explicitly. */
export async function bumpIdentity(tx: Db, table: 'person' | 'employer'): Promise<void> {
  await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT coalesce(max(id), 1) FROM ${sql.table(table)}))`.execute(
    tx,
  );
}

/**
 * Bulk-load mode for this transaction: skips the per-row foreign-key triggers (as pg_restore does)
 * when the role may (superuser: PGlite always, PostgreSQL when connected as one). Returns whether it
 * did; the caller must then check the keys with `foreignKeyViolations` before committing.
 */
export async function skipForeignKeyTriggers(tx: Db): Promise<boolean> {
  await sql`SAVEPOINT demo_bulk_mode`.execute(tx);
  try {
    await sql`SET LOCAL session_replication_role = replica`.execute(tx);
    await sql`RELEASE SAVEPOINT demo_bulk_mode`.execute(tx);
    return true;
  } catch {
    await sql`ROLLBACK TO SAVEPOINT demo_bulk_mode`.execute(tx);
    await sql`RELEASE SAVEPOINT demo_bulk_mode`.execute(tx);
    return false;
  }
}

export async function restoreTriggers(tx: Db): Promise<void> {
  await sql`SET LOCAL session_replication_role = origin`.execute(tx);
}

/** Rows whose foreign keys point nowhere, per key, checked set-based (anti-joins) over the loaded tables. */
export async function foreignKeyViolations(tx: Db): Promise<Record<string, number>> {
  const r = await sql<Record<string, number | string>>`SELECT
    (SELECT count(*) FROM person t WHERE NOT EXISTS (SELECT 1 FROM region r WHERE r.code = t.hukou_region)) AS "person.hukou_region",
    (SELECT count(*) FROM person t WHERE NOT EXISTS (SELECT 1 FROM region r WHERE r.code = t.region)) AS "person.region",
    (SELECT count(*) FROM employer t WHERE NOT EXISTS (SELECT 1 FROM region r WHERE r.code = t.region)) AS "employer.region",
    (SELECT count(*) FROM employment t WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.id = t.person_id)) AS "employment.person_id",
    (SELECT count(*) FROM employment t WHERE NOT EXISTS (SELECT 1 FROM employer e WHERE e.id = t.employer_id)) AS "employment.employer_id",
    (SELECT count(*) FROM enrolment t WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.id = t.person_id)) AS "enrolment.person_id",
    (SELECT count(*) FROM enrolment t WHERE NOT EXISTS (SELECT 1 FROM region r WHERE r.code = t.region)) AS "enrolment.region",
    (SELECT count(*) FROM enrolment t WHERE t.employer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM employer e WHERE e.id = t.employer_id)) AS "enrolment.employer_id"
  `.execute(tx);
  const row: Record<string, unknown> = r.rows[0] ?? {};
  return Object.fromEntries(
    Object.entries(row)
      .map(([k, v]): [string, number] => [k, Number(v)])
      .filter(([, v]) => v !== 0),
  );
}
