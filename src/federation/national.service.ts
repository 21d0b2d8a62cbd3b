// The national exchange (the same code in the `national` role): it holds the national person index —
// which provinces hold a segment of whose relation, by hashed ID number — and nothing else of a
// person. Provinces keep it current with `index.update` messages.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import type { Handler } from './fed.messaging.ts';

export interface IndexUpdate {
  idHash: string;
  province: string;
  months: number;
  lastPeriod: string | null;
  relationHeld: boolean;
}

export function nationalHandlers(): Record<string, Handler> {
  return {
    'index.update': async (tx, env) => {
      const b = env.body as IndexUpdate;
      // Only a province speaks for itself in the index.
      if (b.province !== env.from || !/^[0-9a-f]{64}$/.test(b.idHash)) return;
      await sql`INSERT INTO fed_person_index (id_hash, province, months, last_period, relation_held)
        VALUES (${b.idHash}, ${b.province}, ${b.months}, ${b.lastPeriod}, ${b.relationHeld})
        ON CONFLICT (id_hash, province) DO UPDATE SET months = excluded.months,
          last_period = coalesce(excluded.last_period, fed_person_index.last_period),
          relation_held = excluded.relation_held, updated_at = now()`.execute(tx);
    },
  };
}

/** The provinces holding segments of one person (by hashed ID number). */
export async function indexLookup(db: Db, hash: string) {
  const r = await sql<{
    province: string;
    months: unknown;
    last_period: string | null;
    relation_held: boolean;
  }>`
    SELECT province, months, last_period, relation_held FROM fed_person_index WHERE id_hash = ${hash} ORDER BY last_period NULLS LAST, province`.execute(
    db,
  );
  return r.rows.map((x) => ({
    province: x.province,
    months: int(x.months),
    lastPeriod: x.last_period,
    relationHeld: x.relation_held,
  }));
}

export async function indexSummary(db: Db) {
  const r = await sql<{ province: string; persons: unknown; held: unknown; multi: unknown }>`
    SELECT province, count(*)::bigint AS persons, count(*) FILTER (WHERE relation_held)::bigint AS held,
      count(*) FILTER (WHERE id_hash IN (SELECT id_hash FROM fed_person_index GROUP BY id_hash HAVING count(*) > 1))::bigint AS multi
    FROM fed_person_index GROUP BY province ORDER BY province`.execute(db);
  return r.rows.map((x) => ({
    province: x.province,
    persons: int(x.persons),
    relationsHeld: int(x.held),
    withOtherProvinces: int(x.multi),
  }));
}
