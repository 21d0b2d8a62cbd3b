// The service hall's history in the demo city: beside the stable-employment refunds (filed today by
// the refund scan), the applications of the last three months — certificates printed, card
// applications, registration changes and unemployment-benefit claims — in every state a clerk meets
// (submitted, in review, done, refused with a reason). Each step goes through its own service (audited,
// the applicant told, the hall's deadline clock) on its own past day: the step runs with the clock
// moved to that day (core/clock onDay), as a clerk would have done it then, and the hall takes in
// what a process reported that same day. Deterministic: the same city gives the same applicants.
// Only on a database the demo seeded.
import { sql } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { approvalKinds } from '../approval-kinds.ts';
import { ApprovalService } from '../approval/approval.service.ts';
import type { Actor } from '../auth/actor.ts';
import { onDay } from '../core/clock.ts';
import { addDays, type IsoDate } from '../core/dates.ts';
import { ApplicationService, type ApplicationAction } from '../hall/application.service.ts';
import { consumeEvents } from '../hall/events.job.ts';
import { ClaimService } from '../unemployment/claim.service.ts';
import { isDemoDatabase } from './demo-city.ts';
import { CITY_CODE } from './demo-data.ts';
import { loginActor } from './demo-logins.ts';

export interface DemoHallReport {
  /** applications filed, by service code */
  applications: Record<string, number>;
  /** the first and last day they were filed */
  from: IsoDate | null;
  to: IsoDate | null;
}

/** One application of a service the hall takes itself: filed `daysAgo`, then each step some days later. */
interface HallStory {
  service: string;
  daysAgo: number;
  note?: string;
  steps: Array<{ after: number; action: ApplicationAction; note?: string }>;
}

const HALL_STORIES: readonly HallStory[] = [
  {
    service: 'insurance-certificate',
    daysAgo: 83,
    steps: [
      { after: 0, action: 'approve' },
      { after: 0, action: 'complete' },
    ],
  },
  {
    service: 'card-application',
    daysAgo: 78,
    note: '首次申领，社区统一采集照片',
    steps: [
      { after: 1, action: 'accept' },
      { after: 6, action: 'approve' },
      { after: 13, action: 'complete', note: '卡已制成，已在宣州区服务大厅领取' },
    ],
  },
  {
    service: 'person-change',
    daysAgo: 64,
    note: '变更户籍地址',
    steps: [
      { after: 2, action: 'approve', note: '户口簿变更页已核' },
      { after: 3, action: 'complete' },
    ],
  },
  {
    service: 'record-statement',
    daysAgo: 51,
    steps: [
      { after: 0, action: 'approve' },
      { after: 0, action: 'complete' },
    ],
  },
  {
    service: 'card-application',
    daysAgo: 37,
    note: '原卡损坏，申请补办',
    steps: [{ after: 3, action: 'reject', note: '照片不符合要求（背景须为白色），请重新拍照后再申请' }],
  },
  {
    service: 'person-change',
    daysAgo: 22,
    note: '变更联系电话与银行账户',
    steps: [
      { after: 1, action: 'return', note: '请补充新银行卡复印件' },
      { after: 4, action: 'withdraw' },
    ],
  },
  {
    service: 'insurance-certificate',
    daysAgo: 12,
    steps: [
      { after: 0, action: 'approve' },
      { after: 0, action: 'complete' },
    ],
  },
  { service: 'person-change', daysAgo: 6, note: '更正姓名用字', steps: [{ after: 1, action: 'accept' }] },
  { service: 'card-application', daysAgo: 2, note: '首次申领', steps: [] },
];

/** Unemployment-benefit claims filed `daysAgo` by the person online, decided under four eyes some days later. */
const CLAIM_STORIES: ReadonlyArray<{
  daysAgo: number;
  decideAfter: number;
  decision: 'approve' | 'reject';
  note?: string;
}> = [
  { daysAgo: 71, decideAfter: 5, decision: 'approve' },
  {
    daysAgo: 44,
    decideAfter: 6,
    decision: 'reject',
    note: '经核实，申请人已在外地就业并参保，不符合领取条件',
  },
  { daysAgo: 16, decideAfter: 4, decision: 'approve' },
];

/** The person as their own online account would act (username: the ID number, as hall accounts are named). */
function citizen(p: { id: number; id_number: string }): Actor {
  return {
    userId: null,
    username: p.id_number.toLowerCase(),
    role: 'citizen',
    personId: p.id,
    employerId: null,
    region: null,
  };
}

/**
 * Runs each step of a demo history on its day, at a different time of office hours. A process's report
 * (a claim's or a retirement case's case.status) is taken in by the hall that same day, as its
 * consumer would have then: the hall dates the application by the day it hears of it.
 */
export function demoDays(
  ctx: AppContext,
): (day: IsoDate, f: () => Promise<unknown>, reported?: boolean) => Promise<void> {
  let step = 0;
  return async (day, f, reported = false) => {
    const minutes = 8 * 60 + 40 + ((step++ * 97) % (8 * 60));
    const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    await onDay(
      day,
      async () => {
        await f();
        if (reported) while ((await consumeEvents(ctx)) > 0);
      },
      time,
    );
  };
}

export async function seedDemoHall(ctx: AppContext, asOf: IsoDate): Promise<DemoHallReport> {
  const report: DemoHallReport = { applications: {}, from: null, to: null };
  if (!(await isDemoDatabase(ctx.db))) return report;
  const clerk = await loginActor(ctx, 'clerk');
  const reviewer = await loginActor(ctx, 'reviewer');
  const hall = new ApplicationService(ctx);
  const filed = (service: string, day: IsoDate) => {
    report.applications[service] = (report.applications[service] ?? 0) + 1;
    if (report.from === null || day < report.from) report.from = day;
    if (report.to === null || day > report.to) report.to = day;
  };
  const on = demoDays(ctx);

  // Applicants: people of working age of the city with no login (the demo's own accounts keep their
  // pages as the journeys expect them), in id order; one application each.
  const people = await sql<{ id: number; id_number: string }>`
    SELECT p.id, p.id_number FROM person p
    WHERE p.region = ${CITY_CODE} AND p.death_date IS NULL
      AND p.birth_date BETWEEN ${addDays(asOf, -55 * 365)}::date AND ${addDays(asOf, -22 * 365)}::date
      AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.person_id = p.id)
    ORDER BY p.id LIMIT ${HALL_STORIES.length}`.execute(ctx.db);
  for (const [i, story] of HALL_STORIES.entries()) {
    const person = people.rows[i];
    if (!person) break;
    const day = addDays(asOf, -story.daysAgo);
    // every other one online by the person, the rest at the counter by the clerk
    const online = i % 2 === 1;
    let app = { id: 0, version: 0 };
    await on(day, async () => {
      app = await hall.claim(online ? citizen(person) : clerk, {
        serviceCode: story.service,
        ...(story.note ? { note: story.note } : {}),
        ...(online ? {} : { personId: person.id }),
      });
    });
    filed(story.service, day);
    for (const step of story.steps) {
      const by = step.action === 'withdraw' || step.action === 'resubmit' ? citizen(person) : clerk;
      await on(addDays(day, step.after), async () => {
        app = await hall.act(by, app.id, {
          action: step.action,
          ...(step.note ? { note: step.note } : {}),
          version: app.version,
        });
      });
    }
  }

  // Claims: involuntary separations of the city more than a year old whose people found no job since
  // and never claimed (the recent ones already draw benefit: demo-unemployment.job.ts).
  const jobless = await sql<{ id: number; id_number: string; end_date: string }>`
    SELECT p.id, p.id_number, em.end_date::text AS end_date FROM employment em
    JOIN employer er ON er.id = em.employer_id JOIN person p ON p.id = em.person_id
    WHERE em.end_reason = 'involuntary' AND em.end_date < ${addDays(asOf, -120)}::date
      AND left(er.region, 4) = ${CITY_CODE.slice(0, 4)} AND p.death_date IS NULL
      AND p.birth_date > ${addDays(asOf, -55 * 365)}::date
      AND NOT EXISTS (SELECT 1 FROM employment e2 WHERE e2.person_id = p.id AND (e2.end_date IS NULL OR e2.start_date > em.end_date))
      -- nor paid in since as a flexible worker: the benefit payroll stops such a claim at its first run
      AND NOT EXISTS (SELECT 1 FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
        WHERE l.person_id = p.id AND l.period > to_char(em.end_date, 'YYYY-MM') AND b.payer_kind <> 'resident'
          AND b.status <> 'cancelled')
      AND NOT EXISTS (SELECT 1 FROM unemployment_claim c WHERE c.person_id = p.id)
      AND NOT EXISTS (SELECT 1 FROM pension_award a WHERE a.person_id = p.id)
      AND NOT EXISTS (SELECT 1 FROM app_user u WHERE u.person_id = p.id)
    ORDER BY em.end_date DESC, p.id LIMIT ${CLAIM_STORIES.length}`.execute(ctx.db);
  const claims = new ClaimService(ctx);
  const approvals = new ApprovalService(ctx.db);
  const kinds = approvalKinds(ctx);
  for (const [i, story] of CLAIM_STORIES.entries()) {
    const person = jobless.rows[i];
    if (!person) break;
    const day = addDays(asOf, -story.daysAgo);
    let claimId = 0;
    let eligible = false;
    await on(
      day,
      async () => {
        const claim = await claims.fileClaim(citizen(person), {});
        claimId = claim.id;
        eligible = claim.status === 'submitted';
      },
      true,
    );
    filed('unemployment-benefit', day);
    if (!eligible) continue;
    await on(
      addDays(day, story.decideAfter),
      async () => {
        const a = await claims.prepareDecision(clerk, claimId, {
          decision: story.decision,
          ...(story.note ? { note: story.note } : {}),
        });
        await approvals.release(kinds, reviewer, a.id);
      },
      true,
    );
  }
  return report;
}
