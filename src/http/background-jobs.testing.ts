// For tests: a request that queues a background job (202 with its id, issue 18) followed to the end of
// its job through the real API (GET /api/v1/jobs/{id}), as the pages do.
import type { FastifyInstance } from 'fastify';
import type { JobView } from './background-jobs.ts';

/** The parts of an inject answer the tests read. */
export interface Answer {
  statusCode: number;
  body: string;
  json: <T = unknown>() => T;
}

const answer = (statusCode: number, value: unknown): Answer => {
  const body = JSON.stringify(value);
  return { statusCode, body, json: <T>() => JSON.parse(body) as T };
};

/** Polls the job as `headers` (a staff login) until it is done or failed. */
export async function awaitJob(
  app: FastifyInstance,
  headers: Record<string, string>,
  jobId: number,
  timeoutMs = 60_000,
): Promise<JobView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers });
    if (r.statusCode !== 200) throw new Error(`GET /api/v1/jobs/${jobId}: ${r.statusCode} ${r.body}`);
    const job = r.json<JobView>();
    if (job.status === 'done' || job.status === 'failed') return job;
    if (Date.now() > until) throw new Error(`job ${jobId} did not end: ${r.body}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

/**
 * The answer of an approval release once its work is done: a 202 (a payroll or an adjustment queued
 * for the worker) is followed to its job's end and becomes the approval as it is then (200), or the
 * job's error (422 with its code); any other answer is given back as it is.
 */
export async function releaseSettled(
  app: FastifyInstance,
  headers: Record<string, string>,
  r: Answer,
): Promise<Answer> {
  if (r.statusCode !== 202) return r;
  const { jobId, approval } = r.json<{ jobId: number; approval: { id: number } }>();
  const job = await awaitJob(app, headers, jobId);
  if (job.status === 'failed') return answer(422, { error: job.error });
  const a = await app.inject({ method: 'GET', url: `/api/v1/approvals/${approval.id}`, headers });
  return a;
}

/** The answer of a start route (202 with a job) once its job is done: its result (200) or its error (422). */
export async function jobSettled(
  app: FastifyInstance,
  headers: Record<string, string>,
  r: Answer,
): Promise<Answer> {
  if (r.statusCode !== 202) return r;
  const job = await awaitJob(app, headers, r.json<{ jobId: number }>().jobId);
  return job.status === 'done' ? answer(200, job.result) : answer(422, { error: job.error });
}
