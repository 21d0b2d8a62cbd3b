// What a transfer and a collection (归集) both start with: the person applied for — by ID number, or
// the citizen themself — found in this province, and the applicant's right to apply for them; and
// which provinces the index shows are still to be asked for the person's months.
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import type { TransferKind, TransferStatus } from './transfer.repository.ts';

export async function applicant(tx: Db, actor: Actor, input: { idNumber?: string; personId?: number }) {
  const personId = input.personId ?? (actor.role === 'citizen' ? actor.personId : null);
  let q = tx
    .selectFrom('person')
    .select(['id', 'id_number', 'region', 'death_date', 'sex', 'birth_date', 'hukou_region']);
  if (input.idNumber !== undefined) q = q.where('id_number', '=', input.idNumber.toUpperCase());
  else if (personId !== null && personId !== undefined) q = q.where('id', '=', personId);
  else throw new SbError('SB_ERR_REQUIRED', { field: 'idNumber', zh: '身份证号码', en: 'idNumber' });
  const person = await q.executeTakeFirst();
  // A citizen applies only for themself: another's number and an unregistered one answer alike (the
  // form is no oracle of who is registered here).
  if (actor.role === 'citizen' && (!person || Number(person.id) !== actor.personId))
    throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'transfer.apply', en: 'transfer.apply' });
  if (!person)
    throw new SbError('SB_ERR_NOT_FOUND', {
      field: 'idNumber',
      zh: '本省未登记此人',
      en: 'no such person registered in this province',
    });
  authorize(actor, 'transfer.apply', { personId: Number(person.id), region: person.region });
  return person;
}

/**
 * Whether a province the national index shows for the person is still to be asked for a transfer in of
 * `kind`. Not when a transfer in from it is on its way (`inFlight` statuses), nor when its months
 * already arrived here — directly, or carried on by a later place (A's months credited here from B),
 * since asking again would move them twice — unless the index shows a month there after the last one
 * received from it: a second stint there.
 */
export async function stillToAsk(
  tx: Db,
  personId: number | null,
  kind: TransferKind,
  inFlight: readonly TransferStatus[],
): Promise<(p: { province: string; lastPeriod?: string | null }) => boolean> {
  const done = await sql<{ from_province: string; through: string | null }>`
    SELECT p AS from_province, CASE WHEN bool_or(inflight) THEN NULL ELSE max(through) END AS through FROM (
      SELECT from_province AS p, NULL::text AS through, status <> 'completed' AS inflight FROM fed_transfer
        WHERE person_id = ${personId} AND direction = 'in' AND kind = ${kind}
          AND status IN (${sql.join([...inFlight, 'completed'])}) AND from_province IS NOT NULL
      UNION ALL SELECT from_province, to_period, false FROM fed_credited_segment
        WHERE person_id = ${personId} AND ${kind} = 'pension') x
    GROUP BY p`.execute(tx);
  const received = new Map(done.rows.map((r) => [r.from_province.trim(), r.through]));
  return (p) => {
    if (!received.has(p.province)) return true;
    const through = received.get(p.province) ?? null;
    return through !== null && typeof p.lastPeriod === 'string' && p.lastPeriod > through;
  };
}
