// Long jobs started from a page run as durable background jobs (issue 18): the request answers 202
// with a job id, GET /api/v1/jobs/{id} shows progress and the result, and a job that a stopped server
// left queued or half-done is finished by the next server exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { fixToday } from '../core/clock.ts';
import { CampaignService } from '../certification/campaign.service.ts';
import { buildServer } from '../server.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { enqueueJob } from './background-jobs.ts';
import { awaitJob } from './background-jobs.testing.ts';

describe('background jobs', () => {
  let t: TestApp;
  let clerk: LoginResult;
  let clerkActor: Actor;

  /** The job followed to its end through the API (awaitJob), its result read as the sweep's. */
  const waitFor = async (app: FastifyInstance, jobId: number) => {
    const j = await awaitJob(app, clerk.headers, jobId);
    return { ...j, result: j.result as { status: string; suspended: number } | null };
  };
  const campaign = async (app: FastifyInstance, year: number): Promise<number> => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/certification/campaigns',
      headers: clerk.headers,
      payload: { region: TEST_REGION, year },
    });
    assert.equal(r.statusCode, 201, r.body);
    return r.json<{ id: number }>().id;
  };
  const suspensionsOf = async (campaignId: number) =>
    Number(
      (
        await sql<{
          n: number;
        }>`SELECT count(*) AS n FROM certification_suspension WHERE campaign_id = ${campaignId}`.execute(
          t.ctx.db,
        )
      ).rows[0]?.n,
    );
  const sweepAudits = async () =>
    Number(
      (
        await sql<{
          n: number;
        }>`SELECT count(*) AS n FROM audit_log WHERE action = 'certification.sweep'`.execute(t.ctx.db)
      ).rows[0]?.n,
    );

  before(async () => {
    fixToday('2026-06-01');
    t = await makeTestApp();
    clerk = await t.login('clerk');
    clerkActor = {
      userId: clerk.user.id,
      username: 'clerk',
      role: 'clerk',
      personId: clerk.user.personId,
      employerId: null,
      region: TEST_REGION,
    };
    await seedPensioners(t.ctx.db, { count: 5, region: TEST_REGION, startPeriod: '2021-01' });
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('the sweep answers 202 with a job at once; the job shows its progress and result; before the deadline 409', async () => {
    const id = await campaign(t.app, 2026);
    const early = await t.app.inject({
      method: 'POST',
      url: `/api/v1/certification/campaigns/${id}/sweep`,
      headers: clerk.headers,
    });
    assert.equal(early.statusCode, 409, early.body);
    fixToday('2027-01-15');
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/certification/campaigns/${id}/sweep`,
      headers: clerk.headers,
    });
    assert.equal(r.statusCode, 202, r.body);
    const { jobId } = r.json<{ jobId: number }>();
    const j = await waitFor(t.app, jobId);
    assert.equal(j.status, 'done');
    assert.deepEqual([j.result?.status, j.result?.suspended], ['done', 5]);
    assert.ok(j.progress && j.progress.done === j.progress.total, JSON.stringify(j.progress));
    // A citizen may not read the agency's job.
    const citizen = await t.login('citizen');
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/jobs/${jobId}`,
      headers: { cookie: citizen.cookieHeader },
    });
    assert.equal(other.statusCode, 403);
  });

  test('a job queued when the server stopped, and one a stopped server left half-done, are finished by the next server exactly once', async () => {
    fixToday('2027-06-01');
    await seedPensioners(t.ctx.db, { count: 4, region: TEST_REGION, startPeriod: '2021-01', offset: 100 });
    const y2027 = await campaign(t.app, 2027);
    // The first server stops (its worker with it).
    await t.app.close();
    fixToday('2028-01-15');
    const sweepsBefore = await sweepAudits();
    // The request had committed its job row before the server stopped: nothing picked it up.
    const queued = await enqueueJob(t.ctx.db, clerkActor, {
      kind: 'certification.sweep',
      key: String(y2027),
      params: { campaignId: y2027 },
      region: TEST_REGION,
    });
    // ... and a server died half-way through a second job: the sweep did one chunk, the row stayed running.
    // (a campaign is opened before its deadline: this one in its year)
    fixToday('2025-06-01');
    const y2025 = await new CampaignService(t.ctx.db).create(clerkActor, { region: TEST_REGION, year: 2025 });
    fixToday('2028-01-15');
    const half = await new CampaignService(t.ctx.db).sweep(clerkActor, y2025.id, {
      chunkSize: 2,
      stopAfterChunks: 1,
    });
    assert.equal(half.status, 'interrupted');
    const left = await enqueueJob(t.ctx.db, clerkActor, {
      kind: 'certification.sweep',
      key: String(y2025.id),
      params: { campaignId: y2025.id },
      region: TEST_REGION,
    });
    await t.ctx.db
      .updateTable('background_job')
      .set({ status: 'running', attempts: 1, heartbeat_at: new Date(Date.now() - 3_600_000).toISOString() })
      .where('id', '=', left.jobId)
      .execute();

    const app2 = await buildServer(t.ctx);
    await app2.ready();
    try {
      const a = await waitFor(app2, queued.jobId);
      const b = await waitFor(app2, left.jobId);
      assert.deepEqual([a.status, a.attempts], ['done', 1]);
      assert.deepEqual([b.status, b.attempts], ['done', 2]);
      // Each suspension written once per campaign, as many as the job reports, one summary per campaign.
      assert.equal(a.result?.status, 'done');
      assert.equal(b.result?.status, 'done');
      assert.ok((a.result?.suspended ?? 0) > 0);
      assert.equal(await suspensionsOf(y2027), a.result?.suspended);
      assert.equal(await suspensionsOf(y2025.id), b.result?.suspended);
      assert.equal((await sweepAudits()) - sweepsBefore, 2);
      // Looking again runs nothing twice: the close waits for the pass the kick started.
      app2.kickJobs();
      await app2.close();
      assert.equal((await sweepAudits()) - sweepsBefore, 2);
      const rows = await t.ctx.db.selectFrom('background_job').select(['status']).execute();
      assert.ok(rows.every((r) => r.status === 'done'));
    } finally {
      await app2.close();
    }
  });
});
