// The long jobs started from the pages run in the server's background worker (issue 18): the release
// of a payroll (pension, unemployment, injury) or of the annual adjustment, the assessment and the
// refund scan each answer 202 with a job, the job ends with the same result the request used to
// answer, four eyes still decide the release, a job a stopped server left running is finished by the
// next server exactly once, and staff of another region cannot read the job.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { hashPassword } from '../auth/password.ts';
import { approvalKinds } from '../approval-kinds.ts';
import { ApprovalService } from '../approval/approval.service.ts';
import { fixToday } from '../core/clock.ts';
import { makeIdNumber } from '../core/ids.ts';
import { payrollSummary, runPayroll } from '../pension/payroll.job.ts';
import { buildServer } from '../server.ts';
import { makePerson } from '../testing/factories.ts';
import { seedPensioners } from '../testing/pension-fixtures.ts';
import { seedApprovedClaims } from '../testing/unemployment-fixtures.ts';
import {
  makeTestApp,
  TEST_PASSWORD,
  TEST_REGION,
  type LoginResult,
  type TestApp,
} from '../testing/test-app.ts';
import { refundScanSummary } from '../unemployment/refund.job.ts';
import { APPROVAL_JOB_PREFIX, enqueueJob, type JobView } from './background-jobs.ts';
import { awaitJob } from './background-jobs.testing.ts';

interface Approval {
  id: number;
  status: string;
  summary: Record<string, number>;
  result: Record<string, unknown> | null;
}

describe('long jobs from the pages run in the background worker', () => {
  let t: TestApp;
  let clerk: LoginResult;
  let reviewer: LoginResult;
  let otherClerk: LoginResult;

  const post = (who: LoginResult, url: string, payload: object = {}) =>
    t.app.inject({ method: 'POST', url, headers: who.headers, payload });
  const prepare = async (url: string, payload: object): Promise<Approval> => {
    const r = await post(clerk, url, payload);
    assert.ok([200, 201].includes(r.statusCode), r.body);
    return r.json<Approval>();
  };
  /** Releases as the reviewer: 202 at once, then the job to its end; answers the job and the approval. */
  const releaseInBackground = async (a: Approval): Promise<{ job: JobView; approval: Approval }> => {
    const r = await post(reviewer, `/api/v1/approvals/${a.id}/release`);
    assert.equal(r.statusCode, 202, r.body);
    const queued = r.json<{ jobId: number; approval: Approval }>();
    assert.equal(queued.approval.status, 'released', 'the release is decided before the job runs');
    const job = await awaitJob(t.app, reviewer.headers, queued.jobId);
    assert.equal(job.status, 'done', JSON.stringify(job.error));
    const now = await t.app.inject({
      method: 'GET',
      url: `/api/v1/approvals/${a.id}`,
      headers: reviewer.headers,
    });
    return { job, approval: now.json<Approval>() };
  };
  const count = async (q: string): Promise<number> =>
    Number((await sql<{ n: unknown }>`${sql.raw(q)}`.execute(t.ctx.db)).rows[0]?.n);

  before(async () => {
    fixToday('2026-03-15');
    t = await makeTestApp();
    clerk = await t.login('clerk');
    reviewer = await t.login('reviewer');
    // A clerk of another city (Hefei) for the region check.
    const p = await makePerson(t.ctx.db, {
      id_number: makeIdNumber('340102', '1982-02-02', 31),
      name: '合肥经办',
      sex: 'F',
      birth_date: '1982-02-02',
    });
    await t.ctx.db
      .insertInto('app_user')
      .values({
        username: 'clerk-hefei',
        display_name: 'clerk-hefei',
        password_hash: await hashPassword(TEST_PASSWORD),
        role: 'clerk',
        person_id: p.id,
        employer_id: null,
        region: '340100',
      })
      .execute();
    otherClerk = await t.login('clerk-hefei');
    await seedPensioners(t.ctx.db, { count: 9, region: TEST_REGION, startPeriod: '2025-01' });
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('payroll: the maker cannot release it; the reviewer’s release answers 202, the job pays what the checker saw, once; progress done of total', async () => {
    const a = await prepare('/api/v1/payroll/runs', { period: '2026-03', region: TEST_REGION });
    const own = await post(clerk, `/api/v1/approvals/${a.id}/release`);
    assert.equal(own.statusCode, 403, own.body);
    assert.equal(await count(`SELECT count(*) AS n FROM background_job WHERE kind LIKE 'approval:%'`), 0);
    const { job, approval } = await releaseInBackground(a);
    assert.equal(job.kind, APPROVAL_JOB_PREFIX + 'payroll.run');
    assert.deepEqual(approval.result, job.result, 'the approval keeps the job’s result');
    assert.equal((job.result as { payments: number }).payments, a.summary['payments']);
    assert.equal(
      await count(
        "SELECT coalesce(sum(amount_fen), 0)::bigint AS n FROM pension_payment WHERE period = '2026-03'",
      ),
      a.summary['totalFen'],
    );
    assert.ok(job.progress && job.progress.total > 0 && job.progress.done === job.progress.total);
    assert.equal(job.progress.stage, 'payroll');
    // A second release is refused (decided once); the job is not run twice.
    const again = await post(reviewer, `/api/v1/approvals/${a.id}/release`);
    assert.equal(again.statusCode, 409, again.body);
    // Staff of another city cannot follow the job (it reads as an unknown one); a citizen neither.
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/jobs/${job.id}`,
      headers: { cookie: otherClerk.cookieHeader },
    });
    assert.equal(other.statusCode, 404, other.body);
    const citizen = await t.login('citizen');
    const byCitizen = await t.app.inject({
      method: 'GET',
      url: `/api/v1/jobs/${job.id}`,
      headers: { cookie: citizen.cookieHeader },
    });
    assert.equal(byCitizen.statusCode, 403, byCitizen.body);
  });

  test('annual adjustment: released in the background, the new amounts written, the result on the approval', async () => {
    const before = await count('SELECT count(*) AS n FROM pension_amount');
    const a = await prepare('/api/v1/pension/adjustments', { region: TEST_REGION, year: 2026 });
    const { job, approval } = await releaseInBackground(a);
    assert.equal((job.result as { adjusted: number }).adjusted, a.summary['awardsInForce']);
    assert.deepEqual(approval.result, job.result);
    assert.equal(
      await count('SELECT count(*) AS n FROM pension_amount'),
      before + a.summary['awardsInForce']!,
    );
    assert.equal(job.progress?.done, job.progress?.total);
  });

  test('unemployment and injury payrolls: released in the background with their results', async () => {
    await seedApprovedClaims(t.ctx.db, {
      count: 3,
      region: TEST_REGION,
      employerId: t.employerId,
      firstPeriod: '2026-02',
    });
    const u = await prepare('/api/v1/unemployment/payroll', { period: '2026-03', region: TEST_REGION });
    const ur = await releaseInBackground(u);
    assert.equal(ur.job.kind, APPROVAL_JOB_PREFIX + 'unemployment.payroll');
    assert.equal((ur.job.result as { status: string }).status, 'done');
    assert.equal(
      await count(
        `SELECT count(*) AS n FROM unemployment_payment p JOIN unemployment_claim c ON c.id = p.claim_id WHERE p.period = '2026-03'`,
      ),
      3,
    );
    const i = await prepare('/api/v1/injury/payroll', { period: '2026-03', region: TEST_REGION });
    const ir = await releaseInBackground(i);
    assert.equal(ir.job.kind, APPROVAL_JOB_PREFIX + 'injury-payroll');
    assert.equal((ir.job.result as { status: string }).status, 'done');
    assert.deepEqual(ir.approval.result, ir.job.result);
  });

  test('assessment: 202, the job answers the summary; refused at once outside the clerk’s region and for a bad period', async () => {
    const refused = await post(otherClerk, '/api/v1/contributions/assessments', {
      period: '2026-02',
      region: TEST_REGION,
    });
    assert.equal(refused.statusCode, 403, refused.body);
    const future = await post(clerk, '/api/v1/contributions/assessments', { period: '2027-01' });
    assert.equal(future.statusCode, 400, future.body);
    const r = await post(clerk, '/api/v1/contributions/assessments', { period: '2026-02' });
    assert.equal(r.statusCode, 202, r.body);
    const job = await awaitJob(t.app, clerk.headers, r.json<{ jobId: number }>().jobId);
    assert.equal(job.status, 'done', JSON.stringify(job.error));
    const s = job.result as { assessmentId: number; bills: number };
    assert.equal(
      await count(`SELECT count(*) AS n FROM contribution_assessment WHERE id = ${s.assessmentId}`),
      1,
    );
  });

  test('refund scan: 202, the job answers the year’s stored figures; a clerk only may start it', async () => {
    const byReviewer = await post(reviewer, '/api/v1/unemployment/refund-batches/2025/scan');
    assert.equal(byReviewer.statusCode, 403, byReviewer.body);
    const r = await post(clerk, '/api/v1/unemployment/refund-batches/2025/scan');
    assert.equal(r.statusCode, 202, r.body);
    const job = await awaitJob(t.app, clerk.headers, r.json<{ jobId: number }>().jobId);
    assert.equal(job.status, 'done', JSON.stringify(job.error));
    assert.deepEqual(job.result, await refundScanSummary(t.ctx.db, 2025));
    assert.equal(job.progress?.stage, 'refund-scan');
  });

  test('a released payroll whose server was killed mid-run is finished by the next server, paying each person once', async () => {
    fixToday('2026-04-15');
    const a = await prepare('/api/v1/payroll/runs', { period: '2026-04', region: TEST_REGION });
    // The server stops; the release had been decided and its job queued just before.
    await t.app.close();
    const checker: Actor = {
      userId: reviewer.user.id,
      username: 'reviewer',
      role: 'reviewer',
      personId: null,
      employerId: null,
      region: TEST_REGION,
    };
    const kinds = approvalKinds(t.ctx);
    const released = await new ApprovalService(t.ctx.db).release(
      kinds,
      checker,
      a.id,
      undefined,
      (id, k, region) =>
        enqueueJob(t.ctx.db, checker, {
          kind: APPROVAL_JOB_PREFIX + k.kind,
          key: String(id),
          params: { approvalId: id },
          region,
        }),
    );
    assert.ok(released.job);
    // ... the worker had claimed it and died inside the first chunk (nothing of the chunk committed).
    const maker = (await t.ctx.db
      .selectFrom('app_user')
      .select(['id', 'username', 'role', 'person_id', 'employer_id', 'region'])
      .where('username', '=', 'clerk')
      .executeTakeFirstOrThrow()) as { id: number; username: string; role: 'clerk'; region: string };
    await assert.rejects(
      runPayroll(
        t.ctx.db,
        {
          userId: maker.id,
          username: maker.username,
          role: 'clerk',
          personId: null,
          employerId: null,
          region: TEST_REGION,
        },
        {
          period: '2026-04',
          region: TEST_REGION,
          hooks: {
            insideChunk: () => {
              throw new Error('killed');
            },
          },
        },
      ),
      /killed/,
    );
    assert.equal(
      (await payrollSummary(t.ctx.db, { period: '2026-04', region: TEST_REGION })).status,
      'running',
    );
    await t.ctx.db
      .updateTable('background_job')
      .set({ status: 'running', attempts: 1, heartbeat_at: new Date(Date.now() - 3_600_000).toISOString() })
      .where('id', '=', released.job.jobId)
      .execute();

    const app2 = await buildServer(t.ctx);
    await app2.ready();
    try {
      const job = await awaitJob(app2, reviewer.headers, released.job.jobId);
      assert.deepEqual([job.status, job.attempts], ['done', 2]);
      assert.equal(
        await count("SELECT count(*) AS n FROM pension_payment WHERE period = '2026-04'"),
        a.summary['payments'],
      );
      assert.equal(
        await count(
          "SELECT coalesce(sum(amount_fen), 0)::bigint AS n FROM pension_payment WHERE period = '2026-04'",
        ),
        a.summary['totalFen'],
      );
      assert.equal(
        await count(
          "SELECT count(*) AS n FROM (SELECT award_id FROM pension_payment WHERE period = '2026-04' GROUP BY award_id, kind HAVING count(*) > 1) x",
        ),
        0,
        'nobody is paid twice',
      );
      const approval = await t.ctx.db
        .selectFrom('approval')
        .select('result')
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(approval.result, job.result);
    } finally {
      await app2.close();
    }
  });
});
