// The SQL twins of the pure threshold tests (docs/architecture.md: every SQL twin of a rule is tested
// against the rule): employers, back payments and late hires on both sides of each threshold; the
// scan's findings must be exactly the cases the pure functions call findings.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { makeEmployer, makePerson } from '../testing/factories.ts';
import { openTestDb, type TestDb } from '../testing/test-db.ts';
import { backPaymentFinding, baseUnusual, detectorThresholds, injuriesUnusual } from './detector.rules.ts';
import { ScanService } from './scan.service.ts';

const REGION = '341800';
const AS_OF = '2026-11-20';
let t: TestDb;
const db = () => t.ctx.db;
const { values: th } = detectorThresholds(
  (await import('../core/params-loader.ts')).projectParams(),
  REGION,
  AS_OF,
);

async function persons(n: number, tag: string): Promise<number[]> {
  const r = await sql<{ id: number }>`
    INSERT INTO person (id_number, name, sex, birth_date, hukou_region, region)
    SELECT ${tag} || lpad(g::text, 12, '0'), '孪生' || g, 'M', '1980-01-01', ${REGION}, ${REGION}
    FROM generate_series(1, ${n}) g RETURNING id`.execute(db());
  return r.rows.map((x) => Number(x.id));
}

async function bill(personId: number, employerId: number, period: string, baseFen: number, back: boolean) {
  await sql`WITH b AS (
      INSERT INTO contribution_bill (region, period, payer_kind, employer_id, back_payment, due_date, average_wage_fen, lines, total_fen, status)
      VALUES (${REGION}, ${period}, 'employer', ${employerId}, ${back}, (${period} || '-28')::date, 800000, 1, 0, 'open') RETURNING id)
    INSERT INTO contribution_bill_line (bill_id, person_id, period, base_fen, pension_employer_fen, pension_employee_fen,
      personal_account_fen, unemployment_employer_fen, unemployment_employee_fen, injury_fen, waived_fen)
    SELECT b.id, ${personId}, ${period}, ${baseFen}, 0, 0, 0, 0, 0, 0, 0 FROM b`.execute(db());
}

const injuryCases: Array<{ cases: number; workers: number; employerId: number }> = [];
const backCases: Array<{ months: number; documented: boolean; personId: number; employerId: number }> = [];
const baseCases: Array<{ baseFen: number; personId: number }> = [];

before(async () => {
  t = await openTestDb();
  let tag = 0;
  for (const [cases, workers] of [
    [3, 60],
    [3, 61],
    [2, 2],
    [4, 80],
    [4, 81],
  ] as const) {
    const e = await makeEmployer(db(), { name: `孪生单位${cases}-${workers}` });
    const ids = await persons(workers, `T${String(++tag).padStart(5, '0')}`);
    await sql`INSERT INTO employment (person_id, employer_id, start_date)
      SELECT unnest(${ids}::bigint[]), ${e.id}, '2020-01-01'`.execute(db());
    for (const [k, pid] of ids.slice(0, cases).entries())
      await sql`INSERT INTO injury_case (person_id, employer_id, region_code, kind, accident_date, description, status,
          reported_by, reporter_kind, reported_date, employer_insured, accepted_date)
        VALUES (${pid}, ${e.id}, ${REGION}, 'injury', ${`2026-10-0${k + 1}`}, '孪生', 'accepted', 't', 'employer', '2026-10-10', true, '2026-10-12')`.execute(
        db(),
      );
    injuryCases.push({ cases, workers, employerId: e.id });
  }
  for (const [months, documented] of [
    [2, false],
    [3, false],
    [35, true],
    [36, true],
    [5, true],
  ] as const) {
    const e = await makeEmployer(db(), { name: `孪生补缴${months}` });
    const p = await makePerson(db(), {});
    const job = await sql<{ id: number }>`INSERT INTO employment (person_id, employer_id, start_date)
      VALUES (${p.id}, ${e.id}, '2015-01-01') RETURNING id`.execute(db());
    if (documented)
      await sql`INSERT INTO employment_back_entry (region, person_id, employer_id, start_date, monthly_wage_fen, reason, status,
          requested_by, decided_by, decided_at, employment_id)
        VALUES (${REGION}, ${p.id}, ${e.id}, '2015-01-01', 500000, '仲裁裁决书', 'approved', 'c', 'r', now(), ${job.rows[0]?.id})`.execute(
        db(),
      );
    for (let m = 0; m < months; m++)
      await bill(
        p.id,
        e.id,
        `${2016 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`,
        500000,
        true,
      );
    backCases.push({ months, documented, personId: p.id, employerId: e.id });
  }
  for (const baseFen of [2_400_000, 2_399_999]) {
    const e = await makeEmployer(db(), { name: `孪生临退${baseFen}` });
    const p = await makePerson(db(), {});
    await sql`INSERT INTO employment (person_id, employer_id, start_date) VALUES (${p.id}, ${e.id}, '2026-03-01')`.execute(
      db(),
    );
    await sql`INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months, monthly_fen, created_by)
      VALUES (${p.id}, 'employee_pension', ${REGION}, 'import', '2026-09-01', '2026-09', 180, 300000, 't')`.execute(
      db(),
    );
    await bill(p.id, e.id, '2026-06', baseFen, false);
    baseCases.push({ baseFen, personId: p.id });
  }
});

after(async () => {
  await t.close();
});

test('the SQL of the three thresholded detectors finds exactly what the pure rules call findings', async () => {
  await new ScanService(db(), t.ctx.params).scan(systemActor('twin'), {
    region: REGION,
    asOf: AS_OF,
    detectors: ['employer_injuries', 'back_payment_undocumented', 'late_career_hire'],
  });
  const found = await sql<{ detector: string; person_id: number | null; employer_id: number | null }>`
    SELECT detector, person_id, employer_id FROM supervision_finding`.execute(db());
  const has = (d: string, pred: (r: { person_id: number | null; employer_id: number | null }) => boolean) =>
    found.rows.some((r) => r.detector === d && pred(r));
  for (const c of injuryCases)
    assert.equal(
      has('employer_injuries', (r) => Number(r.employer_id) === c.employerId),
      injuriesUnusual(c.cases, c.workers, th),
      `${c.cases} cases among ${c.workers}`,
    );
  for (const c of backCases)
    assert.equal(
      has('back_payment_undocumented', (r) => Number(r.person_id) === c.personId),
      backPaymentFinding(c.months, c.documented, th) !== null,
      `${c.months} months, documented ${c.documented}`,
    );
  for (const c of baseCases)
    assert.equal(
      has('late_career_hire', (r) => Number(r.person_id) === c.personId),
      baseUnusual(c.baseFen, 800_000, th),
      `base ${c.baseFen}`,
    );
  // The edges really are on both sides.
  assert.deepEqual(
    injuryCases.map((c) => injuriesUnusual(c.cases, c.workers, th)),
    [true, false, false, true, false],
  );
  assert.deepEqual(
    backCases.map((c) => backPaymentFinding(c.months, c.documented, th)),
    [null, 'undocumented', null, 'lump_sum', null],
  );
});
