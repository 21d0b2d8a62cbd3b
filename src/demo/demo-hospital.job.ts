// The demo's work-injury hospitals (issue #13 items 5–6), after the injury demo job: two hospitals of
// the city, one in Shanghai (cross-province, needs a filing), a rehabilitation centre; the `hospital`
// login (a hospital's staff; password shebao-demo); bills for the demo's recognised cases, checked by
// the real service (one with an item not covered, one refused for another province, then filed and
// accepted); last month's bills settled so the hospital sees a payment, this month's left for the
// agency's settlement run; rehabilitation screening of the recognised cases.
//
// When the city has no recognised case (the injury demo job did not run), it records three of its own
// (reported_by 'demo-hospital'), so the hospital pages always have something to bill. Idempotent: a
// rerun adds nothing (fixed codes and bill numbers; a replayed bill is recorded once).
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { systemActor, type Actor } from '../auth/actor.ts';
import { addDays, addPeriods, periodOf, type IsoDate } from '../core/dates.ts';
import { int } from '../db/values.ts';
import { HospitalService } from '../injury/hospital.service.ts';
import { RehabService } from '../injury/rehab.service.ts';
import { runSettlement } from '../injury/settlement.job.ts';
import { isDemoDatabase } from './demo-city.ts';
import { CITY_CODE } from './demo-data.ts';

export const DEMO_HOSPITALS = [
  { code: `H${CITY_CODE}01`, name: '宣城市人民医院', region: CITY_CODE, kind: 'hospital' },
  { code: `H${CITY_CODE}02`, name: '宣城市中心医院', region: CITY_CODE, kind: 'hospital' },
  { code: 'H31010401', name: '上海市第六人民医院', region: '310104', kind: 'hospital' },
  { code: `R${CITY_CODE}01`, name: '宣城市工伤康复中心', region: CITY_CODE, kind: 'rehab' },
] as const;

export interface DemoHospitalReport {
  hospitals: number;
  login: boolean;
  ownCases: number;
  bills: number;
  settledFen: number;
  screened: number;
}

export async function seedDemoHospitals(ctx: AppContext, asOf: IsoDate): Promise<DemoHospitalReport> {
  const empty = { hospitals: 0, login: false, ownCases: 0, bills: 0, settledFen: 0, screened: 0 };
  const db = ctx.db;
  if (!(await isDemoDatabase(db))) return empty;
  const sys = systemActor('demo-hospital');
  await sql`
    INSERT INTO hospital (code, name, region, kind, created_by)
    SELECT * FROM unnest(${DEMO_HOSPITALS.map((h) => h.code)}::text[], ${DEMO_HOSPITALS.map((h) => h.name)}::text[],
      ${DEMO_HOSPITALS.map((h) => h.region)}::char(6)[], ${DEMO_HOSPITALS.map((h) => h.kind)}::text[],
      ${DEMO_HOSPITALS.map(() => 'demo-hospital')}::text[])
    ON CONFLICT (code) DO NOTHING`.execute(db);
  const ids = new Map(
    (
      await sql<{
        code: string;
        id: unknown;
      }>`SELECT code, id FROM hospital WHERE code IN (${sql.join(DEMO_HOSPITALS.map((h) => h.code))})`.execute(
        db,
      )
    ).rows.map((r) => [r.code, int(r.id)]),
  );
  const main = ids.get(`H${CITY_CODE}01`) ?? 0;
  const far = ids.get('H31010401') ?? 0;
  // The `hospital` login: the demo password's hash from the demo's clerk (no second argon2 run).
  const login = await sql<{ id: unknown }>`
    INSERT INTO app_user (username, display_name, role, person_id, employer_id, region, password_hash)
    SELECT 'hospital', '王敏', 'hospital', NULL, NULL, ${CITY_CODE}, password_hash
    FROM app_user WHERE username = 'clerk'
    ON CONFLICT (username) DO NOTHING RETURNING id`.execute(db);
  await sql`
    INSERT INTO hospital_staff (user_id, hospital_id)
    SELECT id, ${main} FROM app_user WHERE username = 'hospital' AND role = 'hospital'
    ON CONFLICT (user_id) DO NOTHING`.execute(db);

  // Recognised cases of the city; three of our own when the injury demo made none.
  let ownCases = 0;
  const recognised = async () =>
    (
      await sql<{ id: unknown; id_number: string; accident_date: string }>`
        SELECT c.id, p.id_number, c.accident_date FROM injury_case c JOIN person p ON p.id = c.person_id
        WHERE c.status = 'recognised' AND left(c.region_code, 4) = ${CITY_CODE.slice(0, 4)}
          AND c.accident_date <= ${addDays(asOf, -5)}
        ORDER BY c.id LIMIT 6`.execute(db)
    ).rows;
  let cases = await recognised();
  if (cases.length === 0) {
    const accident = addDays(asOf, -45);
    const descriptions = ['操作冲床时右手食指离断', '高处坠落致左胫骨骨折', '搬运钢材时砸伤左足，软组织挫伤'];
    const made = await sql<{ id: unknown }>`
      WITH picks AS (
        SELECT DISTINCT ON (e.person_id) e.person_id, e.employer_id, row_number() OVER (ORDER BY e.person_id) AS n
        FROM employment e JOIN person p ON p.id = e.person_id JOIN employer m ON m.id = e.employer_id
        WHERE e.end_date IS NULL AND p.death_date IS NULL AND m.region = ${CITY_CODE}
          AND p.birth_date BETWEEN '1970-01-01' AND '2000-12-31'
          AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.person_id = p.id)
          AND NOT EXISTS (SELECT 1 FROM injury_case c WHERE c.person_id = p.id)
        ORDER BY e.person_id LIMIT 3
      )
      INSERT INTO injury_case (person_id, employer_id, region_code, kind, accident_date, description, status,
        reported_by, reporter_kind, reported_date, employer_insured, accepted_date, decided_by, reviewed_by,
        decided_date, decided_at)
      SELECT person_id, employer_id, ${CITY_CODE}, 'injury', ${accident}::date,
        (${descriptions}::text[])[n], 'recognised', 'demo-hospital', 'employer', ${addDays(accident, 3)}::date, true,
        ${addDays(accident, 5)}::date, 'demo-hospital', 'demo-hospital', ${addDays(accident, 30)}::date, now()
      FROM (SELECT person_id, employer_id, (row_number() OVER (ORDER BY person_id))::int AS n FROM picks) x
      RETURNING id`.execute(db);
    ownCases = made.rows.length;
    cases = await recognised();
  }

  // Bills through the real check, as the hospitals' systems would send them.
  const asHospital = (hospitalId: number, code: string): Actor => ({
    userId: null,
    username: `demo:${code}`,
    role: 'hospital',
    personId: null,
    employerId: null,
    region: CITY_CODE,
    hospitalId,
  });
  const mainActor = asHospital(main, `H${CITY_CODE}01`);
  let bills = 0;
  for (const [i, c] of cases.entries()) {
    const caseId = int(c.id);
    const a = String(c.accident_date);
    const day = (n: number): string => {
      const d = addDays(a, n);
      return d > asOf ? asOf : d;
    };
    const base = { caseId, idNumber: c.id_number, admissionDate: day(0), dischargeDate: day(4) };
    await new HospitalService(db).submitBill(mainActor, {
      ...base,
      billNo: `DEMO-${caseId}-1`,
      items: [
        { code: 'T0101', serviceDate: day(0), quantity: 1, unitPriceFen: 2500 },
        { code: 'T0201', serviceDate: day(0), quantity: 2, unitPriceFen: 8500 },
        { code: 'T0301', serviceDate: day(0), quantity: 1, unitPriceFen: 36000 },
        { code: 'D0103', serviceDate: day(0), quantity: 1, unitPriceFen: 2800 },
        { code: 'S0101', serviceDate: day(1), quantity: 3, unitPriceFen: 5000 },
      ],
    });
    bills++;
    if (i === 0) {
      // An item not covered and a price above the ceiling, on a second bill.
      await new HospitalService(db).submitBill(mainActor, {
        ...base,
        billNo: `DEMO-${caseId}-2`,
        admissionDate: day(2),
        items: [
          { code: 'D0101', serviceDate: day(2), quantity: 12, unitPriceFen: 150 },
          { code: 'X0102', serviceDate: day(3), quantity: 2, unitPriceFen: 38000 },
          { code: 'S0102', serviceDate: day(3), quantity: 2, unitPriceFen: 3600 },
        ],
      });
      bills++;
    }
    if (i === 1 && far > 0) {
      // Shanghai without a filing: refused; after the worker's filing: accepted.
      const farActor = { ...asHospital(far, 'H31010401'), region: '310104' };
      await new HospitalService(db).submitBill(farActor, {
        ...base,
        billNo: `DEMO-SH-${caseId}-1`,
        admissionDate: day(5),
        dischargeDate: null,
        items: [{ code: 'T0202', serviceDate: day(5), quantity: 1, unitPriceFen: 32000 }],
      });
      await sql`
        INSERT INTO injury_treatment_filing (case_id, hospital_id, valid_from, reason, filed_by)
        SELECT ${caseId}, ${far}, ${day(5)}, '转诊上海进一步治疗', 'demo-hospital'
        WHERE NOT EXISTS (SELECT 1 FROM injury_treatment_filing WHERE case_id = ${caseId} AND hospital_id = ${far})`.execute(
        db,
      );
      await new HospitalService(db).submitBill(farActor, {
        ...base,
        billNo: `DEMO-SH-${caseId}-2`,
        admissionDate: day(5),
        dischargeDate: null,
        items: [{ code: 'T0202', serviceDate: day(5), quantity: 1, unitPriceFen: 32000 }],
      });
      bills += 2;
    }
  }
  // Last month's settlement pays the first bills (dated into last month); this month's wait for the agency.
  const last = addPeriods(periodOf(asOf), -1);
  await sql`UPDATE hospital_bill SET submitted_on = ${`${last}-20`}
    WHERE bill_no LIKE 'DEMO-%-1' AND bill_no NOT LIKE 'DEMO-SH-%' AND settlement_run_id IS NULL
      AND submitted_on > ${`${last}-20`} AND admission_date <= ${`${last}-20`}`.execute(db);
  const settled = await runSettlement(db, sys, { period: last });
  const screened = (await new RehabService(db).screenRecognisedCases(sys)).screened;
  return {
    hospitals: ids.size,
    login: login.rows.length > 0,
    ownCases,
    bills,
    settledFen: settled.totalFen,
    screened,
  };
}
