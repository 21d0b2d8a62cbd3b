// Durable background jobs (issue 18): a long job started from a web page is queued by the request
// (a `background_job` row, 202 with its id) and run by a worker loop in the server, never inside the
// request. The worker claims the oldest queued row with FOR UPDATE SKIP LOCKED (several servers share
// the queue), runs the job with the authority of the user who started it and beats a heartbeat while
// it runs. A row left `running` by a server that stopped is claimed again once its heartbeat is
// stale: every job kind is idempotent and resumes from its own progress (job_run), so the new run
// finishes it and pays or suspends nobody twice. `GET /api/v1/jobs/{id}` shows the status, the job's
// progress (done/total from job_run) and its result.
//
// The kinds are given by server.ts (a lower floor must not import the capabilities that run them).
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { authorize, authorizeFound, type Action } from '../auth/policy.ts';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import { errorResponses, RowId } from './schemas.ts';
import { actorOf } from './session.plugin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Tells the worker that a job was queued (it also looks every few seconds). */
    kickJobs: () => void;
  }
}

/** What a running job reports: `done` of `total` steps (its chunks) in a named stage. */
export type ReportProgress = (done: number, total: number, stage: string) => void;

export interface JobProgress {
  done: number;
  total: number;
  stage?: string;
}

export interface JobKind {
  kind: string;
  /** The policy action the job needs (checked by the route that queues it, and again when it runs). */
  action: Action;
  /** Runs the job; `progress` stores what it reports on the job's row (GET /api/v1/jobs/{id}). */
  run: (actor: Actor, params: unknown, progress: ReportProgress) => Promise<unknown>;
  /** The job's own progress (its job_run row), when it keeps one and reports nothing itself. */
  progress?: (db: Db, params: unknown) => Promise<JobProgress | null>;
}

export type JobKinds = ReadonlyMap<string, JobKind>;

export interface JobView {
  id: number;
  kind: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: JobProgress | null;
  result: unknown;
  error: { code: string; message: string } | null;
}

/** Job kinds `approval:<kind>` run a released payroll or adjustment (src/approval/approval.routes.ts). */
export const APPROVAL_JOB_PREFIX = 'approval:';

/** A heartbeat older than this marks a running job whose server stopped. */
export const STALE_AFTER_MS = 30_000;
const HEARTBEAT_MS = 5_000;

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();

/**
 * Queues a job (or answers the live one of the same kind and key). The caller has authorized the
 * actor; the row keeps the actor so the worker runs it with the same authority.
 */
export async function enqueueJob(
  db: Db,
  actor: Actor,
  input: { kind: string; key: string; params: unknown; region?: string | null },
): Promise<{ jobId: number; status: string; queued: boolean }> {
  const stored: Actor = { ...actor };
  delete stored.requestId;
  const r = await sql<{ id: number | string; status: string }>`
    INSERT INTO background_job (kind, key, params, actor, region)
    VALUES (${input.kind}, ${input.key}, ${JSON.stringify(input.params)}::jsonb, ${JSON.stringify(stored)}::jsonb, ${input.region ?? null})
    ON CONFLICT (kind, key) WHERE status IN ('queued', 'running') DO NOTHING
    RETURNING id, status`.execute(db);
  if (r.rows[0]) return { jobId: Number(r.rows[0].id), status: r.rows[0].status, queued: true };
  const live = await db
    .selectFrom('background_job')
    .select(['id', 'status'])
    .where('kind', '=', input.kind)
    .where('key', '=', input.key)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  if (!live) return enqueueJob(db, actor, input); // it finished between the two statements
  return { jobId: Number(live.id), status: live.status, queued: false };
}

export async function getJob(db: Db, kinds: JobKinds, actor: Actor, id: number): Promise<JobView> {
  const r = await db.selectFrom('background_job').selectAll().where('id', '=', id).executeTakeFirst();
  const k = r ? kinds.get(r.kind) : undefined;
  // Staff of the job's region follow it (the kind's own action was checked when it was queued and is again when it
  // runs); another region's job answers as an unknown one, without the id asked for.
  authorizeFound(
    actor,
    'job.read',
    !r || !k ? undefined : r.region === null ? {} : { region: r.region.trim() },
  );
  if (!r || !k) throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
  const reported =
    r.progress_total === null
      ? null
      : {
          done: Number(r.progress_done ?? 0),
          total: Number(r.progress_total),
          ...(r.progress_stage === null ? {} : { stage: r.progress_stage }),
        };
  const progress = reported ?? (k.progress ? await k.progress(db, r.params) : null);
  return {
    id: Number(r.id),
    kind: r.kind,
    status: r.status,
    attempts: Number(r.attempts),
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    progress,
    result: r.result ?? null,
    error: (r.error as JobView['error']) ?? null,
  };
}

interface Claimed {
  id: number | string;
  kind: string;
  params: unknown;
  actor: Omit<Actor, 'requestId'>;
}

/** Claims the oldest queued job, or a running one whose server stopped (stale heartbeat). */
export async function claimJob(db: Db, kinds: JobKinds, staleMs = STALE_AFTER_MS): Promise<Claimed | null> {
  const known = [...kinds.keys()];
  if (known.length === 0) return null;
  const staleBefore = new Date(Date.now() - staleMs).toISOString();
  const r = await sql<Claimed>`
    UPDATE background_job SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()),
      heartbeat_at = now()
    WHERE id = (
      SELECT id FROM background_job
      WHERE (status = 'queued' OR (status = 'running' AND heartbeat_at < ${staleBefore}::timestamptz))
        AND kind IN (${sql.join(known)})
      ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id, kind, params, actor`.execute(db);
  return r.rows[0] ?? null;
}

/** At most one progress write in flight and a few a second; the last figure is always written. */
function progressWriter(db: Db, id: number): { report: ReportProgress; flush: () => Promise<void> } {
  let latest: JobProgress | null = null;
  let writing: Promise<void> | null = null;
  let lastAt = 0;
  const write = (): Promise<void> => {
    const p = latest;
    latest = null;
    if (!p) return Promise.resolve();
    lastAt = Date.now();
    return db
      .updateTable('background_job')
      .set({ progress_done: p.done, progress_total: p.total, progress_stage: p.stage ?? null })
      .where('id', '=', id)
      .execute()
      .then(
        () => undefined,
        () => undefined,
      );
  };
  const report: ReportProgress = (done, total, stage) => {
    latest = { done, total, stage };
    if (writing || Date.now() - lastAt < 250) return;
    writing = write().finally(() => {
      writing = null;
    });
  };
  const flush = async () => {
    await writing;
    await write();
  };
  return { report, flush };
}

/** Runs one claimed job to its end and records the outcome. */
export async function runClaimedJob(
  db: Db,
  kinds: JobKinds,
  job: Claimed,
  log?: { error(o: object, m: string): void },
): Promise<void> {
  const k = kinds.get(job.kind)!;
  const id = Number(job.id);
  const progress = progressWriter(db, id);
  const beat = setInterval(() => {
    void db
      .updateTable('background_job')
      .set({ heartbeat_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute()
      .catch(() => undefined);
  }, HEARTBEAT_MS);
  beat.unref();
  try {
    const actor: Actor = { ...job.actor, requestId: `job-${id}` };
    authorize(actor, k.action);
    const result = await k.run(actor, job.params, progress.report);
    await progress.flush();
    await db
      .updateTable('background_job')
      .set({
        status: 'done',
        result: JSON.stringify(result ?? null),
        finished_at: new Date().toISOString(),
        heartbeat_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .execute();
  } catch (e) {
    await progress.flush();
    // An internal error (a bug, a database error) is logged, and the staff who follow the job get
    // the same plain words as the HTTP edge gives, not its text (table, constraint or input values).
    if (!(e instanceof SbError)) log?.error({ err: e, job: id, kind: job.kind }, 'background job failed');
    const error =
      e instanceof SbError
        ? { code: e.code, message: e.message }
        : { code: 'SB_ERR_INTERNAL', message: new SbError('SB_ERR_INTERNAL').message };
    await db
      .updateTable('background_job')
      .set({ status: 'failed', error: JSON.stringify(error), finished_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
  } finally {
    clearInterval(beat);
  }
}

/**
 * The worker loop beside the server: looks for work when a job is queued here (`kick`), every
 * `pollMs`, and at start (jobs a stopped server left). One job at a time per server. On close it
 * stops claiming and waits for the running job (a stop that cannot wait leaves the row running; the
 * next server resumes it when its heartbeat is stale).
 */
export function installJobWorker(
  app: FastifyInstance,
  db: Db,
  kinds: JobKinds,
  opts: { pollMs?: number; staleMs?: number } = {},
): { kick: () => void } {
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  const loop = async () => {
    for (;;) {
      again = false;
      if (closed) return;
      let job: Claimed | null = null;
      try {
        job = await claimJob(db, kinds, opts.staleMs);
      } catch (e) {
        app.log.error({ err: e }, 'background job: claim failed');
        return;
      }
      if (job) {
        app.log.info({ job: Number(job.id), kind: job.kind }, 'background job started');
        await runClaimedJob(db, kinds, job, app.log);
        app.log.info({ job: Number(job.id), kind: job.kind }, 'background job ended');
      } else if (!again) return;
    }
  };
  const kick = () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = loop().finally(() => {
      running = null;
    });
  };
  app.decorate('kickJobs', kick);
  app.addHook('onReady', async () => {
    kick();
    timer = setInterval(kick, opts.pollMs ?? 2000);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    closed = true;
    if (timer) clearInterval(timer);
    await running;
  });
  return { kick };
}

const JobParams = Type.Object({ id: RowId });

export const JobViewSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('done'),
    Type.Literal('failed'),
  ]),
  attempts: Type.Integer(),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
  progress: Type.Union([
    Type.Object({ done: Type.Integer(), total: Type.Integer(), stage: Type.Optional(Type.String()) }),
    Type.Null(),
  ]),
  result: Type.Unknown(),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
});

/** 202 answer of a route that queued a background job. */
export const JobQueuedSchema = Type.Object({
  jobId: Type.Integer(),
  status: Type.String(),
  /** false: a job of the same kind and key was already queued or running; this is its id */
  queued: Type.Boolean(),
});

/** GET /api/v1/jobs/{id}: a background job's status, progress and result (the policy action of its kind). */
export const jobRoutes: FastifyPluginAsyncTypebox<{ db: Db; kinds: JobKinds }> = async (
  app,
  { db, kinds },
) => {
  app.get(
    '/api/v1/jobs/:id',
    {
      config: { action: 'job.read' },
      schema: {
        tags: ['ops'],
        summary: '后台任务进度 / A background job: status, progress, result',
        description:
          'Long jobs started from the pages (the release of a payroll or of the annual adjustment, the assessment, the certification sweep, the refund scan) answer 202 with a job id; poll this until status is done or failed. progress is done of total chunks while it runs. Staff of the job\u2019s region may read it (job.read).',
        params: JobParams,
        response: { 200: JobViewSchema, ...errorResponses },
      },
    },
    async (req) => getJob(db, kinds, actorOf(req), req.params.id),
  );
};
