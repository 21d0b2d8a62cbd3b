// Work-injury cases on the real app and a real database (issue 13): the report and its deadlines, late
// reports, the worker's 1-year window, documents by content hash with their type read from the bytes,
// acceptance, suspension, recognition released by a reviewer, the decision letter, appraisals on their
// clocks, benefits by grade (fund-paid and posted, employer-owed and shown), the uninsured employer's
// case with the fund's advance and its recovery, the hall events, and the attacks: another employer,
// another citizen, a clerk of another region, a spoofed upload.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixToday } from '../core/clock.ts';
import { verifyLedger } from '../ledger/ledger-verify.repository.ts';
import { makeEmployer, makeEmployment, makeEnrolment, makePerson } from '../testing/factories.ts';
import { makeTestApp, TEST_REGION, type LoginResult, type TestApp } from '../testing/test-app.ts';
import { loginAsNew } from '../testing/users.ts';

let t: TestApp;
let employer: LoginResult;
let employer2: LoginResult;
let citizen: LoginResult;
let citizen2: LoginResult;
let clerk: LoginResult;
let reviewer: LoginResult;
let farClerk: LoginResult;
let workerIdNumber: string;

interface Deadline {
  key: string;
  date: string | null;
  doneOn: string | null;
  overdue: boolean;
}
interface CaseBody {
  id: number;
  status: string;
  lateDays: number;
  overdue: boolean;
  employerInsured: boolean;
  deadlines: Deadline[];
  appraisals: Array<{ id: number; status: string; grade: number | null }>;
  benefits: Array<{ kind: string; payer: string; status: string; amountFen: number; advanced: boolean }>;
  recoveries: Array<{ amountFen: number; status: string; payByDate: string }>;
  documents: Array<{ sha256: string }>;
  pendingApprovalId: number | null;
}

const post = (url: string, who: LoginResult, payload: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url, headers: who.headers, payload });
const get = (url: string, who: LoginResult) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: who.cookieHeader } });
const dl = (c: CaseBody, key: string): Deadline => {
  const d = c.deadlines.find((x) => x.key === key);
  assert.ok(d, `deadline ${key} in ${JSON.stringify(c.deadlines)}`);
  return d;
};

const addUser = (
  username: string,
  role: 'citizen' | 'employer' | 'clerk',
  v: { personId?: number; employerId?: number; region?: string },
) => loginAsNew(t, username, { role, ...v });

/** A worker of the test employer (insured for work injury unless told) and their ID number. */
async function worker(opts: { insured?: boolean; employerId?: number; wage?: number } = {}) {
  const p = await makePerson(t.ctx.db, { birth_date: '1988-05-05' });
  const employerId = opts.employerId ?? t.employerId;
  await makeEmployment(t.ctx.db, {
    person_id: p.id,
    employer_id: employerId,
    start_date: '2024-01-01',
    monthly_wage_fen: opts.wage ?? 600000,
  });
  if (opts.insured !== false)
    await makeEnrolment(t.ctx.db, {
      person_id: p.id,
      scheme: 'injury',
      region: TEST_REGION,
      employer_id: employerId,
      start_date: '2024-01-01',
    });
  return p;
}

/** Reports, accepts, proposes and releases: a recognised case. */
async function recognisedCase(idNumber: string, who: LoginResult = employer): Promise<number> {
  const r = await post('/api/v1/injury/reports', who, {
    idNumber,
    accidentDate: '2026-03-02',
    description: '搬运时摔伤',
  });
  assert.equal(r.statusCode, 201, r.body);
  const id = r.json<CaseBody>().id;
  assert.equal(
    (await post(`/api/v1/injury/cases/${id}/accept`, clerk, { simpleCase: true })).statusCode,
    200,
  );
  const a = await post(`/api/v1/injury/cases/${id}/decision`, clerk, {
    outcome: 'recognised',
    note: '工作时间工作场所内因工作原因受伤',
  });
  assert.equal(a.statusCode, 201, a.body);
  const rel = await post(`/api/v1/approvals/${a.json<{ id: number }>().id}/release`, reviewer);
  assert.equal(rel.statusCode, 200, rel.body);
  return id;
}

async function appraise(id: number, grade: number | null, nursingLevel = 'none'): Promise<CaseBody> {
  const o = await post(`/api/v1/injury/cases/${id}/appraisals`, clerk, {
    kind: 'initial',
    receivedDate: '2026-03-20',
  });
  assert.equal(o.statusCode, 201, o.body);
  const aid = o.json<CaseBody>().appraisals.at(-1)?.id;
  const c = await post(`/api/v1/injury/cases/${id}/appraisals/${aid}/conclusion`, clerk, {
    conclusionDate: '2026-04-10',
    grade,
    nursingLevel,
  });
  assert.equal(c.statusCode, 200, c.body);
  return c.json<CaseBody>();
}

async function decideBenefit(
  id: number,
  body: Record<string, unknown>,
): Promise<{ approvalId: number; benefit: { payer: string; amountFen: number; monthly: boolean } }> {
  const p = await post(`/api/v1/injury/cases/${id}/benefits`, clerk, body);
  assert.equal(p.statusCode, 201, p.body);
  const approvalId = p.json<{ id: number }>().id;
  const rel = await post(`/api/v1/approvals/${approvalId}/release`, reviewer);
  assert.equal(rel.statusCode, 200, rel.body);
  return {
    approvalId,
    benefit: p.json<{ benefit: { payer: string; amountFen: number; monthly: boolean } }>().benefit,
  };
}

before(async () => {
  fixToday('2026-03-10');
  t = await makeTestApp();
  const w = await worker();
  workerIdNumber = w.id_number;
  const other = await makeEmployer(t.ctx.db);
  const otherPerson = await makePerson(t.ctx.db);
  employer = await t.login('employer');
  clerk = await t.login('clerk');
  reviewer = await t.login('reviewer');
  employer2 = await addUser('employer2', 'employer', { employerId: other.id });
  citizen = await addUser('injured1', 'citizen', { personId: w.id });
  citizen2 = await addUser('citizen2', 'citizen', { personId: otherPerson.id });
  const farPerson = await makePerson(t.ctx.db);
  farClerk = await addUser('farclerk', 'clerk', { personId: farPerson.id, region: '340100' });
});
after(async () => {
  fixToday(null);
  await t.close();
});

describe('report and deadlines', () => {
  let caseId: number;

  test('the employer reports: 201 with the case id, status and every deadline from the rule', async () => {
    const r = await post('/api/v1/injury/reports', employer, {
      idNumber: workerIdNumber,
      accidentDate: '2026-03-02',
      description: '搬运货物时摔伤左腿',
    });
    assert.equal(r.statusCode, 201, r.body);
    const c = r.json<CaseBody>();
    caseId = c.id;
    assert.equal(c.status, 'reported');
    assert.equal(c.lateDays, 0);
    assert.equal(c.employerInsured, true);
    assert.equal(dl(c, 'employerDeadline').date, '2026-04-01');
    assert.equal(dl(c, 'workerDeadline').date, '2027-03-02');
    // received Tue 2026-03-10 + 15 = Wed 2026-03-25
    assert.equal(dl(c, 'acceptanceDeadline').date, '2026-03-25');
    assert.equal(dl(c, 'acceptanceDeadline').overdue, false);
  });

  test('the same injury reported twice is refused as a duplicate', async () => {
    const r = await post('/api/v1/injury/reports', employer, {
      idNumber: workerIdNumber,
      accidentDate: '2026-03-02',
      description: '重复',
    });
    assert.equal(r.statusCode, 409, r.body);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_DUPLICATE');
  });

  test('the reporting employer and the worker read the case; another employer and another citizen cannot', async () => {
    assert.equal((await get(`/api/v1/injury/cases/${caseId}`, employer)).statusCode, 200);
    assert.equal((await get(`/api/v1/injury/cases/${caseId}`, citizen)).statusCode, 200);
    const e2 = await get(`/api/v1/injury/cases/${caseId}`, employer2);
    assert.equal(e2.statusCode, 404, e2.body);
    const c2 = await get(`/api/v1/injury/cases/${caseId}`, citizen2);
    assert.equal(c2.statusCode, 404, c2.body);
    assert.equal((await get('/api/v1/injury/cases', employer2)).json<{ total: number }>().total, 0);
    assert.equal((await get('/api/v1/injury/cases', citizen2)).json<{ total: number }>().total, 0);
    assert.equal((await get('/api/v1/injury/cases', citizen)).json<{ total: number }>().total, 1);
  });

  test('another employer cannot report for a worker it does not employ', async () => {
    const r = await post('/api/v1/injury/reports', employer2, {
      idNumber: workerIdNumber,
      accidentDate: '2026-03-03',
      description: 'x',
    });
    assert.equal(r.statusCode, 404, r.body);
  });

  test('the acceptance deadline passes unmet: the case and the queue show it overdue', async () => {
    fixToday('2026-03-26');
    const c = (await get(`/api/v1/injury/cases/${caseId}`, clerk)).json<CaseBody>();
    assert.equal(dl(c, 'acceptanceDeadline').overdue, true);
    assert.equal(c.overdue, true);
    const q = (await get('/api/v1/injury/cases?overdue=true', clerk)).json<{
      items: Array<{ id: number; overdue: boolean }>;
    }>();
    assert.ok(q.items.some((i) => i.id === caseId && i.overdue));
    fixToday('2026-03-10');
  });

  test('accepting starts the 60- and 15-day clocks; a suspension stops them and resumption restarts them', async () => {
    const a = await post(`/api/v1/injury/cases/${caseId}/accept`, clerk, {});
    assert.equal(a.statusCode, 200, a.body);
    let c = a.json<CaseBody>();
    // accepted Tue 2026-03-10: +60 = Sat 2026-05-09, a 调休 Saturday worked (2026 notice) → not moved;
    // +15 = Wed 2026-03-25
    assert.equal(dl(c, 'decisionDeadline').date, '2026-05-09');
    assert.equal(dl(c, 'simpleCaseDeadline').date, '2026-03-25');
    assert.equal(dl(c, 'acceptanceDeadline').doneOn, '2026-03-10');
    // not accepted as simple: the queue's next limit is the decision, not the 15-day simple-case date
    const q = (await get('/api/v1/injury/cases', clerk)).json<{
      items: Array<{ id: number; nextDeadlineKey: string | null }>;
    }>();
    assert.equal(q.items.find((i) => i.id === caseId)?.nextDeadlineKey, 'decisionDeadline');
    fixToday('2026-03-20');
    c = (
      await post(`/api/v1/injury/cases/${caseId}/suspend`, clerk, { reason: '等待劳动仲裁确认劳动关系' })
    ).json<CaseBody>();
    assert.equal(c.status, 'suspended');
    assert.equal(dl(c, 'decisionDeadline').date, null);
    fixToday('2026-04-09');
    c = (await post(`/api/v1/injury/cases/${caseId}/resume`, clerk)).json<CaseBody>();
    assert.equal(c.status, 'accepted');
    // 10 days used (03-11..03-20), 50 left from 04-09 = Fri 2026-05-29
    assert.equal(dl(c, 'decisionDeadline').date, '2026-05-29');
  });

  test('a clerk of another region can neither read, accept nor decide the case', async () => {
    assert.equal((await get(`/api/v1/injury/cases/${caseId}`, farClerk)).statusCode, 404);
    const r = await post(`/api/v1/injury/cases/${caseId}/decision`, farClerk, {
      outcome: 'recognised',
      note: 'x',
    });
    assert.equal(r.statusCode, 404, r.body);
    assert.equal((await get('/api/v1/injury/cases', farClerk)).json<{ total: number }>().total, 0);
  });

  test('an attacker hears of a case out of reach exactly what of a case that does not exist', async () => {
    const anonymous = { headers: {}, cookieHeader: '' } as unknown as LoginResult;
    const probes: Array<[string, string, Record<string, unknown>?]> = [
      ['GET', ''],
      ['GET', '/letter'],
      ['GET', '/documents/1'],
      ['GET', '/rehab'],
      ['GET', '/filings'],
      ['POST', '/accept', {}],
      ['POST', '/decision', { outcome: 'recognised', note: 'x' }],
      ['POST', '/withdraw', { reason: 'x' }],
      ['POST', '/documents', { kind: 'other', filename: 'a.pdf', contentBase64: 'JVBERi0=' }],
    ];
    const ask = (who: LoginResult, id: number, [method, tail, body]: (typeof probes)[number]) =>
      method === 'GET'
        ? get(`/api/v1/injury/cases/${id}${tail}`, who)
        : post(`/api/v1/injury/cases/${id}${tail}`, who, body);
    const answer = (r: { statusCode: number; body: string }) =>
      `${r.statusCode} ${JSON.stringify((JSON.parse(r.body || '{}') as { error?: unknown }).error ?? null)}`;
    for (const [name, who] of Object.entries({ farClerk, citizen2, employer2, anonymous }))
      for (const probe of probes) {
        const real = await ask(who, caseId, probe);
        const none = await ask(who, 999_999, probe);
        assert.notEqual(real.statusCode, 200, `${name} ${probe[1]}`);
        assert.equal(answer(real), answer(none), `${name} ${probe[0]} ${probe[1]}`);
      }
    // …nor by reporting on the worker's ID number (a 403 said the number is registered)
    const report = (idNumber: string, who: LoginResult) =>
      post('/api/v1/injury/reports', who, { idNumber, accidentDate: '2026-03-02', description: 'x' });
    for (const who of [farClerk, citizen2, employer2]) {
      const known = await report(workerIdNumber, who);
      assert.equal(known.statusCode, 404, known.body);
      assert.equal(answer(known), answer(await report('11010519491231002X', who)));
    }
  });

  test('recognition: the clerk proposes, the same clerk cannot release, a reviewer does; the letter is online for both parties', async () => {
    const p = await post(`/api/v1/injury/cases/${caseId}/decision`, clerk, {
      outcome: 'recognised',
      note: '因工作原因受到事故伤害',
    });
    assert.equal(p.statusCode, 201, p.body);
    const approvalId = p.json<{ id: number }>().id;
    assert.equal(
      (await get(`/api/v1/injury/cases/${caseId}`, clerk)).json<CaseBody>().pendingApprovalId,
      approvalId,
    );
    // A second proposal while this one waits is refused and leaves the outcome the reviewer reads alone.
    const second = await post(`/api/v1/injury/cases/${caseId}/decision`, clerk, {
      outcome: 'not_recognised',
      note: '非因工作原因',
    });
    assert.equal(second.statusCode, 409, second.body);
    assert.equal(
      (await get(`/api/v1/injury/cases/${caseId}`, reviewer)).json<{ proposedOutcome: string | null }>()
        .proposedOutcome,
      'recognised',
    );
    assert.equal((await post(`/api/v1/approvals/${approvalId}/release`, clerk)).statusCode, 403);
    const rel = await post(`/api/v1/approvals/${approvalId}/release`, reviewer);
    assert.equal(rel.statusCode, 200, rel.body);
    const c = (await get(`/api/v1/injury/cases/${caseId}`, citizen)).json<CaseBody>();
    assert.equal(c.status, 'recognised');
    assert.equal(dl(c, 'decisionDeadline').overdue, false);
    assert.equal(dl(c, 'deliveryDeadline').doneOn, '2026-04-09');
    for (const who of [employer, citizen]) {
      const l = await get(`/api/v1/injury/cases/${caseId}/letter`, who);
      assert.equal(l.statusCode, 200, l.body);
      const letter = l.json<{ title: string; paragraphs: string[]; issuer: string }>();
      assert.equal(letter.title, '认定工伤决定书');
      // days in words and the office by name, as a letter is written (it said 2026-05-01 and （341800）)
      assert.doesNotMatch(letter.paragraphs.join('\n'), /\d{4}-\d{2}-\d{2}/);
      assert.match(letter.paragraphs.join('\n'), /申请行政复议（至\d{4}年\d{1,2}月\d{1,2}日）/);
      assert.doesNotMatch(letter.issuer, /\d/, letter.issuer);
    }
    assert.equal((await get(`/api/v1/injury/cases/${caseId}/letter`, employer2)).statusCode, 404);
    const events = await t.ctx.db
      .selectFrom('outbox')
      .select('payload')
      .where('topic', '=', 'case.status')
      .execute();
    const mine = events
      .map(
        (e) =>
          (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload) as {
            ref: string;
            status: string;
            service: string;
          },
      )
      .filter((e) => e.ref === `injury_case:${caseId}`);
    assert.deepEqual(
      mine.map((e) => `${e.service}:${e.status}`),
      // the decision ends the recognition application (as approved it stayed open in the work queue)
      ['injury-recognition:submitted', 'injury-recognition:accepted', 'injury-recognition:completed'],
    );
  });

  test('appraisal: grade 5 concluded; re-appraisal only within 15 days; review only after a year', async () => {
    fixToday('2026-04-20');
    const o = await post(`/api/v1/injury/cases/${caseId}/appraisals`, clerk, {
      kind: 'initial',
      receivedDate: '2026-04-13',
    });
    assert.equal(o.statusCode, 201, o.body);
    let c = o.json<CaseBody>();
    // received Mon 2026-04-13 + 60 = Fri 2026-06-12
    assert.equal(dl(c, 'appraisalDeadline').date, '2026-06-12');
    const aid = c.appraisals[0]?.id;
    const k = await post(`/api/v1/injury/cases/${caseId}/appraisals/${aid}/conclusion`, clerk, {
      conclusionDate: '2026-04-20',
      grade: 5,
      nursingLevel: 'none',
    });
    assert.equal(k.statusCode, 200, k.body);
    c = k.json<CaseBody>();
    // 2026-04-20 + 15 = Tue 2026-05-05, the last day of the Labour Day holiday → Wed 2026-05-06
    assert.equal(dl(c, 'reappraisalDeadline').date, '2026-05-06');
    assert.equal(dl(c, 'reviewEarliestDate').date, '2027-04-20');
    fixToday('2026-05-10');
    const late = await post(`/api/v1/injury/cases/${caseId}/appraisals`, clerk, {
      kind: 'reappraisal',
      receivedDate: '2026-05-07',
    });
    assert.equal(late.statusCode, 422, late.body);
    assert.match(late.body, /至2026年5月6日/);
    const early = await post(`/api/v1/injury/cases/${caseId}/appraisals`, clerk, {
      kind: 'review',
      receivedDate: '2026-05-06',
    });
    assert.equal(early.statusCode, 422, early.body);
    assert.doesNotMatch(early.body, /\d{4}-\d{2}-\d{2}/);
  });

  test('grade 5 benefits: the lump sum from the fund, paid and posted; the allowance owed by the employer and shown to it', async () => {
    const lump = await decideBenefit(caseId, { kind: 'disability_lump_sum' });
    // 本人工资 6,000.00 (within 60–300% of the region's average): 18 months = 108,000.00
    assert.equal(lump.benefit.payer, 'fund');
    assert.equal(lump.benefit.amountFen, 10800000);
    const allowance = await decideBenefit(caseId, { kind: 'disability_allowance' });
    assert.equal(allowance.benefit.payer, 'employer');
    assert.equal(allowance.benefit.amountFen, 420000);
    const c = (await get(`/api/v1/injury/cases/${caseId}`, citizen)).json<CaseBody>();
    assert.deepEqual(
      c.benefits.map((b) => [b.kind, b.payer, b.status]),
      [
        ['disability_lump_sum', 'fund', 'paid'],
        ['disability_allowance', 'employer', 'owed_by_employer'],
      ],
    );
    // the worker and the employer are not told staff usernames (half of a staff login); staff are
    type Named = { benefits: Array<{ proposedBy: string | null }>; events: Array<{ actor: string | null }> };
    const seen = (c as unknown as Named).benefits.map((b) => b.proposedBy);
    assert.deepEqual(seen, [null, null], 'the worker');
    const byEmployer = (await get(`/api/v1/injury/cases/${caseId}`, employer)).json<Named>();
    assert.ok(
      byEmployer.events.length > 0 && byEmployer.events.every((e) => e.actor === null),
      'the employer',
    );
    const byClerk = (await get(`/api/v1/injury/cases/${caseId}`, clerk)).json<Named>();
    assert.ok(
      byClerk.benefits.every((b) => b.proposedBy === 'clerk'),
      'staff see who proposed',
    );
    const owed = (await get('/api/v1/injury/owed', employer)).json<{
      monthlyFen: number;
      items: unknown[];
    }>();
    assert.equal(owed.monthlyFen, 420000);
    const entry = await t.ctx.db
      .selectFrom('journal_entry')
      .selectAll()
      .where('kind', '=', 'injury_benefit')
      .execute();
    assert.equal(entry.length, 1);
    assert.equal(entry[0]?.fund, 'injury');
    assert.equal((await verifyLedger(t.ctx.db)).ok, true);
    // a second decision of the same kind is refused
    const again = await post(`/api/v1/injury/cases/${caseId}/benefits`, clerk, {
      kind: 'disability_lump_sum',
    });
    assert.equal(again.statusCode, 409, again.body);
  });
});

describe('late reports and the worker window', () => {
  test('an employer reporting after 30 days is accepted with the late days recorded (their costs fall on it)', async () => {
    fixToday('2026-04-11');
    const w = await worker();
    const r = await post('/api/v1/injury/reports', employer, {
      idNumber: w.id_number,
      accidentDate: '2026-03-02',
      description: '机器夹伤手指',
    });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json<CaseBody>().lateDays, 10);
  });

  test('the worker applies within a year; after it the application is refused', async () => {
    const w = await worker();
    const me = await addUser(`w${w.id}`, 'citizen', { personId: w.id });
    fixToday('2027-03-03');
    const late = await post('/api/v1/injury/reports', me, {
      idNumber: w.id_number,
      accidentDate: '2026-03-02',
      description: '摔伤',
    });
    assert.equal(late.statusCode, 422, late.body);
    assert.equal(late.json<{ error: { code: string } }>().error.code, 'SB_ERR_INJURY_TOO_LATE');
    // says the rule in words, echoes no date (it read 期限至 2027-03-02)
    assert.match(late.body, /已超过事故发生之日起1年的申请期限/);
    assert.doesNotMatch(late.body, /\d{4}-\d{2}-\d{2}/);
    fixToday('2027-03-02');
    const ok = await post('/api/v1/injury/reports', me, {
      idNumber: w.id_number,
      accidentDate: '2026-03-02',
      description: '摔伤',
    });
    assert.equal(ok.statusCode, 201, ok.body);
    // a worker may not apply for someone else
    const other = await post('/api/v1/injury/reports', me, {
      idNumber: workerIdNumber,
      accidentDate: '2026-03-05',
      description: 'x',
    });
    assert.equal(other.statusCode, 404, other.body);
  });
});

describe('documents', () => {
  const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
  const PDF = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
  let caseId: number;

  before(async () => {
    fixToday('2026-03-10');
    const w = await worker();
    caseId = (
      await post('/api/v1/injury/reports', employer, {
        idNumber: w.id_number,
        accidentDate: '2026-03-09',
        description: '烫伤',
      })
    ).json<CaseBody>().id;
  });

  test('a PNG and a PDF are stored by content hash; the same file again is not stored twice', async () => {
    const a = await post(`/api/v1/injury/cases/${caseId}/documents`, employer, {
      kind: 'medical',
      filename: 'x-ray.png',
      mediaType: 'image/png',
      contentBase64: PNG.toString('base64'),
    });
    assert.equal(a.statusCode, 201, a.body);
    assert.match(a.json<{ sha256: string }>().sha256, /^[0-9a-f]{64}$/);
    const b = await post(`/api/v1/injury/cases/${caseId}/documents`, employer, {
      kind: 'accident',
      filename: '事故报告.pdf',
      contentBase64: PDF.toString('base64'),
    });
    assert.equal(b.statusCode, 201, b.body);
    assert.equal(b.json<{ mediaType: string }>().mediaType, 'application/pdf');
    const again = await post(`/api/v1/injury/cases/${caseId}/documents`, employer, {
      kind: 'medical',
      filename: 'x-ray.png',
      contentBase64: PNG.toString('base64'),
    });
    assert.equal(again.json<{ created: boolean }>().created, false);
    const c = (await get(`/api/v1/injury/cases/${caseId}`, employer)).json<CaseBody>();
    assert.equal(c.documents.length, 2);
    const content = await get(
      `/api/v1/injury/cases/${caseId}/documents/${a.json<{ id: number }>().id}`,
      clerk,
    );
    assert.equal(content.statusCode, 200);
    assert.equal(content.headers['content-type'], 'image/png');
    assert.deepEqual(content.rawPayload, PNG);
  });

  test('type spoofing is refused: a PDF declared as PNG, an executable named .pdf, a PNG named .pdf', async () => {
    const cases = [
      { filename: 'photo.png', mediaType: 'image/png', content: PDF },
      {
        filename: 'report.pdf',
        mediaType: 'application/pdf',
        content: Buffer.from('MZ\x90\x00\x03\x00\x00\x00this is a program', 'latin1'),
      },
      { filename: 'report.pdf', content: PNG },
      { filename: 'page.html', content: Buffer.from('<html><script>alert(1)</script></html>') },
    ];
    for (const x of cases) {
      const r = await post(`/api/v1/injury/cases/${caseId}/documents`, employer, {
        kind: 'other',
        filename: x.filename,
        ...(x.mediaType ? { mediaType: x.mediaType } : {}),
        contentBase64: x.content.toString('base64'),
      });
      assert.equal(r.statusCode, 415, `${x.filename}: ${r.body}`);
      assert.equal(r.json<{ error: { code: string } }>().error.code, 'SB_ERR_UNSUPPORTED_FILE');
    }
  });

  test('another employer cannot upload to the case', async () => {
    const r = await post(`/api/v1/injury/cases/${caseId}/documents`, employer2, {
      kind: 'medical',
      filename: 'a.png',
      contentBase64: PNG.toString('base64'),
    });
    assert.equal(r.statusCode, 404, r.body);
  });
});

describe('uninsured employer', () => {
  test('every item is owed by the employer; the fund advances a lump sum and opens a recovery against it', async () => {
    fixToday('2026-03-10');
    const boss = await makeEmployer(t.ctx.db, { name: '未参保作坊' });
    const w = await worker({ insured: false, employerId: boss.id });
    const bossLogin = await addUser('boss', 'employer', { employerId: boss.id });
    const id = await recognisedCase(w.id_number, bossLogin);
    const c0 = (await get(`/api/v1/injury/cases/${id}`, bossLogin)).json<CaseBody>();
    assert.equal(c0.employerInsured, false);
    fixToday('2026-04-20');
    await appraise(id, 3, 'partial');
    const lump = await decideBenefit(id, { kind: 'disability_lump_sum', advance: true });
    assert.equal(lump.benefit.payer, 'employer');
    const allowance = await decideBenefit(id, { kind: 'disability_allowance' });
    assert.equal(allowance.benefit.payer, 'employer');
    const nursing = await decideBenefit(id, { kind: 'nursing_allowance' });
    assert.equal(nursing.benefit.payer, 'employer');
    const c = (await get(`/api/v1/injury/cases/${id}`, bossLogin)).json<CaseBody>();
    assert.deepEqual(
      c.benefits.map((b) => [b.kind, b.payer, b.advanced, b.status]),
      [
        ['disability_lump_sum', 'employer', true, 'paid'],
        ['disability_allowance', 'employer', false, 'owed_by_employer'],
        ['nursing_allowance', 'employer', false, 'owed_by_employer'],
      ],
    );
    // 23 months × 6,000.00 = 138,000.00 advanced; recovery due within 5 working days (Mon 2026-04-27)
    assert.deepEqual(
      c.recoveries.map((r) => [r.amountFen, r.status, r.payByDate]),
      [[13800000, 'open', '2026-04-27']],
    );
    const owed = (await get('/api/v1/injury/owed', bossLogin)).json<{
      recoveryOpenFen: number;
      monthlyFen: number;
    }>();
    assert.equal(owed.recoveryOpenFen, 13800000);
    assert.ok(owed.monthlyFen > 0);
    const rec = await t.ctx.db
      .selectFrom('journal_entry')
      .select('kind')
      .where('kind', '=', 'injury_advance_recovery')
      .execute();
    assert.equal(rec.length, 1);
    assert.equal((await verifyLedger(t.ctx.db)).ok, true);
  });
});

describe('statistics', () => {
  test('the region counts cases by industry class and employer; a citizen may not read them', async () => {
    const r = await get('/api/v1/injury/statistics', clerk);
    assert.equal(r.statusCode, 200, r.body);
    const s = r.json<{
      total: number;
      byIndustry: Array<{ cases: number }>;
      byEmployer: Array<{ cases: number }>;
    }>();
    assert.ok(s.total >= 4);
    assert.equal(
      s.byIndustry.reduce((a, x) => a + x.cases, 0),
      s.total,
    );
    assert.equal((await get('/api/v1/injury/statistics', citizen)).statusCode, 403);
  });
});
