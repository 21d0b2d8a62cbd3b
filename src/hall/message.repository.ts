// The message centre's rows: messages written inside the caller's transaction (the event consumer,
// the home service), in set-based inserts: those worded here, those of one pension adjustment chunk
// or one certification campaign chunk, and the arrears reminders.
import { sql } from 'kysely';
import { now } from '../core/clock.ts';
import type { Db } from '../db/connection.ts';
import { moneySql } from '../db/money-sql.ts';
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

/**
 * Many messages in set-based inserts of 500 rows. A message of an outbox event its person already has
 * (the event handled again, its consumption record lost) is not written twice: the unique key
 * hall_message_event_once (migration 2026_12_07_1550).
 */
export async function postMessages(tx: Db, ms: NewMessage[]): Promise<void> {
  const at = now().toISOString();
  for (let i = 0; i < ms.length; i += 500)
    await hallDb(tx)
      .insertInto('hall_message')
      .values(ms.slice(i, i + 500).map((m) => row(m, at)))
      .onConflict((oc) => oc.doNothing())
      .execute();
}

/** One message, without its outbox event's id (as it always was). */
export async function postMessage(tx: Db, m: NewMessage): Promise<void> {
  await postMessages(tx, [{ ...m, outboxId: null }]);
}

/**
 * Tells each pensioner whose award got an adjustment amount of `year` with an id in [lo, hi] and an
 * award in [fromAward, toAward] (one adjustment chunk), one message per award, in award order; a
 * pensioner already told by this event (a redelivery) is not told again.
 */
export async function postAdjustedMessages(
  tx: Db,
  c: { year: number; lo: number; hi: number; fromAward: number; toAward: number; outboxId: number },
): Promise<void> {
  const y = String(c.year);
  await sql`
    INSERT INTO hall_message (person_id, topic, title_zh, title_en, body_zh, body_en, link, outbox_id, created_at)
    SELECT a.person_id, 'pension.adjusted', ${y} || '年基本养老金已调整', 'Your basic pension was adjusted for ' || ${y},
      '每月增加 ' || ${moneySql(sql`x.up`)} || '，调整后每月 ' || ${moneySql(sql`x.now`)} || '。',
      'Up ' || ${moneySql(sql`x.up`)} || ' a month, now ' || ${moneySql(sql`x.now`)} || ' a month.',
      '/citizen/my-pension', ${c.outboxId}::bigint, ${now().toISOString()}::timestamptz
    FROM (SELECT pa.award_id, pa.monthly_fen AS now, pa.monthly_fen - pa.previous_fen AS up FROM pension_amount pa
          WHERE pa.id BETWEEN ${c.lo} AND ${c.hi} AND pa.award_id BETWEEN ${c.fromAward} AND ${c.toAward}
            AND pa.reason = 'adjustment' AND pa.adjustment_year = ${c.year} AND pa.previous_fen IS NOT NULL) x
    JOIN pension_award a ON a.id = x.award_id
    WHERE NOT EXISTS (SELECT 1 FROM hall_message m
                      WHERE m.person_id = a.person_id AND m.outbox_id = ${c.outboxId}::bigint AND m.topic = 'pension.adjusted')
    ORDER BY x.award_id`.execute(tx);
}

/**
 * Tells each person the outbox event names (`personIds`, read from its own row) the same words, in
 * the order of the ids; a person already told by this event (a redelivery) is not told again (the
 * unique key hall_message_event_once).
 */
export async function postMessagesToNamed(
  tx: Db,
  w: Omit<NewMessage, 'personId' | 'employerId' | 'staffRegion' | 'outboxId'>,
  outboxId: number,
): Promise<void> {
  await sql`
    INSERT INTO hall_message (person_id, topic, title_zh, title_en, body_zh, body_en, link, outbox_id, created_at)
    SELECT x.id::bigint, ${w.topic}, ${w.titleZh}, ${w.titleEn}, ${w.bodyZh}, ${w.bodyEn}, ${w.link}, o.id,
      ${now().toISOString()}::timestamptz
    FROM outbox o CROSS JOIN LATERAL jsonb_array_elements_text(o.payload -> 'personIds') WITH ORDINALITY AS x(id, n)
    WHERE o.id = ${outboxId}::bigint
    ORDER BY x.n
    ON CONFLICT DO NOTHING`.execute(tx);
}

/** Bills open after their due date on `on`: each payer told once per bill (欠费提醒); answers how many were told. */
export async function postArrearsReminders(tx: Db, on: string): Promise<number> {
  const r = await sql<{ n: number }>`
    WITH due AS (
      INSERT INTO hall_arrears_notice (bill_id, notified_on)
      SELECT b.id, ${on}::date FROM contribution_bill b
      WHERE b.status = 'open' AND b.due_date < ${on}::date
      ON CONFLICT (bill_id) DO NOTHING
      RETURNING bill_id
    ), msg AS (
      INSERT INTO hall_message (person_id, employer_id, staff_region, topic, title_zh, title_en, body_zh, body_en, link, created_at)
      SELECT CASE WHEN b.employer_id IS NULL THEN b.person_id END, b.employer_id, NULL, 'bill.arrears',
        -- the month in words, as monthInWords writes it (process-messages.db.test.ts)
        '欠费提醒：' || split_part(b.period, '-', 1) || '年' || split_part(b.period, '-', 2)::int || '月账单已逾期',
        'Arrears: the bill for ' || to_char(to_date(b.period || '-01', 'YYYY-MM-DD'), 'Mon YYYY') || ' is overdue',
        '账单编号 ' || b.id || '（' || ${moneySql(sql`b.total_fen`)} || '）已于' || to_char(b.due_date, 'YYYY"年"FMMM"月"FMDD"日"') || '到期未缴，自次日起按日加收滞纳金，请尽快缴纳。',
        'Bill no. ' || b.id || ' (' || ${moneySql(sql`b.total_fen`)} || ') was due on ' || to_char(b.due_date, 'FMDD Mon YYYY') || ' and is unpaid; a late fee accrues daily. Please pay now.',
        CASE WHEN b.employer_id IS NOT NULL THEN '/employer/bills'
             WHEN b.payer_kind = 'flexible' THEN '/citizen/flexible-contributions'
             WHEN b.payer_kind = 'resident' THEN '/citizen/resident-tier'
             ELSE '/citizen/contributions' END,
        ${now().toISOString()}::timestamptz
      FROM due JOIN contribution_bill b ON b.id = due.bill_id
      WHERE b.employer_id IS NOT NULL OR b.person_id IS NOT NULL
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM msg`.execute(tx);
  return Number(r.rows[0]?.n ?? 0);
}
