// The acting user that every service function takes.
import type { Role } from '../db/database.ts';
import type { MachineOnlyRole } from './machines.ts';

export interface Actor {
  userId: number | null;
  username: string;
  /** a login's role, or a machine's (src/auth/machines.ts): `terminal` is a card terminal uploading with its key */
  role: Role | MachineOnlyRole;
  /** citizen: the person they are */
  personId: number | null;
  /** employer: the employer they act for */
  employerId: number | null;
  /** staff: the region they serve (and its sub-regions) */
  region: string | null;
  /** hospital staff or a hospital's API key: the hospital they act for (src/injury/hospital.service.ts) */
  hospitalId?: number | null;
  /** a card terminal's key: the one terminal it uploads for */
  terminalId?: string | null;
  requestId?: string;
}

/** The staff roles: every one of them touches money or the power to grant it. */
export const STAFF_ROLES = [
  'clerk',
  'reviewer',
  'supervisor',
  'admin',
  'policy',
] as const satisfies readonly Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * A staff member's username as a reader may see it: staff and the system see it; a citizen, an employer
 * or a hospital does not — a username is half of a staff login, and the page names the role instead.
 */
export function staffUsernameFor(reader: Actor, username: string | null): string | null {
  return readsStaffNames(reader) ? username : null;
}

/** Staff and the system see which staff member did what; citizens and employers do not. */
export function readsStaffNames(reader: Actor): boolean {
  return reader.role === 'system' || (STAFF_ROLES as readonly string[]).includes(reader.role);
}

/** An account's identity as the app_user table holds it (a login's, a seeded account's). */
export interface AccountRow {
  username: string;
  display_name: string;
  role: Role;
  person_id: number | null;
  employer_id: number | null;
  region: string | null;
}

/** The command line and batch jobs act as the system, with a named operator. */
export function systemActor(operator = 'system'): Actor {
  return { userId: null, username: operator, role: 'system', personId: null, employerId: null, region: null };
}
