// The broker's part in the federation's database tests: moves each unsent outbox message of a node to
// its addressee's inbox through the real `takeIn` (exactly once per message id), and marks it sent.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import {
  enqueue,
  idHash,
  NATIONAL,
  takeIn,
  type Envelope,
  type Handler,
} from '../federation/fed.messaging.ts';

export interface Carrier {
  dbOf: (node: string) => Db;
  handlers: () => Record<string, Record<string, Handler>>;
}

/** Carries every unsent message of `from` once (twice when `redeliver`); returns what it carried. */
export async function carryFrom(c: Carrier, from: string, redeliver = false): Promise<Envelope[]> {
  const rows = await sql<{ id: string; msg_id: string; to_node: string; kind: string; body: unknown }>`
    SELECT id, msg_id, to_node, kind, body FROM fed_outbox WHERE published_at IS NULL ORDER BY id`.execute(
    c.dbOf(from),
  );
  const out: Envelope[] = [];
  for (const r of rows.rows) {
    const env = message(from, r.to_node, r.kind, r.body, r.msg_id);
    const handler = c.handlers()[r.to_node]?.[r.kind];
    await takeIn(c.dbOf(r.to_node), env, handler);
    if (redeliver) await takeIn(c.dbOf(r.to_node), env, handler);
    await sql`UPDATE fed_outbox SET published_at = now() WHERE id = ${r.id}`.execute(c.dbOf(from));
    out.push(env);
  }
  return out;
}

/** A message as the broker delivers it: sent now, under a new id unless `id` is given (a redelivery). */
export function message(
  from: string,
  to: string,
  kind: string,
  body: unknown,
  id: string = crypto.randomUUID(),
): Envelope {
  return { id, from, to, kind, at: new Date().toISOString(), body };
}

/** Carries between the nodes until no message is left; returns the kinds carried, in order. */
export async function carryAll(c: Carrier, nodes: readonly string[], redeliver = false): Promise<string[]> {
  const kinds: string[] = [];
  for (let round = 0; round < 10; round++) {
    let n = 0;
    for (const from of nodes) {
      const carried = await carryFrom(c, from, redeliver);
      kinds.push(...carried.map((e) => e.kind));
      n += carried.length;
    }
    if (n === 0) return kinds;
  }
  throw new Error('messages still flowing');
}

/** A province tells the exchange about one person's segment there (what it does at start and on change). */
export async function indexUpdate(
  db: Db,
  province: string,
  idNumber: string,
  months: number,
  held: boolean,
  last: string,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await enqueue(tx, NATIONAL, 'index.update', {
      idHash: idHash(idNumber),
      province,
      months,
      lastPeriod: last,
      relationHeld: held,
    });
  });
}
