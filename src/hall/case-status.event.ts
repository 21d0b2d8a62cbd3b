// The `case.status` event (docs/hall.md): what a process writes to the outbox, in the transaction of
// its change, when something a person or employer applied for changes status. The hall reads it
// (events.job.ts) and owns its shape here; a process imports this file and nothing else of the hall.
// It stands on floor 0 (core and db only, eslint.config.js), so a lower floor may publish through it.
import { sql, type RawBuilder } from 'kysely';
import type { Note } from '../core/bilingual.ts';
import type { Db } from '../db/connection.ts';

export const CASE_STATUS_TOPIC = 'case.status';

export type CaseStatus =
  'submitted' | 'accepted' | 'returned' | 'approved' | 'rejected' | 'completed' | 'withdrawn';

export type CaseChannel = 'online' | 'counter' | 'mobile' | 'home' | 'system';

/** The payload; personId or employerId names the applicant (personId wins). */
export interface CaseStatusEvent {
  /** a service code of catalogue.yaml */
  service: string;
  /** `<table>:<id>`, one application per ref */
  ref: string;
  status: CaseStatus;
  /** who acted: a login name, or the job's name */
  actor: string;
  personId?: number;
  employerId?: number;
  /** words for the applicant, `{ zh, en }`, or `{ text }` as a person typed them */
  note?: Note;
  /** where it stands within the status (发放中 / being paid) */
  stage?: Note;
  /** the office; else the applicant's region */
  regionCode?: string;
  /** the process's page on the staff side */
  link?: string;
  /** the applicant's own page, a /citizen/… path */
  citizenPath?: string;
  channel?: CaseChannel;
  /** the day of the change, as the process wrote it (the hall dates by the day it consumes) */
  on?: string;
  /** a refund's policy year (for the process's own readers; the hall ignores it) */
  year?: number;
}

/** One `case.status` outbox row, in the caller's transaction. */
export async function publishCaseStatusEvent(tx: Db, e: CaseStatusEvent): Promise<void> {
  await tx
    .insertInto('outbox')
    .values({ topic: CASE_STATUS_TOPIC, payload: JSON.stringify(e) })
    .execute();
}

/** The payload's fields as SQL expressions for set-based writers (the keys are the event's own); the status a literal. */
export type CaseStatusSql = { [K in keyof Omit<CaseStatusEvent, 'status'>]: RawBuilder<unknown> } & {
  status: CaseStatus;
};

/**
 * `INSERT INTO outbox … SELECT` one `case.status` event per row of `from` (the rest of the SELECT:
 * FROM, WHERE, ORDER BY, RETURNING); the payload is a `jsonb_build_object` of the given fields.
 */
export function caseStatusInsert(fields: CaseStatusSql, from: RawBuilder<unknown>): RawBuilder<unknown> {
  const { status, ...rest } = fields;
  const pairs = [
    sql`'status', ${sql.lit(status)}`,
    ...Object.entries(rest).map(([k, v]) => sql`${sql.lit(k)}, ${v}`),
  ];
  return sql`INSERT INTO outbox (topic, payload)
    SELECT ${sql.lit(CASE_STATUS_TOPIC)}, jsonb_build_object(${sql.join(pairs)}) ${from}`;
}
