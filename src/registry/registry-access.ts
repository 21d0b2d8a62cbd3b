// Loading a person or an employer for an action. One out of the actor's scope (another region's,
// another citizen, not the employer's staff, another employer) answers the same 404 as an unknown
// id, naming the field and never the id, so nobody learns which ids exist (docs/security.md, Wave 6).
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInScope, type Action } from '../auth/policy.ts';
import type { Db } from '../db/connection.ts';
import { findEmployer, findEmployerForUpdate, type EmployerRow } from './employer.repository.ts';
import { employerIdsOfPerson, findPerson, findPersonForUpdate, type PersonRow } from './person.repository.ts';

export async function personInScope(
  db: Db,
  actor: Actor,
  action: Action,
  id: number,
  opts: { field?: string; forUpdate?: boolean } = {},
): Promise<PersonRow> {
  authorize(actor, action);
  const row = opts.forUpdate ? await findPersonForUpdate(db, id) : await findPerson(db, id);
  // An employer's scope is its staff: asked only when there is a person to ask about.
  const employerIds =
    row !== undefined && actor.role === 'employer' ? await employerIdsOfPerson(db, row.id) : [];
  return foundInScope(
    actor,
    action,
    row,
    (r) => ({ personId: r.id, region: r.region, employerIds }),
    opts.field,
  );
}

export async function employerInScope(
  db: Db,
  actor: Actor,
  action: Action,
  id: number,
  opts: { field?: string; forUpdate?: boolean } = {},
): Promise<EmployerRow> {
  authorize(actor, action);
  const row = opts.forUpdate ? await findEmployerForUpdate(db, id) : await findEmployer(db, id);
  return foundInScope(actor, action, row, (r) => ({ employerIds: [r.id], region: r.region }), opts.field);
}
