// Synthetic pensioners for tests and benchmarks: persons, awards and initial amounts written with
// three set-based statements (generate_series). Not used by the running platform.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';

export interface FixtureOptions {
  count: number;
  region: string;
  /** first period paid */
  startPeriod: string;
  /** persons get id numbers from this offset, so several calls do not collide */
  offset?: number;
  retirementDate?: string;
}

/** Deterministic amounts (2,000–5,999 yuan) and contribution months (180–539); every 7th person has no bank account. */
export async function seedPensioners(
  db: Db,
  o: FixtureOptions,
): Promise<{ firstAwardId: number; lastAwardId: number }> {
  const offset = o.offset ?? 0;
  const retirementDate = o.retirementDate ?? '2020-06-15';
  return db.transaction().execute(async (tx) => {
    await sql`
      INSERT INTO person (id_number, name, sex, birth_date, hukou_region, region, bank_name, bank_account)
      SELECT 'P' || lpad((${offset} + i)::text, 17, '0'), '退休人员' || (${offset} + i), CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END,
        (date '1950-01-01' + ((i * 37) % 5000) * interval '1 day')::date, ${o.region}, ${o.region},
        CASE WHEN i % 7 = 0 THEN NULL ELSE '中国工商银行' END,
        CASE WHEN i % 7 = 0 THEN NULL ELSE '6222' || lpad((${offset} + i)::text, 15, '0') END
      FROM generate_series(1, ${o.count}) i`.execute(tx);
    const r = await sql<{ first: number | null; last: number | null }>`
      WITH ins AS (
        INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months, monthly_fen, created_by)
        SELECT p.id, 'employee_pension', ${o.region}, 'import', ${retirementDate}::date, ${o.startPeriod},
          180 + (p.id * 13) % 360, 200000 + (p.id * 7919) % 400000, 'fixture'
        FROM person p WHERE p.id_number BETWEEN ${`P${String(offset + 1).padStart(17, '0')}`} AND ${`P${String(offset + o.count).padStart(17, '0')}`}
        RETURNING id, monthly_fen
      ), amt AS (
        INSERT INTO pension_amount (award_id, effective_period, monthly_fen, reason, created_by)
        SELECT id, ${o.startPeriod}, monthly_fen, 'initial', 'fixture' FROM ins
        RETURNING award_id
      )
      SELECT min(award_id) AS first, max(award_id) AS last FROM amt`.execute(tx);
    return { firstAwardId: r.rows[0]?.first ?? 0, lastAwardId: r.rows[0]?.last ?? 0 };
  });
}

export interface SeededAward {
  awardId: number;
  personId: number;
  monthlyFen: number;
}

/** Every pension award, oldest first, as a test reads a seeded pensioner. */
export async function listAwards(db: Db): Promise<SeededAward[]> {
  const rows = await db
    .selectFrom('pension_award')
    .select(['id', 'person_id', 'monthly_fen'])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ awardId: r.id, personId: r.person_id, monthlyFen: Number(r.monthly_fen) }));
}

/**
 * Holds a chunked job's chunk 1 (PostgreSQL, several workers): `hold` writes, in a transaction left open,
 * the row of the first award (by id) that chunk 1's insert would wait on; the job's `onProgress` rolls it back once every chunk but one
 * is done. `doneWhileHeld` resolves, after the rollback, with how many chunks were done at that moment.
 */
export function holdFirstChunk(
  db: Db,
  hold: (tx: Db, firstAwardId: number) => Promise<unknown>,
): { onProgress: (done: number, total: number) => void; doneWhileHeld: () => Promise<number> } {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let heldDuring = -1;
  const holder = db
    .transaction()
    .execute(async (tx) => {
      const first = await tx.selectFrom('pension_award').select('id').orderBy('id').executeTakeFirstOrThrow();
      await hold(tx, first.id);
      await released;
      throw new Error('rolled back');
    })
    .catch((e: unknown) => {
      if (!(e instanceof Error && e.message === 'rolled back')) throw e;
    });
  return {
    onProgress: (done, total) => {
      if (done === total - 1) {
        heldDuring = done;
        release();
      }
    },
    doneWhileHeld: async () => {
      await holder;
      return heldDuring;
    },
  };
}
