// One answer for a supervision id the supervisor may not work: an unknown finding, case or campaign and
// another region's give the same 404 (authorizeFound's), which does not repeat the id asked for.
import type { Actor } from '../auth/actor.ts';
import { authorizeFound, type Action } from '../auth/policy.ts';

/** `row` when it exists and lies in the actor's region for `action`; otherwise the one not-found answer. */
export function foundInRegion<R extends { region: string }>(
  actor: Actor,
  action: Action,
  row: R | undefined,
): R {
  authorizeFound(actor, action, row && { region: row.region });
  return row as R;
}
