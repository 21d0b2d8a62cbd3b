// Issue 17 part 2: findings → cases → recovery. Triage (dismiss with a reason, or open a case once),
// the case's investigation and four-eyes decision (fine 2–5× per 社会保险法 Art. 87/88, a repayment plan
// or an offset against the pension), the recovery collected through the pension's own collections
// (ledger verifies), the one recovery list, seeded campaigns, the dashboard, and the attacks: another
// region's supervisor, a clerk, a citizen, an anonymous caller; amounts and dates from the client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { fixToday } from '../core/clock.ts';
import { int } from '../db/values.ts';
import { makePerson } from '../testing/factories.ts';
import { listAwards, seedPensioners } from '../testing/pension-fixtures.ts';
import { callAs, errorCode } from '../testing/requests.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { makeUser } from '../testing/users.ts';
import { fraudFine, repaymentPlan } from './case.rules.ts';
import type { Dashboard } from './dashboard.service.ts';

const OTHER_REGION = '340100';

describe('supervision cases and recovery', () => {
  let t: TestApp;
  const as: Record<string, LoginResult> = {};
  let pensioner = { personId: 0, awardId: 0, monthlyFen: 0 };
  let second = { personId: 0, awardId: 0, monthlyFen: 0 };
  let findingA = 0;
  let findingB = 0;
  let findingC = 0;
  let caseA = 0;

  const call = callAs(() => t.app, as);
  const code = errorCode;
  const plant = async (personId: number, detector: string, amountFen: number, fp: string) => {
    const r = await sql<{ id: number }>`
      INSERT INTO supervision_finding (detector, region, fingerprint, person_id, period_from, period_to,
        amount_at_risk_fen, evidence, summary_zh, summary_en, found_on)
      VALUES (${detector}, ${TEST_REGION}, ${fp}, ${personId}, '2026-01', '2026-02', ${amountFen},
        ${JSON.stringify({ planted: true })}::jsonb, '死亡后仍领取养老金', 'pension paid after death', '2026-03-10')
      RETURNING id`.execute(t.ctx.db);
    return int(r.rows[0]?.id);
  };
  const decision = (over: Record<string, unknown> = {}) => ({
    version: 1,
    fraud: true,
    overpaidFen: 1_200_000,
    fineMultiplierPct: 300,
    fund: 'employee_pension',
    plan: { kind: 'instalments', count: 3, firstDueDate: '2026-04-30' },
    reasoning: '家属隐瞒死亡继续领取养老金，依社会保险法第八十八条处理',
    ...over,
  });
  /** Byte for byte the unknown id's answer, which repeats neither id asked for. */
  const assertSameUnknown = (theirs: string, unknown: string, ids: number[]) => {
    assert.equal(theirs, unknown, 'the same answer as for an unknown id');
    for (const id of ids) assert.ok(!theirs.includes(String(id)), `${theirs} repeats ${id}`);
  };
  /** Another city's supervisor reads, annotates and decides `caseId` as if no such case existed. */
  const assertLooksUnknown = async (caseId: number) => {
    const unknown = caseId + 100_000;
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['POST', '/notes', { kind: 'note', text: '篡改' }],
      ['POST', '/decision', decision()],
    ] as const) {
      const ask = (id: number) =>
        call('other-supervisor', method, `/api/v1/supervision/cases/${id}${path}`, body);
      const theirs = await ask(caseId);
      assert.equal(theirs.statusCode, 404, `${path}: ${theirs.body}`);
      assertSameUnknown(theirs.body, (await ask(unknown)).body, [caseId, unknown]);
    }
  };
  const version = async (findingId: number) =>
    int(
      (
        await sql<{
          version: number;
        }>`SELECT version FROM supervision_finding WHERE id = ${findingId}`.execute(t.ctx.db)
      ).rows[0]?.version,
    );

  before(async () => {
    fixToday('2026-03-15');
    t = await makeTestApp();
    await seedPensioners(t.ctx.db, { count: 2, region: TEST_REGION, startPeriod: '2026-01' });
    const [a, b] = await listAwards(t.ctx.db);
    if (!a || !b) throw new Error('no awards');
    pensioner = a;
    second = b;
    // a supervisor of another city (合肥), linked to a person of their own
    const p = await makePerson(t.ctx.db, {
      id_number: '340102198001010018',
      name: '外市监督员',
      birth_date: '1980-01-01',
    });
    await makeUser(t.ctx.db, 'other-supervisor', {
      displayName: 'other',
      role: 'supervisor',
      personId: p.id,
      region: OTHER_REGION,
    });
    // a clerk of the province, who registers a move from one of its cities to another
    const q = await makePerson(t.ctx.db, { name: '省经办员' });
    await makeUser(t.ctx.db, 'province-clerk', { role: 'clerk', personId: q.id, region: '340000' });
    for (const u of ['supervisor', 'other-supervisor', 'province-clerk', 'clerk', 'reviewer', 'citizen'])
      as[u] = await t.login(u);
    findingA = await plant(pensioner.personId, 'pension_after_death', 1_200_000, 'test:a');
    findingB = await plant(second.personId, 'double_pension', 300_000, 'test:b');
    findingC = await plant(second.personId, 'pension_after_death', 50_000, 'test:c');
  });
  after(async () => {
    fixToday(null);
    await t.close();
  });

  test('the fine is the decided multiple of the amount, within 2–5× (社会保险法 Art. 88); no fine without fraud', () => {
    const input = {
      overpaidFen: 1_000_001,
      fraud: true,
      multiplierPct: 250,
      region: TEST_REGION,
      decidedOn: '2026-03-15',
    };
    assert.equal(fraudFine(input, t.ctx.params), 2_500_003); // 1,000,001 × 2.5 = 2,500,002.5 → half up
    assert.throws(() => fraudFine({ ...input, multiplierPct: 199 }, t.ctx.params), {
      code: 'SB_ERR_OUT_OF_RANGE',
    });
    assert.throws(() => fraudFine({ ...input, multiplierPct: 501 }, t.ctx.params), {
      code: 'SB_ERR_OUT_OF_RANGE',
    });
    assert.equal(fraudFine({ ...input, fraud: false, multiplierPct: null }, t.ctx.params), 0);
    assert.throws(() => fraudFine({ ...input, fraud: false, multiplierPct: 300 }, t.ctx.params), {
      code: 'SB_ERR_VALIDATION',
    });
  });

  test('a plan of 3 instalments of 1,000.01 yuan puts the odd fen first; an offset of 400 a month ends with the rest', () => {
    assert.deepEqual(
      repaymentPlan(100_001, { kind: 'instalments', count: 3, firstDueDate: '2026-04-30' }).map((i) => [
        i.dueDate,
        i.amountFen,
      ]),
      [
        ['2026-04-30', 33_334],
        ['2026-05-30', 33_334],
        ['2026-06-30', 33_333],
      ],
    );
    assert.deepEqual(
      repaymentPlan(100_000, { kind: 'offset', monthlyFen: 40_000, firstPeriod: '2026-04' }).map((i) => [
        i.period,
        i.amountFen,
      ]),
      [
        ['2026-04', 40_000],
        ['2026-05', 40_000],
        ['2026-06', 20_000],
      ],
    );
  });

  test('no one but the region’s supervisor may triage: anonymous 401, citizen and clerk 403, another city’s supervisor the unknown id’s 404', async () => {
    const v = await version(findingA);
    const body = { version: v };
    assert.equal(
      (await call(null, 'POST', `/api/v1/supervision/findings/${findingA}/case`, body)).statusCode,
      401,
    );
    for (const who of ['citizen', 'clerk', 'reviewer']) {
      const r = await call(who, 'POST', `/api/v1/supervision/findings/${findingA}/case`, body);
      assert.equal(r.statusCode, 403, `${who}: ${r.body}`);
      const d = await call(who, 'POST', `/api/v1/supervision/findings/${findingA}/dismiss`, {
        ...body,
        reason: '无',
      });
      assert.equal(d.statusCode, 403, who);
    }
    const unknown = findingA + 100_000;
    for (const [path, extra] of [
      ['case', {}],
      ['dismiss', { reason: '越权排除' }],
    ] as const) {
      const ask = (id: number) =>
        call('other-supervisor', 'POST', `/api/v1/supervision/findings/${id}/${path}`, { ...body, ...extra });
      const other = await ask(findingA);
      assert.equal(other.statusCode, 404, other.body);
      assertSameUnknown(other.body, (await ask(unknown)).body, [findingA, unknown]);
    }
    assert.equal(await version(findingA), v, 'nothing changed');
  });

  test('dismissing needs a reason and the version seen; once dismissed it cannot be dismissed or opened again', async () => {
    const v = await version(findingC);
    const blank = await call('supervisor', 'POST', `/api/v1/supervision/findings/${findingC}/dismiss`, {
      version: v,
      reason: ' ',
    });
    assert.equal(blank.statusCode, 400);
    const staleV = await call('supervisor', 'POST', `/api/v1/supervision/findings/${findingC}/dismiss`, {
      version: v + 1,
      reason: '已核实为系统录入错误',
    });
    assert.equal(staleV.statusCode, 409);
    const ok = await call('supervisor', 'POST', `/api/v1/supervision/findings/${findingC}/dismiss`, {
      version: v,
      reason: '已核实为系统录入错误',
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { findingId: findingC, status: 'dismissed', version: v + 1 });
    const again = await call('supervisor', 'POST', `/api/v1/supervision/findings/${findingC}/case`, {
      version: v + 1,
    });
    assert.equal(again.statusCode, 409);
    const audit = await sql<{ reason: string; actor_username: string }>`
      SELECT reason, actor_username FROM audit_log WHERE action = 'supervision.finding.dismiss' AND entity_id = ${String(findingC)}`.execute(
      t.ctx.db,
    );
    assert.deepEqual(audit.rows, [{ reason: '已核实为系统录入错误', actor_username: 'supervisor' }]);
  });

  test('a case is opened once per finding: the second attempt (also at the new version) answers SB_ERR_DUPLICATE', async () => {
    const v = await version(findingA);
    const r = await call('supervisor', 'POST', `/api/v1/supervision/findings/${findingA}/case`, {
      version: v,
      note: '死亡数据比对命中，调取殡葬记录',
    });
    assert.equal(r.statusCode, 200, r.body);
    caseA = r.json<{ caseId: number }>().caseId;
    for (const version of [v, v + 1]) {
      const twice = await call('supervisor', 'POST', `/api/v1/supervision/findings/${findingA}/case`, {
        version,
      });
      assert.equal(twice.statusCode, 409);
      assert.equal(code(twice), 'SB_ERR_DUPLICATE');
    }
    const n = await sql<{
      n: unknown;
    }>`SELECT count(*) AS n FROM supervision_case WHERE finding_id = ${findingA}`.execute(t.ctx.db);
    assert.equal(int(n.rows[0]?.n), 1);
  });

  test('the case is the region supervisor’s alone to read and change; another city’s supervisor gets the unknown id’s 404', async () => {
    const url = `/api/v1/supervision/cases/${caseA}`;
    assert.equal((await call(null, 'GET', url)).statusCode, 401);
    for (const who of ['citizen', 'clerk', 'reviewer'])
      assert.equal((await call(who, 'GET', url)).statusCode, 403, who);
    assert.equal(
      (await call('clerk', 'POST', `${url}/notes`, { kind: 'note', text: '篡改' })).statusCode,
      403,
    );
    await assertLooksUnknown(caseA);
    const list = await call('other-supervisor', 'GET', '/api/v1/supervision/cases');
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json(), [], 'another city sees none of ours');
    const mine = await call('supervisor', 'GET', '/api/v1/supervision/cases');
    assert.deepEqual(
      mine.json<Array<{ id: number }>>().map((c) => c.id),
      [caseA],
    );
  });

  test('investigation: notes and evidence references are kept in order', async () => {
    // Staff read a note's author by display name, not by the login's username.
    await sql`UPDATE app_user SET display_name = '杨萍' WHERE username = 'supervisor'`.execute(t.ctx.db);
    const url = `/api/v1/supervision/cases/${caseA}/notes`;
    const added = await call('supervisor', 'POST', url, {
      kind: 'evidence',
      text: '火化证明',
      ref: '皖宣殡〔2026〕112号',
    });
    assert.equal(added.statusCode, 200, added.body);
    const extra = await call('supervisor', 'POST', url, { kind: 'note', text: 'x', extra: 1 });
    assert.equal(extra.statusCode, 400);
    const c = (await call('supervisor', 'GET', `/api/v1/supervision/cases/${caseA}`)).json<{
      notes: Array<{ kind: string; text: string; ref: string | null; createdByName: string | null }>;
      status: string;
      finding: { id: number };
    }>();
    assert.deepEqual(
      c.notes.map((n) => n.createdByName),
      ['杨萍', '杨萍'],
    );
    assert.equal(c.status, 'investigating');
    assert.equal(c.finding.id, findingA);
    assert.deepEqual(
      c.notes.map((n) => [n.kind, n.text, n.ref]),
      [
        ['note', '死亡数据比对命中，调取殡葬记录', null],
        ['evidence', '火化证明', '皖宣殡〔2026〕112号'],
      ],
    );
  });

  test('decisions from the client are checked: multiple outside 2–5×, a fine without fraud, dates in the past, an offset above the pension, negative amounts, a stale version', async () => {
    const url = `/api/v1/supervision/cases/${caseA}/decision`;
    const cases: Array<[Record<string, unknown>, number, string?]> = [
      [{ fineMultiplierPct: 150 }, 400, 'SB_ERR_OUT_OF_RANGE'],
      [{ fineMultiplierPct: 600 }, 400, 'SB_ERR_OUT_OF_RANGE'],
      [{ fraud: false }, 400, 'SB_ERR_VALIDATION'],
      [{ plan: { kind: 'lump', dueDate: '2026-03-14' } }, 400, 'SB_ERR_INVALID_DATE'],
      [{ plan: { kind: 'lump', dueDate: '2026-02-30' } }, 400],
      [
        { plan: { kind: 'offset', monthlyFen: pensioner.monthlyFen + 1, firstPeriod: '2026-04' } },
        400,
        'SB_ERR_OUT_OF_RANGE',
      ],
      [{ plan: { kind: 'offset', monthlyFen: 1_000, firstPeriod: '2026-03' } }, 400, 'SB_ERR_OUT_OF_RANGE'],
      [{ overpaidFen: -1 }, 400],
      [{ overpaidFen: 1.5 }, 400],
      [{ version: 2 }, 409, 'SB_ERR_CONFLICT'],
      [{ fund: null }, 400, 'SB_ERR_REQUIRED'],
    ];
    for (const [over, status, c] of cases) {
      const r = await call('supervisor', 'POST', url, decision(over));
      assert.equal(r.statusCode, status, `${JSON.stringify(over)}: ${r.body}`);
      if (c) assert.equal(code(r), c, JSON.stringify(over));
    }
    assert.equal((await call('clerk', 'POST', url, decision())).statusCode, 403);
  });

  test('the decision waits for a reviewer (not the supervisor); released, it opens the recovery through the pension, books the receivable, fixes the fine at 3× and the plan', async () => {
    const r = await call('supervisor', 'POST', `/api/v1/supervision/cases/${caseA}/decision`, decision());
    assert.equal(r.statusCode, 200, r.body);
    const approval = r.json<{ id: number; status: string; summary: { fineFen: number } }>();
    assert.equal(approval.status, 'prepared');
    assert.equal(approval.summary.fineFen, 3_600_000);
    const twice = await call('supervisor', 'POST', `/api/v1/supervision/cases/${caseA}/decision`, decision());
    assert.equal(twice.statusCode, 409, 'one decision waits at a time');
    assert.equal(
      (await call('supervisor', 'POST', `/api/v1/approvals/${approval.id}/release`, {})).statusCode,
      403,
    );
    const pending = (await call('supervisor', 'GET', `/api/v1/supervision/cases/${caseA}`)).json<{
      pendingApprovalId: number | null;
      status: string;
    }>();
    assert.deepEqual(pending, { ...pending, pendingApprovalId: approval.id, status: 'investigating' });
    const ok = await call('reviewer', 'POST', `/api/v1/approvals/${approval.id}/release`, {});
    assert.equal(ok.statusCode, 200, ok.body);
    const c = (await call('supervisor', 'GET', `/api/v1/supervision/cases/${caseA}`)).json<{
      status: string;
      decision: {
        fineFen: number;
        fineMultiplierPct: number;
        overpaidFen: number;
        decidedBy: string;
        decidedByName: string;
      };
      recovery: { recoveryCaseId: number; amountFen: number; recoveredFen: number; awardId: number };
      plan: Array<{ dueDate: string; amountFen: number; status: string }>;
    }>();
    assert.equal(c.status, 'recovering');
    assert.equal(c.decision.fineFen, 3_600_000);
    assert.equal(c.decision.decidedBy, 'supervisor', 'decided with the maker’s authority');
    assert.equal(c.decision.decidedByName, '杨萍', 'shown by the decider’s display name');
    assert.deepEqual(c.recovery, {
      recoveryCaseId: c.recovery.recoveryCaseId,
      amountFen: 1_200_000,
      recoveredFen: 0,
      status: 'open',
      awardId: pensioner.awardId,
    });
    assert.deepEqual(
      c.plan.map((p) => [p.dueDate, p.amountFen, p.status]),
      [
        ['2026-04-30', 400_000, 'open'],
        ['2026-05-30', 400_000, 'open'],
        ['2026-06-30', 400_000, 'open'],
      ],
    );
    const entry = await sql<{ account_code: string; debit_fen: unknown; credit_fen: unknown }>`
      SELECT l.account_code, l.debit_fen, l.credit_fen FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
      WHERE e.idempotency_key = ${`recovery:${c.recovery.recoveryCaseId}`} ORDER BY l.line_no`.execute(
      t.ctx.db,
    );
    assert.deepEqual(
      entry.rows.map((x) => [x.account_code, int(x.debit_fen), int(x.credit_fen)]),
      [
        ['1301', 1_200_000, 0],
        ['5001', 0, 1_200_000],
      ],
    );
    const audit = await sql<{ n: unknown }>`
      SELECT count(*) AS n FROM audit_log WHERE action = 'supervision.case.decide' AND entity_id = ${String(caseA)}`.execute(
      t.ctx.db,
    );
    assert.equal(int(audit.rows[0]?.n), 1);
  });

  test("a decision and an approval saved before steps said their unit answer with the old rule's units", async () => {
    // both were sent as they were stored, and the page filled the units in: now every read goes through storedTrace
    const saved = [
      { step: 'fine amount = overpaid × multiple', value: 3_600_000 },
      { step: 'fine multiple percent', value: 300 },
      { step: 'allowance paid by', value: 'employer' },
      { step: 'fraud', value: true, unit: 'boolean' },
    ];
    const units = ['fen', 'number', 'code:injury.payer', 'boolean'];
    await sql`UPDATE supervision_case SET decision = jsonb_set(decision, '{trace}', ${JSON.stringify(saved)}::jsonb)
      WHERE id = ${caseA}`.execute(t.ctx.db);
    const c = (await call('supervisor', 'GET', `/api/v1/supervision/cases/${caseA}`)).json<{
      decision: { trace: Array<{ unit?: string }> };
    }>();
    assert.deepEqual(
      c.decision.trace.map((x) => x.unit),
      units,
    );
    const a = await sql<{
      id: number;
    }>`SELECT id FROM approval WHERE kind = 'supervision.decide' ORDER BY id LIMIT 1`.execute(t.ctx.db);
    const id = a.rows[0]!.id;
    await sql`UPDATE approval SET payload = jsonb_set(payload, '{trace}', ${JSON.stringify(saved)}::jsonb) WHERE id = ${id}`.execute(
      t.ctx.db,
    );
    const r = await call('reviewer', 'GET', `/api/v1/approvals/${id}`);
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(
      r.json<{ payload: { trace: Array<{ unit?: string }> } }>().payload.trace.map((x) => x.unit),
      units,
    );
  });

  test('a clerk collects the first instalment through the pension’s collections, a reviewer releases it: the plan shows it paid, the list shows it recovered, the ledger verifies', async () => {
    const c0 = (await call('supervisor', 'GET', `/api/v1/supervision/cases/${caseA}`)).json<{
      recovery: { recoveryCaseId: number };
    }>();
    const rc = c0.recovery.recoveryCaseId;
    const r = await call('clerk', 'POST', `/api/v1/pension/recovery-cases/${rc}/collections`, {
      kind: 'repayment',
      amountFen: 400_000,
      receivedDate: '2026-03-14',
      bankRef: 'SV20260314001',
    });
    assert.equal(r.statusCode, 200, r.body);
    const rel = await call(
      'reviewer',
      'POST',
      `/api/v1/approvals/${r.json<{ id: number }>().id}/release`,
      {},
    );
    assert.equal(rel.statusCode, 200, rel.body);
    const c = (await call('supervisor', 'GET', `/api/v1/supervision/cases/${caseA}`)).json<{
      plan: Array<{ status: string }>;
      collections: Array<{ kind: string; amountFen: number; status: string }>;
      recovery: { recoveredFen: number };
    }>();
    assert.deepEqual(
      c.plan.map((p) => p.status),
      ['paid', 'open', 'open'],
    );
    assert.deepEqual(
      c.collections.map((x) => [x.kind, x.amountFen, x.status]),
      [['repayment', 400_000, 'recorded']],
    );
    assert.equal(c.recovery.recoveredFen, 400_000);
    const v = await call('supervisor', 'GET', '/api/v1/ledger/verify');
    assert.equal(v.statusCode, 200, v.body);
    assert.equal(v.json<{ ok: boolean }>().ok, true, v.body);
  });

  test('an offset plan against the pension: released, the clerk schedules the month through the pension’s offset', async () => {
    const open = await call('supervisor', 'POST', `/api/v1/supervision/findings/${findingB}/case`, {
      version: await version(findingB),
    });
    const caseB = open.json<{ caseId: number }>().caseId;
    const r = await call('supervisor', 'POST', `/api/v1/supervision/cases/${caseB}/decision`, {
      version: 1,
      fraud: false,
      overpaidFen: 300_000,
      fineMultiplierPct: null,
      fund: 'employee_pension',
      plan: { kind: 'offset', monthlyFen: 100_000, firstPeriod: '2026-04' },
      reasoning: '重复领取养老金，非主观故意，从今后养老金中抵扣',
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(
      (await call('reviewer', 'POST', `/api/v1/approvals/${r.json<{ id: number }>().id}/release`, {}))
        .statusCode,
      200,
    );
    const c = (await call('supervisor', 'GET', `/api/v1/supervision/cases/${caseB}`)).json<{
      decision: { fineFen: number };
      recovery: { recoveryCaseId: number; awardId: number };
      plan: Array<{ period: string; amountFen: number }>;
    }>();
    assert.equal(c.decision.fineFen, 0);
    assert.equal(c.recovery.awardId, second.awardId);
    assert.deepEqual(
      c.plan.map((p) => [p.period, p.amountFen]),
      [
        ['2026-04', 100_000],
        ['2026-05', 100_000],
        ['2026-06', 100_000],
      ],
    );
    const off = await call(
      'clerk',
      'POST',
      `/api/v1/pension/recovery-cases/${c.recovery.recoveryCaseId}/collections`,
      {
        kind: 'offset',
        amountFen: 100_000,
        period: '2026-04',
      },
    );
    assert.equal(off.statusCode, 200, off.body);
    assert.equal(
      (await call('reviewer', 'POST', `/api/v1/approvals/${off.json<{ id: number }>().id}/release`, {}))
        .statusCode,
      200,
    );
    const after = (await call('supervisor', 'GET', `/api/v1/supervision/cases/${caseB}`)).json<{
      collections: Array<{ kind: string; period: string; status: string }>;
    }>();
    assert.deepEqual(
      after.collections.map((x) => [x.kind, x.period, x.status]),
      [['offset', '2026-04', 'scheduled']],
    );
  });

  test('one recovery list: the pension’s, the unemployment fund’s and the supervision’s recoveries, by source and status; staff of the region only', async () => {
    // a recovery the pension capability opened itself (a death it processed)
    await t.ctx.db.transaction().execute(async (tx) => {
      const { AwardService } = await import('../pension/award.service.ts');
      const { systemActor } = await import('../auth/actor.ts');
      await new AwardService(tx).openRecoveryCase(systemActor('test'), {
        personId: pensioner.personId,
        awardId: pensioner.awardId,
        region: TEST_REGION,
        reason: 'death',
        fromPeriod: '2026-02',
        toPeriod: '2026-02',
        amountFen: 5_000,
        idempotencyKey: 'test:death',
      });
      await new AwardService(tx).openRecoveryCase(systemActor('test'), {
        personId: second.personId,
        awardId: null,
        region: TEST_REGION,
        reason: 'ineligible',
        fromPeriod: '2026-02',
        toPeriod: '2026-02',
        amountFen: 7_000,
        idempotencyKey: 'test:unemployment',
        detail: { claimId: 1, event: 'reemployment' },
        fund: 'unemployment',
      });
    });
    const all = await call('clerk', 'GET', '/api/v1/supervision/recoveries?sort=owed');
    assert.equal(all.statusCode, 200, all.body);
    const body = all.json<{
      items: Array<{
        source: string;
        amountFen: number;
        recoveredFen: number;
        outstandingFen: number;
        fineFen: number;
        supervisionCaseId: number | null;
      }>;
      total: number;
      totals: { amountFen: number; recoveredFen: number; fineFen: number };
    }>();
    assert.deepEqual(
      body.items.map((i) => [i.source, i.amountFen, i.recoveredFen, i.outstandingFen]),
      [
        ['supervision', 1_200_000, 400_000, 800_000],
        ['supervision', 300_000, 0, 300_000],
        ['unemployment', 7_000, 0, 7_000],
        ['pension', 5_000, 0, 5_000],
      ],
    );
    assert.equal(body.items[0]?.supervisionCaseId, caseA);
    assert.equal(body.items[0]?.fineFen, 3_600_000);
    assert.deepEqual(body.totals, {
      amountFen: 1_512_000,
      recoveredFen: 400_000,
      outstandingFen: 1_112_000,
      fineFen: 3_600_000,
    });
    const onlySup = await call(
      'supervisor',
      'GET',
      '/api/v1/supervision/recoveries?source=supervision&minOwedFen=500000',
    );
    assert.deepEqual(
      onlySup.json<{ items: Array<{ amountFen: number }> }>().items.map((i) => i.amountFen),
      [1_200_000],
    );
    assert.equal((await call('citizen', 'GET', '/api/v1/supervision/recoveries')).statusCode, 403);
    assert.equal((await call(null, 'GET', '/api/v1/supervision/recoveries')).statusCode, 401);
    assert.equal(
      (await call('other-supervisor', 'GET', `/api/v1/supervision/recoveries?region=${TEST_REGION}`))
        .statusCode,
      403,
    );
    assert.equal(
      (await call('other-supervisor', 'GET', '/api/v1/supervision/recoveries')).json<{ total: number }>()
        .total,
      0,
    );
    assert.equal(
      (await call('clerk', 'GET', '/api/v1/supervision/recoveries?minOwedFen=-5')).statusCode,
      400,
    );
  });

  test('a campaign draws a reproducible sample: the same seed the same persons, another seed another order; the worklist is checked once per version; another city’s supervisor gets the unknown id’s 404', async () => {
    const mk = (seed: string, sampleSize = 3) =>
      call('supervisor', 'POST', '/api/v1/supervision/campaigns', {
        name: `养老金领取资格专项检查 ${seed}`,
        population: 'person',
        filter: 'pensioners',
        sampleSize,
        seed,
      });
    const a = await mk('2026-q1');
    assert.equal(a.statusCode, 200, a.body);
    const ca = a.json<{ id: number; candidates: number; progress: { todo: number } }>();
    assert.equal(ca.candidates, 2, 'the two pensioners');
    assert.equal(ca.progress.todo, 2, 'a sample no larger than the population');
    const b = (await mk('2026-q1')).json<{ id: number }>();
    const items = async (id: number) =>
      (await call('supervisor', 'GET', `/api/v1/supervision/campaigns/${id}`)).json<{
        items: Array<{ personId: number; version: number; seq: number }>;
      }>().items;
    assert.deepEqual(
      (await items(ca.id)).map((i) => i.personId),
      (await items(b.id)).map((i) => i.personId),
    );
    // over a larger population, different seeds give different samples
    const everyone = async (seed: string) =>
      (
        await call('supervisor', 'POST', '/api/v1/supervision/campaigns', {
          name: 'x',
          population: 'person',
          sampleSize: 3,
          seed,
        })
      ).json<{ id: number; candidates: number }>();
    const s1 = await everyone('s1');
    const s2 = await everyone('s2');
    assert.ok(s1.candidates >= 7, String(s1.candidates));
    const p1 = (await items(s1.id)).map((i) => i.personId);
    const p2 = (await items(s2.id)).map((i) => i.personId);
    assert.equal(p1.length, 3);
    assert.notDeepEqual(p1, p2);
    const byDetector = await call('supervisor', 'POST', '/api/v1/supervision/campaigns', {
      name: '死亡冒领',
      population: 'person',
      detectors: ['pension_after_death'],
      sampleSize: 10,
      seed: 'x',
    });
    assert.equal(
      byDetector.json<{ candidates: number }>().candidates,
      1,
      'the dismissed finding is out of scope',
    );
    const first = (await items(ca.id))[0];
    if (!first) throw new Error('empty');
    const url = `/api/v1/supervision/campaigns/${ca.id}/items/${first.seq}`;
    assert.equal(
      (await call('supervisor', 'POST', url, { status: 'flagged', version: first.version })).statusCode,
      400,
    );
    const ok = await call('supervisor', 'POST', url, {
      status: 'flagged',
      note: '入户核查未见本人',
      version: first.version,
    });
    assert.equal(ok.statusCode, 200, ok.body);
    // who checked, by name as the other pages show staff (the page showed the login "supervisor")
    await sql`UPDATE app_user SET display_name = '汪建华' WHERE username = 'supervisor'`.execute(t.ctx.db);
    const checkedItem = (await call('supervisor', 'GET', `/api/v1/supervision/campaigns/${ca.id}`)).json<{
      items: Array<{ seq: number; checkedBy: string; checkedByName: string }>;
    }>().items[0];
    assert.deepEqual([checkedItem?.checkedBy, checkedItem?.checkedByName], ['supervisor', '汪建华']);
    await sql`UPDATE app_user SET display_name = 'supervisor' WHERE username = 'supervisor'`.execute(
      t.ctx.db,
    );
    assert.equal(
      (await call('supervisor', 'POST', url, { status: 'clear', version: first.version })).statusCode,
      409,
    );
    assert.equal((await call('clerk', 'GET', `/api/v1/supervision/campaigns/${ca.id}`)).statusCode, 403);
    const campaign = (id: number) => call('other-supervisor', 'GET', `/api/v1/supervision/campaigns/${id}`);
    const theirs = await campaign(ca.id);
    assert.equal(theirs.statusCode, 404, theirs.body);
    assertSameUnknown(theirs.body, (await campaign(ca.id + 100_000)).body, [ca.id, ca.id + 100_000]);
    const check = (id: number) =>
      call('other-supervisor', 'POST', `/api/v1/supervision/campaigns/${id}/items/1`, {
        status: 'clear',
        version: 1,
      });
    const checked = await check(ca.id);
    assert.equal(checked.statusCode, 404, checked.body);
    assertSameUnknown(checked.body, (await check(ca.id + 100_000)).body, [ca.id, ca.id + 100_000]);
    assert.equal(
      (
        await call('supervisor', 'POST', '/api/v1/supervision/campaigns', {
          name: 'x',
          population: 'person',
          sampleSize: 0,
          seed: 'x',
        })
      ).statusCode,
      400,
    );
  });

  test('the dashboard counts findings by detector and region, amounts at risk, decided, fined and recovered', async () => {
    const r = await call('supervisor', 'GET', '/api/v1/supervision/dashboard?months=6');
    assert.equal(r.statusCode, 200, r.body);
    const d = r.json<Dashboard>();
    for (const x of d.byDetector)
      assert.ok(d.detectorTitles[x.detector]?.zh, `${x.detector} has a name for people`);
    assert.deepEqual(d.byDetector, [
      { detector: 'double_pension', open: 0, dismissed: 0, cases: 1, amountAtRiskFen: 300_000 },
      { detector: 'pension_after_death', open: 0, dismissed: 1, cases: 1, amountAtRiskFen: 1_200_000 },
    ]);
    assert.deepEqual(
      d.byRegion.map((x) => [x.region, x.findings]),
      [[TEST_REGION, 3]],
    );
    assert.deepEqual(
      d.byMonth.map((x) => [x.period, x.findings]),
      [
        ['2026-03', 1],
        ['2026-03', 2],
      ],
    );
    assert.deepEqual(d.recoveredByMonth, [{ period: '2026-03', recoveredFen: 400_000 }]);
    assert.deepEqual(
      { ...d.totals },
      {
        findings: 3,
        openFindings: 0,
        amountAtRiskFen: 1_500_000,
        cases: 2,
        decidedFen: 1_500_000,
        fineFen: 3_600_000,
        recoveredFen: 400_000,
      },
    );
    assert.equal((await call('clerk', 'GET', '/api/v1/supervision/dashboard')).statusCode, 403);
    assert.equal(
      (await call('other-supervisor', 'GET', `/api/v1/supervision/dashboard?region=${TEST_REGION}`))
        .statusCode,
      403,
    );
  });

  // A case belongs to the region that opened it, not to the one the person lives in today: the
  // finding, the evidence and the money to recover are that region's fund's (docs/supervision.md,
  // "A person who moves"). So its supervisor keeps the case, and the new city's supervisor, who has
  // no say over another city's fund, sees nothing of it.
  test('a pensioner who moves to another city stays the opening region’s case: its supervisor reads, notes and decides it; the new city’s supervisor gets the unknown id’s 404', async () => {
    await seedPensioners(t.ctx.db, { count: 1, region: TEST_REGION, startPeriod: '2026-01', offset: 10 });
    const moved = (await listAwards(t.ctx.db)).at(-1);
    if (!moved) throw new Error('no award');
    const finding = await plant(moved.personId, 'double_pension', 80_000, 'test:moved');
    const opened = await call('supervisor', 'POST', `/api/v1/supervision/findings/${finding}/case`, {
      version: await version(finding),
    });
    assert.equal(opened.statusCode, 200, opened.body);
    const caseId = opened.json<{ caseId: number }>().caseId;
    const person = await call('province-clerk', 'GET', `/api/v1/persons/${moved.personId}`);
    const move = await call('province-clerk', 'PATCH', `/api/v1/persons/${moved.personId}`, {
      version: person.json<{ version: number }>().version,
      region: OTHER_REGION,
      reason: '迁居合肥',
    });
    assert.equal(move.statusCode, 200, move.body);
    assert.equal(move.json<{ region: string }>().region, OTHER_REGION);

    const url = `/api/v1/supervision/cases/${caseId}`;
    const read = await call('supervisor', 'GET', url);
    assert.equal(read.statusCode, 200, read.body);
    const c = read.json<{ region: string; awards: Array<{ id: number }> }>();
    assert.equal(c.region, TEST_REGION, 'the case keeps the region that opened it');
    assert.deepEqual(
      c.awards.map((a) => a.id),
      [moved.awardId],
      'the pension to offset against',
    );
    const note = await call('supervisor', 'POST', `${url}/notes`, {
      kind: 'note',
      text: '当事人已迁居合肥，函调',
    });
    assert.equal(note.statusCode, 200, note.body);
    const proposed = await call(
      'supervisor',
      'POST',
      `${url}/decision`,
      decision({
        fraud: false,
        overpaidFen: 80_000,
        fineMultiplierPct: null,
        plan: { kind: 'offset', monthlyFen: 40_000, firstPeriod: '2026-04' },
        reasoning: '重复领取养老金，当事人已迁居合肥，从今后养老金中抵扣',
      }),
    );
    assert.equal(proposed.statusCode, 200, proposed.body);
    const released = await call(
      'reviewer',
      'POST',
      `/api/v1/approvals/${proposed.json<{ id: number }>().id}/release`,
      {},
    );
    assert.equal(released.statusCode, 200, released.body);
    const decided = (await call('supervisor', 'GET', url)).json<{
      status: string;
      recovery: { awardId: number; recoveryCaseId: number };
    }>();
    assert.equal(decided.status, 'recovering');
    assert.equal(decided.recovery.awardId, moved.awardId);
    assert.ok(
      (await call('supervisor', 'GET', '/api/v1/supervision/cases'))
        .json<Array<{ id: number }>>()
        .some((x) => x.id === caseId),
    );

    await assertLooksUnknown(caseId);
    assert.deepEqual(
      (await call('other-supervisor', 'GET', '/api/v1/supervision/cases')).json(),
      [],
      'not in the new city’s list',
    );
  });

  test('a case whose person has no pension (an unemployment finding) opens after the move too: the case’s region decides, not an award’s', async () => {
    const p = await makePerson(t.ctx.db, { name: '失业迁出' });
    const finding = await plant(p.id, 'unemployment_while_employed', 30_000, 'test:moved-unemployed');
    const opened = await call('supervisor', 'POST', `/api/v1/supervision/findings/${finding}/case`, {
      version: await version(finding),
    });
    const caseId = opened.json<{ caseId: number }>().caseId;
    const move = await call('province-clerk', 'PATCH', `/api/v1/persons/${p.id}`, {
      version: p.version,
      region: OTHER_REGION,
    });
    assert.equal(move.statusCode, 200, move.body);
    const read = await call('supervisor', 'GET', `/api/v1/supervision/cases/${caseId}`);
    assert.equal(read.statusCode, 200, read.body);
    assert.deepEqual(read.json<{ awards: unknown[] }>().awards, []);
    await assertLooksUnknown(caseId);
  });
});
