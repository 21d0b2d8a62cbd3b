// Work-injury cases of the demo city (issue 13): the `injured` login (a worker of the demo employer
// with a recognised grade-5 case: the one-off subsidy paid by the fund, the monthly allowance owed by
// the employer) and cases in every state for the agency's queue: just reported, accepted (one past its
// decision limit), suspended awaiting arbitration, reported late by the employer, not recognised, and
// a recognised grade-3 case whose allowance the fund pays on the monthly payroll. Dated relative to
// asOf so the deadlines mean something on the demo; only on a database the demo seeded; deterministic
// (the lowest person ids that fit); a second run adds nothing.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { systemActor } from '../auth/actor.ts';
import { onDay } from '../core/clock.ts';
import { addDays, addPeriods, minDate, periodOf, type IsoDate } from '../core/dates.ts';
import { int } from '../db/values.ts';
import { assessInjuryDisability } from '../injury/injury-disability.rules.ts';
import { runInjuryPayroll } from '../injury/injury-payroll.job.ts';
import type { InjuryCaseStatus } from '../injury/injury.tables.ts';
import { ACCOUNTS, postEntryForRecord } from '../ledger/journal.repository.ts';
import { fen } from '../core/money.ts';
import { isDemoDatabase } from './demo-city.ts';
import { CITY_CODE } from './demo-data.ts';

export const DEMO_INJURY_LOGIN = 'injured';

interface DemoCaseSpec {
  status: InjuryCaseStatus;
  accidentDaysAgo: number;
  reportedDaysAgo: number;
  acceptedDaysAgo?: number;
  decidedDaysAgo?: number;
  description: string;
  grade?: number;
  suspendedDaysAgo?: number;
}

const SPECS: DemoCaseSpec[] = [
  // the `injured` login's case
  {
    status: 'recognised',
    accidentDaysAgo: 200,
    reportedDaysAgo: 195,
    acceptedDaysAgo: 190,
    decidedDaysAgo: 170,
    description: '操作冲床时右手被压伤',
    grade: 5,
  },
  {
    status: 'reported',
    accidentDaysAgo: 6,
    reportedDaysAgo: 3,
    description: '搬运货物时从梯子上摔下，左腿骨折',
  },
  {
    status: 'accepted',
    accidentDaysAgo: 40,
    reportedDaysAgo: 35,
    acceptedDaysAgo: 30,
    description: '上班途中发生非本人主要责任的交通事故',
  },
  {
    status: 'accepted',
    accidentDaysAgo: 100,
    reportedDaysAgo: 95,
    acceptedDaysAgo: 90,
    description: '车间叉车倒车时撞伤足部',
  },
  {
    status: 'suspended',
    accidentDaysAgo: 80,
    reportedDaysAgo: 60,
    acceptedDaysAgo: 55,
    suspendedDaysAgo: 40,
    description: '外包现场受伤，劳动关系待仲裁确认',
  },
  {
    status: 'reported',
    accidentDaysAgo: 50,
    reportedDaysAgo: 2,
    description: '焊接作业时眼部灼伤（单位逾期报告）',
  },
  {
    status: 'not_recognised',
    accidentDaysAgo: 120,
    reportedDaysAgo: 110,
    acceptedDaysAgo: 105,
    decidedDaysAgo: 80,
    description: '下班后在宿舍内滑倒',
  },
  {
    status: 'recognised',
    accidentDaysAgo: 300,
    reportedDaysAgo: 290,
    acceptedDaysAgo: 285,
    decidedDaysAgo: 250,
    description: '高处作业坠落，脊柱损伤',
    grade: 3,
  },
];

export async function seedDemoInjuries(
  ctx: AppContext,
  asOf: IsoDate,
): Promise<{ cases: number; login: boolean }> {
  const db = ctx.db;
  if (!(await isDemoDatabase(db))) return { cases: 0, login: false };
  if (await db.selectFrom('injury_case').select('id').limit(1).executeTakeFirst())
    return { cases: 0, login: false };
  const emp = await db
    .selectFrom('app_user')
    .select(['employer_id'])
    .where('username', '=', 'employer')
    .executeTakeFirst();
  const hash = await db
    .selectFrom('app_user')
    .select('password_hash')
    .where('username', '=', 'clerk')
    .executeTakeFirst();
  if (!emp?.employer_id || !hash) return { cases: 0, login: false };
  const employerId = int(emp.employer_id);
  // Workers of the demo employer first (so its login sees the cases), then of other employers in the
  // city: in work for at least 320 days, with no login, alive, of working age.
  const found = await sql<{
    id: number;
    name: string;
    region: string;
    wage: unknown;
    insured: boolean;
    employer_id: number;
  }>`
    SELECT p.id, p.name, r.region, e.monthly_wage_fen AS wage, e.employer_id,
      EXISTS (SELECT 1 FROM enrolment n WHERE n.person_id = p.id AND n.scheme = 'injury' AND n.employer_id = e.employer_id AND n.status = 'active') AS insured
    FROM employment e JOIN person p ON p.id = e.person_id JOIN employer r ON r.id = e.employer_id
    WHERE e.end_date IS NULL AND e.start_date <= ${addDays(asOf, -320)}::date AND left(r.region, 4) = ${CITY_CODE.slice(0, 4)}
      AND p.death_date IS NULL AND p.birth_date BETWEEN '1966-01-01' AND '2000-12-31'
      AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.person_id = p.id)
    ORDER BY e.employer_id = ${employerId} DESC, p.id LIMIT ${SPECS.length * 4}`.execute(db);
  // one case per person (a person may hold two open jobs)
  const seen = new Set<number>();
  const workers = {
    rows: found.rows.filter((w) => !seen.has(w.id) && seen.add(w.id) !== undefined).slice(0, SPECS.length),
  };
  if (workers.rows.length < SPECS.length) return { cases: 0, login: false };
  const actor = systemActor('demo-seed');
  let n = 0;
  await db.transaction().execute(async (tx) => {
    for (const [i, spec] of SPECS.entries()) {
      const w = workers.rows[i];
      if (!w) continue;
      const day = (k: number | undefined) => (k === undefined ? null : addDays(asOf, -k));
      const accident = addDays(asOf, -spec.accidentDaysAgo);
      const reported = addDays(asOf, -spec.reportedDaysAgo);
      const late = Math.max(0, spec.accidentDaysAgo - spec.reportedDaysAgo - 30);
      const decided = day(spec.decidedDaysAgo);
      const c = await tx
        .insertInto('injury_case')
        .values({
          person_id: w.id,
          employer_id: int(w.employer_id),
          region_code: w.region,
          kind: 'injury',
          accident_date: accident,
          description: spec.description,
          status: spec.status,
          reported_by: 'employer',
          reporter_kind: 'employer',
          reported_date: reported,
          late_days: late,
          employer_insured: w.insured,
          accepted_date: day(spec.acceptedDaysAgo),
          decided_date: decided,
          delivered_date: decided,
          decided_by: decided ? 'clerk' : null,
          reviewed_by: decided ? 'reviewer' : null,
          decision_note: decided
            ? spec.status === 'recognised'
              ? '因工作原因受到事故伤害，符合条例第十四条'
              : '不属于工作时间和工作场所内因工作原因受到的伤害'
            : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      n++;
      const ev = (from: InjuryCaseStatus | null, to: InjuryCaseStatus, kind: string, actorName: string) =>
        tx
          .insertInto('injury_case_event')
          .values({ case_id: c.id, from_status: from, to_status: to, kind, note: null, actor: actorName })
          .execute();
      await ev(null, 'reported', 'report', 'employer');
      if (spec.acceptedDaysAgo !== undefined) await ev('reported', 'accepted', 'accept', 'clerk');
      if (spec.suspendedDaysAgo !== undefined) {
        await ev('accepted', 'suspended', 'suspend', 'clerk');
        await tx
          .insertInto('injury_case_suspension')
          .values({
            case_id: c.id,
            from_date: addDays(asOf, -spec.suspendedDaysAgo),
            reason: '等待劳动仲裁确认劳动关系',
            created_by: 'clerk',
          })
          .execute();
      }
      if (decided)
        await ev(
          'accepted',
          spec.status,
          spec.status === 'recognised' ? 'recognise' : 'not-recognise',
          'clerk',
        );
      if (spec.grade === undefined || !decided) continue;
      const conclusion = addDays(decided, 40);
      const a = await tx
        .insertInto('injury_appraisal')
        .values({
          case_id: c.id,
          kind: 'initial',
          received_date: addDays(decided, 5),
          conclusion_date: conclusion,
          grade: spec.grade,
          nursing_level: 'none',
          status: 'concluded',
          recorded_by: 'clerk',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const avg = ctx.params.tryResolve<number>('contributions/average-wage', w.region, conclusion);
      const regional = fen(avg?.value ?? 700000);
      const r = assessInjuryDisability(
        {
          grade: spec.grade,
          averageMonthlyWageFen: fen(int(w.wage) || regional),
          regionalAverageWageFen: regional,
          appraisalDate: conclusion,
        },
        ctx.params,
      );
      const payer = w.insured ? 'fund' : 'employer';
      const caseOf = {
        case_id: c.id,
        person_id: w.id,
        employer_id: int(w.employer_id),
        region_code: w.region,
      };
      const lump = await tx
        .insertInto('injury_benefit')
        .values({
          ...caseOf,
          kind: 'disability_lump_sum',
          payer,
          monthly: false,
          amount_fen: r.lumpSumFen,
          status: payer === 'fund' ? 'paid' : 'owed_by_employer',
          appraisal_id: a.id,
          proposed_by: 'clerk',
          reviewed_by: 'reviewer',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (payer === 'fund') {
        await postEntryForRecord(
          tx,
          actor,
          { table: 'injury_benefit', id: lump.id },
          {
            fund: 'injury',
            region: w.region,
            period: periodOf(conclusion),
            entryDate: addDays(conclusion, 7),
            kind: 'injury_benefit',
            description: `工伤待遇 一次性伤残补助金 案件${c.id} / work-injury benefit disability_lump_sum case ${c.id}`,
            idempotencyKey: `injury-benefit:${lump.id}`,
            lines: [
              { account: ACCOUNTS.benefitExpenditure, debitFen: r.lumpSumFen },
              { account: ACCOUNTS.bank, creditFen: r.lumpSumFen },
            ],
          },
        );
      }
      const allowancePayer = r.allowancePayer === 'fund' && w.insured ? 'fund' : 'employer';
      await tx
        .insertInto('injury_benefit')
        .values({
          ...caseOf,
          kind: 'disability_allowance',
          payer: allowancePayer,
          monthly: true,
          amount_fen: r.monthlyAllowanceFen,
          from_period: addPeriods(periodOf(conclusion), 1),
          status: allowancePayer === 'fund' ? 'decided' : 'owed_by_employer',
          appraisal_id: a.id,
          proposed_by: 'clerk',
          reviewed_by: 'reviewer',
        })
        .execute();
    }
    const first = workers.rows[0];
    if (first)
      await tx
        .insertInto('app_user')
        .values({
          username: DEMO_INJURY_LOGIN,
          display_name: first.name,
          role: 'citizen',
          person_id: first.id,
          employer_id: null,
          region: null,
          password_hash: hash.password_hash,
        })
        .onConflict((oc) => oc.column('username').doNothing())
        .execute();
  });
  // Last month's allowances on the fund's payroll, so the grade-3 worker has a payment: run early this
  // month (the 5th, or asOf when that is earlier), as the benefit payroll is (demo-unemployment.job.ts).
  await onDay(minDate(`${periodOf(asOf)}-05`, asOf), () =>
    runInjuryPayroll(db, actor, { period: addPeriods(periodOf(asOf), -1), region: CITY_CODE }),
  );
  return { cases: n, login: true };
}
