// Who calls the server without a person's login: the command line and the batch jobs (`system`), a
// hospital's billing system with its key, a card terminal with its key. One list, read by the log's
// redaction (a key's header is never logged), the machine routes (which header carries the key), the web's
// role table (a role only machines hold gets no menu) and the security walks (a machine's routes are called
// with its key, not a session), so a machine added here is handled by all of them.
import type { MachineKeyKind } from './machine-key.ts';

export const MACHINES = [
  // no route and no key: it acts from the server's own command line
  { role: 'system', routePrefix: null, keyHeader: null, keyKind: null, alsoPeople: false },
  // the hospital's staff log in with the same role (its menu is theirs); the key may also come as a bearer token
  {
    role: 'hospital',
    routePrefix: '/api/v1/hospital-api/',
    keyHeader: 'x-hospital-key',
    keyKind: 'sbh',
    alsoPeople: true,
  },
  {
    role: 'terminal',
    routePrefix: '/api/v1/terminal-api/',
    keyHeader: 'x-terminal-key',
    keyKind: 'sbt',
    alsoPeople: false,
  },
] as const satisfies readonly {
  role: string;
  /** the path all its routes start with; null: it never calls over HTTP */
  routePrefix: string | null;
  /** the request header its key travels in; null: it has no key */
  keyHeader: string | null;
  keyKind: MachineKeyKind | null;
  /** whether people log in with the same role too */
  alsoPeople: boolean;
}[];

export type Machine = (typeof MACHINES)[number];
/** A role only a machine holds: it never logs in, so the web app has no menu for it. */
export type MachineOnlyRole = Extract<Machine, { alsoPeople: false }>['role'];

export const MACHINE_ONLY_ROLES: readonly MachineOnlyRole[] = MACHINES.flatMap((m) =>
  m.alsoPeople ? [] : [m.role],
);

/** Every header a machine's key travels in (the log redacts each). */
export const MACHINE_KEY_HEADERS: readonly string[] = MACHINES.flatMap((m) =>
  m.keyHeader === null ? [] : [m.keyHeader],
);

/** The machine whose key a route takes, if any: its path starts with the machine's prefix. */
export const machineOfRoute = (url: string): Machine | undefined =>
  MACHINES.find((m) => m.routePrefix !== null && url.startsWith(m.routePrefix));

/** The machine of a role. */
export const machineNamed = <R extends Machine['role']>(role: R): Extract<Machine, { role: R }> =>
  MACHINES.find((m): m is Extract<Machine, { role: R }> => m.role === role) as Extract<Machine, { role: R }>;
