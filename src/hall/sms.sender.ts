// Messages that go out by SMS are written to hall_message_outbox in the same transaction as the
// deed that causes them; a sender then delivers the pending ones. The sender is pluggable
// (HALL_SMS_SENDER): `demo` marks them sent and leaves them readable on the demo page (only on a
// demo database or when chosen explicitly), `none` leaves them pending for an external relay.
// A real gateway implements SmsSender and is added to SENDERS (see docs/hall.md).
import type { HallDb } from './hall.db.ts';

export interface SmsSender {
  readonly name: string;
  /** Delivers one message; throws on failure (the message is marked failed with the error). */
  send(to: string, body: string): Promise<void>;
}

export const demoSender: SmsSender = {
  name: 'demo',
  send: () => Promise.resolve(),
};

const SENDERS: Record<string, SmsSender> = { demo: demoSender };

/** The sender named by HALL_SMS_SENDER (default `demo`), or null for `none`. */
export function configuredSender(env: NodeJS.ProcessEnv = process.env): SmsSender | null {
  const name = env['HALL_SMS_SENDER'] || 'demo';
  if (name === 'none') return null;
  const s = SENDERS[name];
  if (!s)
    throw new Error(`HALL_SMS_SENDER=${name}: expected one of none, ${Object.keys(SENDERS).join(', ')}`);
  return s;
}

export function queueSms(db: HallDb, to: string, body: string) {
  return db.insertInto('hall_message_outbox').values({ channel: 'sms', recipient: to, body }).execute();
}

/** Sends the pending messages (oldest first, at most `limit`); answers how many were sent. */
export async function dispatchSms(db: HallDb, sender: SmsSender | null, limit = 100): Promise<number> {
  if (!sender) return 0;
  const pending = await db
    .selectFrom('hall_message_outbox')
    .select(['id', 'recipient', 'body'])
    .where('status', '=', 'pending')
    .orderBy('id')
    .limit(limit)
    .execute();
  let sent = 0;
  for (const m of pending) {
    try {
      await sender.send(m.recipient, m.body);
      await db
        .updateTable('hall_message_outbox')
        .set({
          status: 'sent',
          sender: sender.name,
          sent_at: new Date().toISOString(),
          // Once delivered by a real gateway the code is not kept in clear (the demo page needs it).
          ...(sender.name === 'demo' ? {} : { body: m.body.replace(/\d{6}/g, '******') }),
        })
        .where('id', '=', m.id)
        .where('status', '=', 'pending')
        .execute();
      sent++;
    } catch (e) {
      await db
        .updateTable('hall_message_outbox')
        .set({ status: 'failed', sender: sender.name, error: e instanceof Error ? e.message : String(e) })
        .where('id', '=', m.id)
        .execute();
    }
  }
  return sent;
}
