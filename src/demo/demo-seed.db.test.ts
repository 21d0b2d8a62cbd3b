// The whole demo build (buildDemo) as `npm start` runs it, on a small city: work histories deep enough
// that most people on the due list qualify and a few do not, retirement cases that compute from
// parameters alone, residents on the due list and paid, and a login for every kind of user.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { fieldWords } from '../audit/audit-fields.ts';
import { verifyAuditChain } from '../audit/audit.repository.ts';
import { fixToday } from '../core/clock.ts';
import { addPeriods, periodCount, periodOf } from '../core/dates.ts';
import { regionLikePattern } from '../core/regions.ts';
import { buildServer } from '../server.ts';
import { releaseSettled } from '../http/background-jobs.testing.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { DEMO_CARD_BANK } from './demo-cards.job.ts';
import { DEMO_PASSWORD } from './demo-city.ts';
import { DETECTORS } from '../supervision/detector.rules.ts';
import { buildDemo, type DemoBuildReport } from './demo-seed.ts';

const AS_OF = '2026-11-20';

interface Session {
  user: { personId: number | null; role: string };
  headers: Record<string, string>;
}

interface DueItem {
  personId: number;
  scheme: 'employee_pension' | 'resident_pension';
}

interface CaseBody {
  id: number;
  version: number;
  eligible: boolean | null;
  missingMonths: number | null;
  monthlyFen: number | null;
  options: Array<{ code: string }>;
  trace: Array<{ stepZh?: string }>;
  error?: { code: string; message: string };
}

describe('demo build: histories, parameters, residents and every kind of login', () => {
  let t: TestDb;
  let app: FastifyInstance;
  let report: DemoBuildReport;
  const sessions = new Map<string, Session>();

  const login = async (username: string): Promise<Session> => {
    const known = sessions.get(username);
    if (known) return known;
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: DEMO_PASSWORD },
    });
    assert.equal(r.statusCode, 200, `${username}: ${r.body}`);
    const body = r.json<{ user: Session['user']; csrfToken: string }>();
    const raw = r.headers['set-cookie'];
    const cookie = ((Array.isArray(raw) ? raw[0] : raw) ?? '').split(';')[0] ?? '';
    const s = { user: body.user, headers: { cookie, 'x-csrf-token': body.csrfToken } };
    sessions.set(username, s);
    return s;
  };
  const get = async (who: string, url: string) =>
    app.inject({ method: 'GET', url, headers: (await login(who)).headers });
  const post = async (who: string, url: string, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url, headers: (await login(who)).headers, payload });

  /** Opens and computes a case for a due item as the clerk. */
  const computeFor = async (item: DueItem): Promise<CaseBody> => {
    const opened = await post('clerk', '/api/v1/retirement/cases', {
      personId: item.personId,
      scheme: item.scheme,
    });
    assert.equal(opened.statusCode, 201, opened.body);
    const c = opened.json<CaseBody>();
    const computed = await post('clerk', `/api/v1/retirement/cases/${c.id}/compute`, { version: c.version });
    assert.equal(computed.statusCode, 200, `person ${item.personId}: ${computed.body}`);
    return computed.json<CaseBody>();
  };

  before(async () => {
    fixToday(AS_OF);
    t = await openTestDb();
    report = await buildDemo(t.ctx, { seed: 20211231, persons: 1500, employers: 60, asOf: AS_OF });
    app = await buildServer(t.ctx);
    await app.ready();
  });
  after(async () => {
    fixToday(null);
    await app.close();
    await t.close();
  });

  test('the build records prior service, awards residents, pays the last twelve months and adds five logins', () => {
    assert.ok(report.priorService.withDeemed > 0, JSON.stringify(report.priorService));
    assert.ok(report.priorService.withArchive > report.priorService.withDeemed);
    assert.ok(report.priorService.residents > 0);
    assert.ok(report.residentPensions.awarded > 0, JSON.stringify(report.residentPensions));
    assert.deepEqual(
      report.payroll.map((p) => p.period),
      Array.from({ length: 12 }, (_, i) => addPeriods(periodOf(AS_OF), i - 12)),
    );
    assert.ok(report.payroll.every((p) => p.payments > 0));
    assert.deepEqual([...report.logins].sort(), [
      'flexible',
      'jobless',
      'policy',
      'resident',
      'retiree',
      'reviewer2',
    ]);
  });

  test('the supervisor’s first login finds every detector’s planted case: the build scans the city once', () => {
    const none = DETECTORS.filter((d) => (report.supervision.findings[d] ?? 0) < 1);
    assert.deepEqual(none, [], JSON.stringify(report.supervision));
  });

  test('supervision has a history: findings over several months, cases at each stage, a decision on 复核, an inspection', async () => {
    // the risk dashboard's months: not one bar of today
    assert.ok(report.supervision.months.length >= 4, JSON.stringify(report.supervision.months));
    const cases = await get('supervisor', '/api/v1/supervision/cases');
    assert.equal(cases.statusCode, 200, cases.body);
    const statuses = cases.json<Array<{ status: string }>>().map((c) => c.status);
    for (const st of ['investigating', 'recovering'])
      assert.ok(statuses.includes(st), `${st}: ${statuses.join(', ')}`);
    const pending = await get('reviewer', '/api/v1/approvals?status=prepared&pageSize=50');
    const kinds = pending.json<{ items: Array<{ kind: string }> }>().items.map((a) => a.kind);
    assert.ok(kinds.includes('supervision.decide'), kinds.join(', '));
    const recoveries = await get('supervisor', '/api/v1/supervision/recoveries');
    assert.equal(recoveries.statusCode, 200, recoveries.body);
    const sources = recoveries.json<{ items: Array<{ supervisionCaseId: number | null }> }>().items;
    assert.ok(
      sources.some((r) => r.supervisionCaseId !== null),
      recoveries.body,
    );
    const campaigns = await get('supervisor', '/api/v1/supervision/campaigns');
    const names = campaigns.json<Array<{ name: string }>>().map((c) => c.name);
    assert.ok(names.includes('养老金领取资格专项检查'), campaigns.body);
    assert.equal(report.supervision.campaign.checked, 8);
    // the journey's own case comes from a pension-after-death finding: it is left open
    const open = await get(
      'supervisor',
      '/api/v1/supervision/findings?status=open&detector=pension_after_death',
    );
    assert.ok(open.json<{ items: unknown[] }>().items.length >= 1, open.body);
  });

  test('the cases and the hall’s applications have a past: filed and handled over the last months, not all today', async () => {
    // supervision cases opened over the months after their findings (all read today before), none later
    const cases = (await get('supervisor', '/api/v1/supervision/cases')).json<Array<{ createdAt: string }>>();
    const opened = cases.map((c) => c.createdAt.slice(0, 7));
    assert.ok(new Set(opened).size >= 3, opened.join(', '));
    assert.ok(
      cases.every((c) => c.createdAt.slice(0, 10) < AS_OF),
      opened.join(', '),
    );
    // the clerk's 办件: several services in every state, over three months or more
    const r = await get('clerk', '/api/v1/applications?pageSize=200');
    assert.equal(r.statusCode, 200, r.body);
    const apps = r.json<{
      items: Array<{ serviceCode: string; status: string; submittedOn: string; note: { zh: string } | null }>;
    }>().items;
    const services = new Set(apps.map((a) => a.serviceCode));
    for (const code of ['unemployment-benefit', 'insurance-certificate', 'card-application', 'person-change'])
      assert.ok(services.has(code), [...services].join(', '));
    const statuses = new Set(apps.map((a) => a.status));
    for (const st of ['submitted', 'accepted', 'completed', 'rejected'])
      assert.ok(statuses.has(st), [...statuses].join(', '));
    assert.ok(new Set(apps.map((a) => a.submittedOn.slice(0, 7))).size >= 3);
    assert.ok(apps.every((a) => a.submittedOn <= AS_OF));
    // a refusal says why
    assert.ok(apps.filter((a) => a.status === 'rejected').every((a) => (a.note?.zh ?? '').length > 4));
    // 服务统计: the services used, not the refunds alone
    const stats = await get('supervisor', '/api/v1/hall/statistics');
    const used = stats.json<{ items: Array<{ total: number }> }>().items.filter((i) => i.total > 0);
    assert.ok(used.length >= 5, stats.body);
  });

  test('retirement: a case approved months ago with its pensions paid since, one in review; each at the hall on its day', async () => {
    assert.equal(report.retirement.approved.length, 1, JSON.stringify(report.retirement));
    assert.equal(report.retirement.pendingReview.length, 1, JSON.stringify(report.retirement));
    const r = await get('clerk', '/api/v1/retirement/cases?pageSize=50');
    assert.equal(r.statusCode, 200, r.body);
    const cases = r.json<{ items: Array<{ personId: number; status: string; awardId: number | null }> }>()
      .items;
    const approved = cases.find((c) => c.personId === report.retirement.approved[0]);
    assert.equal(approved?.status, 'approved');
    assert.equal(
      cases.find((c) => c.personId === report.retirement.pendingReview[0])?.status,
      'pending_review',
    );
    // the payroll of every month since the award started paid it (its first pension included)
    const award = await t.ctx.db
      .selectFrom('pension_award')
      .select(['id', 'start_period', 'monthly_fen'])
      .where('id', '=', approved?.awardId ?? 0)
      .executeTakeFirstOrThrow();
    const paid = await t.ctx.db
      .selectFrom('pension_payment')
      .select(['period', 'amount_fen'])
      .where('award_id', '=', award.id)
      .orderBy('period')
      .execute();
    const lastMonth = addPeriods(periodOf(AS_OF), -1);
    assert.ok(award.start_period <= lastMonth, award.start_period);
    assert.equal(paid[0]?.period, award.start_period);
    assert.equal(paid.at(-1)?.period, lastMonth);
    assert.ok(paid.every((p) => p.amount_fen === award.monthly_fen));
    // the case, its steps and the hall's application read the days they were handled, before today
    const dates = await sql<{
      created: string;
      reviewed: string | null;
      submitted_on: string;
      closed_on: string | null;
    }>`
      SELECT to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS created,
        to_char(c.reviewed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS reviewed,
        a.submitted_on::text AS submitted_on, a.closed_on::text AS closed_on
      FROM retirement_case c JOIN hall_application a ON a.source_ref = 'retirement_case:' || c.id
      WHERE c.person_id IN (${sql.join([...report.retirement.approved, ...report.retirement.pendingReview])})
      ORDER BY c.status`.execute(t.ctx.db);
    assert.equal(dates.rows.length, 2);
    const [done, waiting] = dates.rows;
    assert.ok(done && waiting);
    assert.equal(done.created, done.submitted_on);
    assert.equal(done.reviewed, done.closed_on);
    assert.ok((done.reviewed ?? '') < `${award.start_period}-01`, JSON.stringify(done));
    assert.ok(waiting.created < AS_OF && waiting.reviewed === null, JSON.stringify(waiting));
  });

  test('the retired person left work on her retirement date: her job and enrolments ended then, no contribution after its month', async () => {
    const personId = report.retirement.approved[0] ?? 0;
    const c = await t.ctx.db
      .selectFrom('retirement_case')
      .select('retirement_date')
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    const open = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM employment WHERE person_id = ${personId} AND end_date IS NULL)
        + (SELECT count(*) FROM enrolment WHERE person_id = ${personId} AND status <> 'ended') AS n`.execute(
      t.ctx.db,
    );
    assert.equal(Number(open.rows[0]?.n), 0, 'nothing left open');
    const ended = await sql<{ end_date: string; end_reason: string }>`
      SELECT end_date::text, end_reason FROM employment WHERE person_id = ${personId} ORDER BY start_date DESC LIMIT 1`.execute(
      t.ctx.db,
    );
    assert.deepEqual(ended.rows[0], { end_date: c.retirement_date, end_reason: 'retirement' });
    const lines = await sql<{ last: string; after: number }>`
      SELECT max(period) AS last, count(*) FILTER (WHERE period > ${periodOf(c.retirement_date)})::int AS after
      FROM contribution_bill_line WHERE person_id = ${personId}`.execute(t.ctx.db);
    assert.deepEqual(lines.rows[0], { last: periodOf(c.retirement_date), after: 0 });
  });

  test('resident retirees draw their pension with no residents’ enrolment left open and no tier falling due after it starts', async () => {
    assert.ok(
      report.residentPensions.endedEnrolments >= report.residentPensions.awarded,
      JSON.stringify(report.residentPensions),
    );
    const r = await sql<{ retirees: number; open: number; due_after: number }>`
      SELECT count(*)::int AS retirees,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = a.person_id
          AND e.scheme = 'resident_pension' AND e.status <> 'ended'))::int AS open,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM contribution_bill b WHERE b.person_id = a.person_id
          AND b.payer_kind = 'resident' AND b.status <> 'cancelled' AND b.due_date > a.retirement_date))::int AS due_after
      FROM pension_award a WHERE a.scheme = 'resident_pension'`.execute(t.ctx.db);
    const row = r.rows[0];
    assert.ok(row && row.retirees >= report.residentPensions.awarded, JSON.stringify(row));
    assert.deepEqual([row.open, row.due_after], [0, 0]);
  });

  test('the clerk’s 暂收款清单 opens with three held bank receipts: one 100 yuan short of its bill and its top-up (the 100 yuan and the late fee by then), together the amount due; one naming no bill; each imported on its day', async () => {
    const r = await get('clerk', '/api/v1/payments/held?region=341800');
    assert.equal(r.statusCode, 200, r.body);
    const items = r
      .json<{
        items: Array<{
          paymentId: number;
          bankRef: string;
          paidDate: string;
          billId: number | null;
          amountFen: number;
        }>;
      }>()
      .items.filter((i) => i.bankRef.startsWith('DEMO-HELD-'));
    assert.deepEqual(
      items.map((i) => [i.bankRef, i.paidDate, i.billId === null]),
      [
        ['DEMO-HELD-SHORT', '2026-11-11', false],
        ['DEMO-HELD-TOPUP', '2026-11-15', false],
        ['DEMO-HELD-NOBILL', '2026-11-17', true],
      ],
    );
    // The bill is overdue by then: the top-up is the 100 yuan and the late fee to its day, and with the
    // short receipt exactly the amount due on that day.
    const [short, topUp] = items;
    assert.equal(topUp?.billId, short?.billId);
    const due = await get('clerk', `/api/v1/payments/held/due?billId=${short?.billId}&on=2026-11-15`);
    assert.equal(due.statusCode, 200, due.body);
    const d = due.json<{ due: { totalFen: number; lateFeeFen: number } }>().due;
    assert.equal(topUp?.amountFen, 10_000 + d.lateFeeFen);
    assert.equal(d.totalFen, (short?.amountFen ?? 0) + (topUp?.amountFen ?? 0));
    assert.deepEqual(
      items.map((i) => i.paymentId),
      report.heldReceipts.held,
    );
    // The import's audit entry reads the day the receipt came, not the day the demo was built.
    const days = await sql<{ day: string }>`
      SELECT to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day FROM audit_log
      WHERE action = 'payment.import' AND after->>'filename' LIKE 'demo-bank-%' ORDER BY id`.execute(
      t.ctx.db,
    );
    assert.deepEqual(
      days.rows.map((d) => d.day),
      ['2026-11-11', '2026-11-15', '2026-11-17'],
    );
  });

  test('the payroll runs and their audit entries read the 10th of their month, the audit chain verifies', async () => {
    const runs = await sql<{ period: string; started: string; finished: string }>`
      SELECT period, to_char(started_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS started,
        to_char(finished_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS finished
      FROM payroll_run ORDER BY period`.execute(t.ctx.db);
    assert.equal(runs.rows.length, 12);
    for (const r of runs.rows)
      assert.deepEqual([r.started, r.finished], [`${r.period}-10`, `${r.period}-10`]);
    const audited = await sql<{ day: string; n: number }>`
      SELECT to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, count(*)::int AS n FROM audit_log
      WHERE action IN ('payroll.start', 'payroll.complete') GROUP BY 1 ORDER BY 1`.execute(t.ctx.db);
    assert.deepEqual(
      audited.rows,
      runs.rows.map((r) => ({ day: `${r.period}-10`, n: 2 })),
    );
    const v = await verifyAuditChain(t.ctx.db);
    assert.ok(v.ok, JSON.stringify(v));
  });

  test('the hall’s granted benefit claims are paid every month since, and the fund’s ledger agrees', async () => {
    const lastMonth = addPeriods(periodOf(AS_OF), -1);
    const claims = await sql<{ id: number; first_period: string; months: number }>`
      SELECT c.id, c.first_period,
        (SELECT count(*)::int FROM unemployment_payment pm WHERE pm.claim_id = c.id AND pm.period <= ${lastMonth}) AS months
      FROM unemployment_claim c JOIN approval a ON a.kind = 'unemployment.claim' AND a.payload ->> 'claimId' = c.id::text
      WHERE c.status = 'approved'`.execute(t.ctx.db);
    assert.equal(claims.rows.length, 2, JSON.stringify(claims.rows));
    for (const c of claims.rows)
      assert.equal(c.months, periodCount(c.first_period, lastMonth), JSON.stringify(c));
    const money = await sql<{ paid: string; booked: string }>`
      -- what the payroll runs paid (the supervision plant's few payments are no run's)
      SELECT (SELECT sum(amount_fen + medical_fen) FROM unemployment_payment
              WHERE run_id IN (SELECT id FROM unemployment_payroll_run))::text AS paid,
        (SELECT sum(l.debit_fen) FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
          WHERE e.kind = 'unemployment_payroll')::text AS booked`.execute(t.ctx.db);
    assert.equal(money.rows[0]?.booked, money.rows[0]?.paid);
    // the decisions' approvals and the messages the claimants read carry those days, not today's time
    const late = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM approval WHERE kind = 'unemployment.claim'
        AND (prepared_at >= ${AS_OF}::date OR decided_at >= ${AS_OF}::date)`.execute(t.ctx.db);
    assert.equal(late.rows[0]?.n, 0);
    const told = await sql<{ n: number; late: number }>`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE m.created_at >= ${AS_OF}::date)::int AS late
      FROM hall_message m JOIN unemployment_claim c ON c.person_id = m.person_id
      WHERE c.id IN (${sql.join(claims.rows.map((c) => c.id))})`.execute(t.ctx.db);
    assert.ok((told.rows[0]?.n ?? 0) >= 4, JSON.stringify(told.rows));
    assert.equal(told.rows[0]?.late, 0);
  });

  test('the policy researcher’s first login opens on the city’s 30-year baseline', async () => {
    assert.equal(report.simulation.years, 30);
    const list = await get('policy', '/api/v1/simulations');
    assert.equal(list.statusCode, 200, list.body);
    const items = list.json<{ items: Array<{ id: number; baseline: boolean }> }>().items;
    assert.ok(
      items.some((r) => r.id === report.simulation.baselineId && r.baseline),
      list.body,
    );
  });

  test('jobless claims with an empty body and qualifies; people already receiving benefits are paid this month', async () => {
    const r = await post('jobless', '/api/v1/unemployment/claims', {});
    assert.equal(r.statusCode, 201, r.body);
    const c = r.json<{ eligible: boolean; maxMonths: number; monthlyFen?: number; separationDate: string }>();
    assert.equal(c.eligible, true);
    assert.ok(c.maxMonths >= 12);
    assert.ok((c.monthlyFen ?? 0) > 0);
    assert.equal(c.separationDate.slice(0, 7), addPeriods(periodOf(AS_OF), -1));
    assert.ok(report.unemployment.recipients > 0, JSON.stringify(report.unemployment));
    const { runBenefitPayroll } = await import('../unemployment/benefit-payroll.job.ts');
    const { systemActor } = await import('../auth/actor.ts');
    const month = await runBenefitPayroll(t.ctx, systemActor('test'), {
      period: periodOf(AS_OF),
      region: '341800',
    });
    assert.ok(month.payments > 0, JSON.stringify(month));
    const again = await runBenefitPayroll(t.ctx, systemActor('test'), {
      period: periodOf(AS_OF),
      region: '341800',
    });
    assert.equal(again.payments, month.payments);
  });

  test('the demo citizen and about a third of the living population hold an activated card, and the citizen gets an e-card code', async () => {
    assert.ok(report.cards > 1500 / 4 && report.cards < 1500 / 2, `${report.cards} cards`);
    const mine = await get('citizen', '/api/v1/cards');
    assert.equal(mine.statusCode, 200, mine.body);
    const card = mine.json<{ items: Array<{ status: string; bankName: string; bankAccount: string }> }>()
      .items[0];
    assert.equal(card?.status, 'activated');
    assert.equal(card?.bankName, DEMO_CARD_BANK);
    assert.match(card?.bankAccount ?? '', /^\*{15}[0-9]{4}$/, 'masked');
    const qr = await get('citizen', '/api/v1/ecard/qr');
    assert.equal(qr.statusCode, 200, qr.body);
    // Every activated demo card's account is its holder's account (where the payrolls pay).
    const bank = await sql<{ cards: number; differ: number }>`
      SELECT count(*)::int AS cards,
             count(*) FILTER (WHERE p.bank_account IS DISTINCT FROM c.bank_account
                              OR p.bank_name IS DISTINCT FROM c.bank_name)::int AS differ
      FROM card c JOIN person p ON p.id = c.person_id
      WHERE c.applied_via = 'demo' AND c.status = 'activated'`.execute(t.ctx.db);
    assert.equal(bank.rows[0]?.cards, report.cards);
    assert.equal(bank.rows[0]?.differ, 0);
  });

  test('the next months’ due list: every case computes from parameters alone, most qualify, the short ones get the lawful options', async () => {
    const results: CaseBody[] = [];
    for (let k = 1; k <= 6; k++) {
      const month = addPeriods(periodOf(AS_OF), k);
      const due = await get('clerk', `/api/v1/retirement/due?region=341800&month=${month}`);
      assert.equal(due.statusCode, 200, due.body);
      for (const item of due
        .json<{ items: DueItem[] }>()
        .items.filter((i) => i.scheme === 'employee_pension'))
        results.push(await computeFor(item));
    }
    assert.ok(results.length >= 5, `${results.length} employees due`);
    const eligible = results.filter((r) => r.eligible === true);
    assert.ok(eligible.length / results.length >= 0.7, `${eligible.length} of ${results.length} qualify`);
    for (const r of eligible) assert.ok((r.monthlyFen ?? 0) > 100_000, `case ${r.id}: ${r.monthlyFen}`);
    // Deemed years count: at least one case carries a transitional pension read from Anhui's parameters.
    assert.ok(
      eligible.some((r) => r.trace.some((s) => (s.stepZh ?? '').startsWith('过渡性养老金'))),
      'a transitional pension',
    );
    for (const r of results.filter((x) => x.eligible === false)) {
      assert.ok((r.missingMonths ?? 0) > 0);
      assert.deepEqual(
        r.options.map((o) => o.code),
        ['keep_contributing', 'lump_sum', 'transfer_to_residents'],
      );
    }
    // A few have no service before the electronic record: they are the ones who fall short.
    const none = await t.ctx.db
      .selectFrom('enrolment as e')
      .select((eb) => eb.fn.count<number>('e.person_id').distinct().as('n'))
      .where('e.scheme', '=', 'employee_pension')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('prior_service as ps')
              .select('ps.person_id')
              .whereRef('ps.person_id', '=', 'e.person_id'),
          ),
        ),
      )
      .executeTakeFirstOrThrow();
    assert.ok(Number(none.n) > 0);
  });

  test('a resident turning 60 is on the due list, computes with the resident rule, is approved and paid', async () => {
    let item: DueItem | undefined;
    for (let k = 1; k <= 12 && !item; k++) {
      const month = addPeriods(periodOf(AS_OF), k);
      const due = await get('clerk', `/api/v1/retirement/due?region=341800&month=${month}`);
      item = due.json<{ items: DueItem[] }>().items.find((i) => i.scheme === 'resident_pension');
    }
    assert.ok(item, 'a resident on the due list within a year');
    const c = await computeFor(item);
    assert.equal(c.eligible, true, JSON.stringify(c));
    assert.ok(
      c.trace.some((s) => (s.stepZh ?? '').includes('个人账户养老金')),
      'the resident rule ran',
    );
    const submitted = await post('clerk', `/api/v1/retirement/cases/${c.id}/submit`, { version: c.version });
    assert.equal(submitted.statusCode, 200, submitted.body);
    const approved = await post('reviewer2', `/api/v1/retirement/cases/${c.id}/review`, {
      decision: 'approve',
      version: submitted.json<CaseBody>().version,
    });
    assert.equal(approved.statusCode, 200, approved.body);
    const award = await t.ctx.db
      .selectFrom('pension_award')
      .selectAll()
      .where('person_id', '=', item.personId)
      .executeTakeFirstOrThrow();
    assert.equal(award.scheme, 'resident_pension');
    // A payroll may be prepared at most for next month: move the clock to the month before the
    // award starts, the clerk prepares, another person (reviewer) releases.
    fixToday(`${addPeriods(award.start_period, -1)}-15`);
    const prepared = await post('clerk', '/api/v1/payroll/runs', {
      period: award.start_period,
      region: '341800',
    });
    assert.equal(prepared.statusCode, 200, prepared.body);
    // The payroll runs in the server's worker: followed to its end before the clock moves back.
    const released = await releaseSettled(
      app,
      (await login('reviewer')).headers,
      await post('reviewer', `/api/v1/approvals/${prepared.json<{ id: number }>().id}/release`, {}),
    );
    fixToday(AS_OF);
    assert.equal(released.statusCode, 200, released.body);
    const paid = await t.ctx.db
      .selectFrom('pension_payment')
      .select('amount_fen')
      .where('award_id', '=', award.id)
      .executeTakeFirst();
    assert.equal(paid?.amount_fen, award.monthly_fen, 'the payroll pays the resident');
  });

  test('retiree: a pension in force, its payments, and not yet certified this year', async () => {
    const me = await login('retiree');
    const pid = me.user.personId;
    assert.ok(pid);
    const r = await get('retiree', `/api/v1/persons/${pid}/pension`);
    assert.equal(r.statusCode, 200, r.body);
    const awards = r.json<{ awards: Array<{ status: string; payments: unknown[] }> }>().awards;
    assert.equal(awards[0]?.status, 'active');
    assert.ok((awards[0]?.payments.length ?? 0) >= 3, 'the months the demo paid');
    const cert = await get('retiree', `/api/v1/persons/${pid}/certification`);
    assert.equal(cert.statusCode, 200, cert.body);
    assert.equal(cert.json<{ lastCertifiedOn: string | null }>().lastCertifiedOn, null, 'not yet certified');
    assert.equal((await get('retiree', `/api/v1/persons/${pid + 1}/pension`)).statusCode, 404);
  });

  test('flexible: declares their own base for this month and sees their record', async () => {
    const me = await login('flexible');
    const pid = me.user.personId;
    assert.ok(pid);
    const avg = t.ctx.params.get<number>('contributions/average-wage', '341800', `${AS_OF}`);
    const d = await post('flexible', `/api/v1/persons/${pid}/flexible-declarations`, {
      period: periodOf(AS_OF),
      baseFen: avg,
    });
    assert.equal(d.statusCode, 200, d.body);
    const rec = await get('flexible', `/api/v1/persons/${pid}/record`);
    assert.equal(rec.statusCode, 200, rec.body);
  });

  test('resident: chooses this year’s tier and gets a bill to pay', async () => {
    const me = await login('resident');
    const pid = me.user.personId;
    assert.ok(pid);
    const r = await post('resident', `/api/v1/persons/${pid}/resident-tier`, { year: 2026, tierFen: 50_000 });
    assert.equal(r.statusCode, 200, r.body);
    const bills = await get('resident', `/api/v1/bills?personId=${pid}`);
    assert.equal(bills.statusCode, 200, bills.body);
  });

  test('reviewer2: a second reviewer of the demo city', async () => {
    const me = await login('reviewer2');
    assert.equal(me.user.role, 'reviewer');
    const cases = await get('reviewer2', '/api/v1/retirement/cases');
    assert.equal(cases.statusCode, 200, cases.body);
  });

  test('injured: a recognised grade-5 case with the fund’s lump sum paid and the allowance owed by the employer; the queue has cases in every state', async () => {
    assert.equal(report.injuries.cases, 8);
    const mine = await get('injured', '/api/v1/injury/cases');
    assert.equal(mine.statusCode, 200, mine.body);
    const items = mine.json<{ items: Array<{ id: number; status: string }> }>().items;
    assert.equal(items.length, 1);
    assert.equal(items[0]?.status, 'recognised');
    const c = (await get('injured', `/api/v1/injury/cases/${items[0]?.id}`)).json<{
      appraisals: Array<{ grade: number }>;
      benefits: Array<{ kind: string; payer: string; status: string }>;
    }>();
    assert.equal(c.appraisals[0]?.grade, 5);
    assert.deepEqual(
      c.benefits.map((b) => [b.kind, b.payer, b.status]),
      [
        ['disability_lump_sum', 'fund', 'paid'],
        ['disability_allowance', 'employer', 'owed_by_employer'],
      ],
    );
    const queue = (await get('clerk', '/api/v1/injury/cases?pageSize=50')).json<{
      items: Array<{ status: string; overdue: boolean }>;
    }>();
    const states = new Set(queue.items.map((i) => i.status));
    for (const s of ['reported', 'accepted', 'suspended', 'recognised', 'not_recognised'])
      assert.ok(states.has(s), s);
    assert.ok(
      queue.items.some((i) => i.overdue),
      'one case is past its limit',
    );
    const paid = await t.ctx.db.selectFrom('injury_payment').select('amount_fen').execute();
    assert.ok(paid.length >= 1, 'the grade-3 allowance was paid by the fund');
  });

  // Last: it reads every entry the build and the tests above wrote, then changes a person and an employer.
  test('every field the audit’s before/after carries has words in Chinese and English: the build’s, the tests’ and a clerk’s edits', async () => {
    const { region } = await t.ctx.db
      .selectFrom('app_user')
      .select('region')
      .where('username', '=', 'clerk')
      .executeTakeFirstOrThrow();
    const near = (table: 'person' | 'employer') =>
      t.ctx.db
        .selectFrom(table)
        .select(['id', 'version'])
        .where('region', 'like', regionLikePattern(region ?? ''))
        .orderBy('id')
        .executeTakeFirstOrThrow();
    const person = await near('person');
    const patch = async (url: string, payload: Record<string, unknown>) => {
      const r = await app.inject({ method: 'PATCH', url, headers: (await login('clerk')).headers, payload });
      assert.equal(r.statusCode, 200, r.body);
    };
    await patch(`/api/v1/persons/${person.id}`, {
      version: person.version,
      phone: '13912345678',
      address: '宣城市宣州区鳌峰路1号',
      reason: '本人来电更正',
    });
    const employer = await near('employer');
    await patch(`/api/v1/employers/${employer.id}`, {
      version: employer.version,
      contactPhone: '0563-3021234',
      size: 'sme',
      reason: '单位申请变更',
    });
    const keys = await sql<{ k: string }>`
      SELECT DISTINCT k FROM audit_log a, LATERAL (
        SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(a.before) = 'object' THEN a.before ELSE '{}' END) AS k
        UNION SELECT jsonb_object_keys(CASE WHEN jsonb_typeof(a.after) = 'object' THEN a.after ELSE '{}' END)) x`.execute(
      t.ctx.db,
    );
    assert.ok(keys.rows.length > 100, `only ${keys.rows.length} fields in the log`);
    const unnamed = keys.rows.map((r) => r.k).filter((k) => fieldWords(k) === undefined);
    assert.deepEqual(unnamed.sort(), [], 'fields of the audit without words (src/audit/audit-fields.ts)');
    // the supervisor reads the clerk's edit in words
    const page = await get('supervisor', `/api/v1/audit?entityType=person&entityId=${person.id}&pageSize=1`);
    assert.equal(page.statusCode, 200, page.body);
    const [edit] = page.json<{
      items: Array<{ changes: Array<{ field: string; name: { zh: string } | null; technical: boolean }> }>;
    }>().items;
    assert.deepEqual(
      edit?.changes.map((c) => [c.name?.zh, c.technical]),
      [
        ['手机号码', false],
        ['地址', false],
        ['版本', true],
      ],
    );
  });
});
