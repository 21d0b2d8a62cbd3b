// The message centre's rows: messages written inside the caller's transaction (the event consumer,
// the home service), in set-based inserts.
import { now } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import { hallDb } from './hall.db.ts';

export interface NewMessage {
  personId?: number | null;
  employerId?: number | null;
  staffRegion?: string | null;
  topic: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  link: string | null;
  /** the outbox event it comes from */
  outboxId?: number | null;
}

// Dated by the app's clock (core/clock), as the event it tells of, not by the database's.
const row = (m: NewMessage, at: string) => ({
  person_id: m.personId ?? null,
  employer_id: m.employerId ?? null,
  staff_region: m.staffRegion ?? null,
  topic: m.topic,
  title_zh: m.titleZh,
  title_en: m.titleEn,
  body_zh: m.bodyZh,
  body_en: m.bodyEn,
  link: m.link,
  outbox_id: m.outboxId ?? null,
  read_at: null,
  created_at: at,
});

/** Many messages in set-based inserts of 500 rows. */
export async function postMessages(tx: Db, ms: NewMessage[]): Promise<void> {
  const at = now().toISOString();
  for (let i = 0; i < ms.length; i += 500)
    await hallDb(tx)
      .insertInto('hall_message')
      .values(ms.slice(i, i + 500).map((m) => row(m, at)))
      .execute();
}

/** One message, without its outbox event's id (as it always was). */
export async function postMessage(tx: Db, m: NewMessage): Promise<void> {
  await postMessages(tx, [{ ...m, outboxId: null }]);
}
