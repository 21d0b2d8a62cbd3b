// Retirement cases in the demo city: people who reached statutory retirement age in the demo's last
// months come to the counter, and the clerk opens their case through the retirement service (the hall
// takes the application in that day). One reached it some months ago: computed, submitted, approved by
// the reviewer a few days after the birthday, so the payroll stage after this one pays the pension from
// the month after. One reaches it about now: computed and submitted, waiting for the reviewer. A case that
// does not qualify is refused with the reason the applicant reads, and the next person is taken.
// Only the past and this month: the journeys and the demo test open cases from next month's due list.
// Deterministic: the same city gives the same applicants. Only on a database the demo seeded.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../auth/actor.ts';
import { addDays, addPeriods, maxDate, minDate, periodOf, type IsoDate } from '../core/dates.ts';
import { RetirementService, type CaseView, type DueItem } from '../pension/retirement.service.ts';
import { isDemoDatabase } from './demo-city.ts';
import { CITY_CODE } from './demo-data.ts';
import { demoDays } from './demo-hall.job.ts';
import { loginActor } from './demo-logins.ts';

export interface DemoRetirementReport {
  /** the person ids of the cases, by the status they ended in */
  approved: number[];
  pendingReview: number[];
  rejected: number[];
}

/** A person's story: due `to`..`from` months before asOf's month (the latest first), how far the case goes. */
interface Story {
  to: number;
  from: number;
  approve: boolean;
}
// the award starts the month after the birthday: at least two months back, so a past payroll pays it
const APPROVED: Story = { to: 2, from: 8, approve: true };
const STORIES: readonly Story[] = [APPROVED, { to: 0, from: 1, approve: false }];

/** Tries per story: a person who does not qualify is refused, and the next one is taken. */
const TRIES = 3;

/** What the stories choose from: the due list's reader, and who is not to be taken. */
interface Pool {
  cases: RetirementService;
  clerk: Actor;
  /** the people of the demo's logins, flexible workers, and each story's applicants once taken */
  taken: Set<number>;
  /** the lowest person id paid an employee pension is the retiree login's: only ids above it */
  above: number;
}

async function applicantPool(ctx: AppContext, asOf: IsoDate): Promise<Pool> {
  const clerk = await loginActor(ctx, 'clerk');
  // Not a person the demo's logins stand for, nor one a later login picks: the retiree login is the
  // lowest person id paid an employee pension (so only ids above the first the payroll will pay), the
  // flexible one the lowest flexible worker.
  const excluded = await sql<{ id: number }>`
    SELECT u.person_id AS id FROM app_user u WHERE u.person_id IS NOT NULL
    UNION SELECT e.person_id FROM enrolment e WHERE e.kind = 'flexible'`.execute(ctx.db);
  const firstPensioner = await sql<{ id: number | null }>`
    SELECT min(a.person_id) AS id FROM pension_award a JOIN person p ON p.id = a.person_id
    WHERE a.scheme = 'employee_pension' AND a.status = 'active' AND p.death_date IS NULL
      AND a.start_period < ${periodOf(asOf)}`.execute(ctx.db);
  return {
    cases: new RetirementService(ctx.db, ctx.params),
    clerk,
    taken: new Set(excluded.rows.map((r) => Number(r.id))),
    above: Number(firstPensioner.rows[0]?.id ?? 0),
  };
}

/** The people a story tries, in order (at most TRIES): due in its months, employee pension, no case yet. */
async function storyApplicants(pool: Pool, story: Story, asOf: IsoDate): Promise<DueItem[]> {
  const due: DueItem[] = [];
  for (let k = story.to; k <= story.from; k++) {
    const month = addPeriods(periodOf(asOf), -k);
    const list = await pool.cases.retirementDue(pool.clerk, {
      region: pool.clerk.region ?? CITY_CODE,
      month,
    });
    for (const item of list.items)
      if (item.scheme === 'employee_pension' && item.caseId === null && item.personId > pool.above)
        due.push(item);
  }
  return due.filter((d) => !pool.taken.has(d.personId)).slice(0, TRIES);
}

/**
 * The person the approved story retires and the day, chosen before the contribution history is made
 * (the employee pensions awarded, nothing else needed): the history stops her contributions at her
 * retirement, as the approval ends her employment then. Null when the city has no one due.
 */
export async function pickDemoRetiree(
  ctx: AppContext,
  asOf: IsoDate,
): Promise<{ personId: number; retirementDate: IsoDate } | null> {
  if (!(await isDemoDatabase(ctx.db))) return null;
  const first = (await storyApplicants(await applicantPool(ctx, asOf), APPROVED, asOf))[0];
  return first ? { personId: first.personId, retirementDate: first.statutoryDate } : null;
}

export async function seedDemoRetirements(ctx: AppContext, asOf: IsoDate): Promise<DemoRetirementReport> {
  const report: DemoRetirementReport = { approved: [], pendingReview: [], rejected: [] };
  if (!(await isDemoDatabase(ctx.db))) return report;
  const pool = await applicantPool(ctx, asOf);
  const { cases, clerk, taken } = pool;
  const reviewer = await loginActor(ctx, 'reviewer');
  const on = demoDays(ctx);

  for (const story of STORIES) {
    for (const item of await storyApplicants(pool, story, asOf)) {
      if (item.category === 'resident') continue;
      const category = item.category;
      taken.add(item.personId);
      // comes in some days before the birthday (this month's may fall after asOf), at the latest two days ago
      const opened = minDate(addDays(item.statutoryDate, -10), addDays(asOf, -2));
      let c: Pick<CaseView, 'id' | 'version' | 'eligible'> = { id: 0, version: 0, eligible: null };
      await on(
        opened,
        async () => {
          c = await cases.openCase(clerk, {
            personId: item.personId,
            scheme: 'employee_pension',
            category,
          });
        },
        true,
      );
      // the clerk computes the next day, once the personnel file is read
      await on(addDays(opened, 1), async () => {
        c = await cases.computeCase(clerk, c.id, { version: c.version });
      });
      if (c.eligible !== true) {
        // 不予受理: too few contribution years; the applicant reads why in the hall
        const refused = c;
        await on(
          addDays(opened, 1),
          () =>
            cases.rejectCase(clerk, refused.id, {
              version: refused.version,
              reason: '累计缴费不满15年，可继续缴费至满15年、转入城乡居民养老保险或申请一次性领取个人账户',
            }),
          true,
        );
        report.rejected.push(item.personId);
        continue;
      }
      await on(
        addDays(opened, 1),
        async () => {
          c = await cases.submitCase(clerk, c.id, c.version);
        },
        true,
      );
      if (story.approve) {
        // reviewed after the birthday, as the award starts the month after it
        const reviewed = minDate(maxDate(addDays(item.statutoryDate, 3), addDays(opened, 4)), asOf);
        await on(
          reviewed,
          () => cases.reviewCase(reviewer, c.id, { decision: 'approve', version: c.version }),
          true,
        );
        report.approved.push(item.personId);
      } else report.pendingReview.push(item.personId);
      break;
    }
  }
  return report;
}
