// Four eyes: the checker of a money action is another *person* — not the maker, not the maker's
// person under another account, and not the person the money belongs to. Persons come from
// app_user.person_id (every staff account belongs to a registered person), never from usernames.
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import type { Actor } from './actor.ts';

export interface Maker {
  userId: number | null;
  /** the maker's person when the action was prepared (null: the command line's operator) */
  personId: number | null;
}

const refuse = (zh: string, en: string): SbError => new SbError('SB_ERR_FOUR_EYES', { zh, en });

/** The registered person behind a user account (null for none, or for the system actor). */
export async function personOfUser(db: Db, userId: number | null): Promise<number | null> {
  if (userId === null) return null;
  const u = await db.selectFrom('app_user').select('person_id').where('id', '=', userId).executeTakeFirst();
  return u?.person_id ?? null;
}

/**
 * Throws SB_ERR_FOUR_EYES unless `checker` may check what `maker` prepared about `subjectPersonIds`.
 * Answers the checker's person. The command line (system actor) is the operator's tool and is not a
 * checker here: it acts directly, audited as such.
 */
export async function checkFourEyes(
  db: Db,
  checker: Actor,
  maker: Maker,
  subjectPersonIds: ReadonlyArray<number | null>,
): Promise<number> {
  if (checker.userId === null)
    throw refuse('复核须由登录的工作人员办理', 'a check is done by a logged-in staff member');
  if (maker.userId !== null && checker.userId === maker.userId)
    throw refuse('不能复核本人经办的业务', 'you cannot check what you prepared yourself');
  const checkerPerson = await personOfUser(db, checker.userId);
  if (checkerPerson === null)
    throw refuse(
      '您的账号未关联登记人员，不能复核',
      'your account is not linked to a registered person, so it cannot check',
    );
  if (maker.userId !== null && maker.personId === null)
    throw refuse(
      '经办人账号未关联登记人员，须由关联人员的账号重新经办',
      'the maker’s account is not linked to a registered person; prepare it again from a linked account',
    );
  if (maker.personId !== null && checkerPerson === maker.personId)
    throw refuse(
      '复核人与经办人为同一人（另一账号）',
      'the checker and the maker are the same person (another account)',
    );
  if (subjectPersonIds.some((p) => p !== null && p === checkerPerson))
    throw refuse('不能复核与本人有关的业务', 'you cannot check an action about yourself');
  return checkerPerson;
}
