// What a transfer and a collection (归集) both start with: the person applied for — by ID number, or
// the citizen themself — found in this province, and the applicant's right to apply for them.
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';

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
