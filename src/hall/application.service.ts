// Applications (办件): one record per application for a catalogue service, with its status history,
// the office (region) handling it, the legal time limit as a deadline in working days, and who
// acted. The hall takes applications for the services it handles itself; other processes report
// theirs through outbox events (events.job.ts). Every status change is audited and published as a
// `hall.application-status` outbox event, from which the message centre tells the applicant.
import type { AppContext } from '../app-context.ts';
import { staffUsernameFor, type Actor } from '../auth/actor.ts';
import { authorize, authorizeFound, foundInScope } from '../auth/policy.ts';
import { typedNote, type Note, type Words } from '../core/bilingual.ts';
import { storedNoteWords } from './old-notes.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import { maskIdNumber } from '../core/ids.ts';
import { regionLikePattern } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import { serviceByCode, type ServiceItem } from './catalogue.ts';
import type { ApplicationStatus, Channel, HallApplicationTable } from './hall.db.ts';
import {
  applicantOf,
  applicationById,
  applicationEvents,
  applicationPage,
  AWAITING_DECISION,
  insertApplication,
  lockOpenApplication,
  recordStatus,
  recordUse,
  stepApplication,
} from './application.repository.ts';
import { addWorkingDays, workingDaysBetween } from './holidays.ts';
import { STATUS_TEXT } from './message.service.ts';
import { employerNames, findEmployer } from '../registry/employer.repository.ts';
import { findPerson, personNames } from '../registry/person.repository.ts';
import type { Selectable } from 'kysely';

type AppRow = Selectable<HallApplicationTable>;

export type ApplicationAction =
  'accept' | 'return' | 'approve' | 'reject' | 'complete' | 'resubmit' | 'withdraw';

/** Which status an action moves an application from, and to. */
export const TRANSITIONS: Record<
  ApplicationAction,
  { from: ApplicationStatus[]; to: ApplicationStatus; by: 'staff' | 'applicant'; noteRequired: boolean }
> = {
  accept: { from: ['submitted'], to: 'accepted', by: 'staff', noteRequired: false },
  return: { from: ['submitted', 'accepted'], to: 'returned', by: 'staff', noteRequired: true },
  approve: { from: ['submitted', 'accepted'], to: 'approved', by: 'staff', noteRequired: false },
  reject: { from: ['submitted', 'accepted'], to: 'rejected', by: 'staff', noteRequired: true },
  complete: { from: ['approved'], to: 'completed', by: 'staff', noteRequired: false },
  resubmit: { from: ['returned'], to: 'submitted', by: 'applicant', noteRequired: false },
  withdraw: { from: ['submitted', 'returned'], to: 'withdrawn', by: 'applicant', noteRequired: false },
};

const CLOSED: ApplicationStatus[] = ['rejected', 'completed', 'withdrawn'];

export interface ApplicationView {
  id: number;
  serviceCode: string;
  serviceNameZh: string;
  serviceNameEn: string;
  personId: number | null;
  employerId: number | null;
  applicantName: string | null;
  region: string;
  channel: Channel;
  status: ApplicationStatus;
  submittedOn: string;
  timeLimitWorkingDays: number | null;
  deadline: string | null;
  /** working days left to the deadline (negative when overdue); null when no decision is awaited or no limit */
  workingDaysLeft: number | null;
  /** a decision is awaited past the deadline (never once approved, returned or closed) */
  overdue: boolean;
  closedOn: string | null;
  /** the page of the process that handles it, when not the hall */
  externalLink: string | null;
  /** the citizen's own page of that process, as the process reported it (none for older applications) */
  citizenLink: string | null;
  /** the last words on it, in each language (a person's own words the same in both) */
  note: Words | null;
  /** where it stands within its status, as the process reported it (发放中 / being paid; 暂缓拨付 / held) */
  stage: Words | null;
  version: number;
  updatedAt: string;
}

export interface ApplicationEventView {
  status: string;
  note: Words | null;
  /** a staff member's display name (to staff), a masked ID; null: shown by role only */
  actor: string | null;
  role: string;
  at: string;
}

/**
 * The applicants of a page of applications by name: the person, or the employer of an employer's
 * application (a refund has no person), read through the registry's own functions.
 */
async function withApplicantNames(
  db: Db,
  rows: AppRow[],
): Promise<Array<AppRow & { applicant_name: string | null }>> {
  const ids = (k: 'person_id' | 'employer_id') => [
    ...new Set(rows.flatMap((r) => (r[k] === null ? [] : [Number(r[k])]))),
  ];
  const persons = await personNames(db, ids('person_id'));
  const employers = await employerNames(db, ids('employer_id'));
  return rows.map((r) => ({
    ...r,
    applicant_name:
      (r.person_id === null ? undefined : persons.get(Number(r.person_id))) ??
      (r.employer_id === null ? undefined : employers.get(Number(r.employer_id))) ??
      null,
  }));
}

function view(r: AppRow & { applicant_name?: string | null }, on = today()): ApplicationView {
  const s = serviceByCode(r.service_code);
  const detail = (typeof r.detail === 'string' ? JSON.parse(r.detail) : (r.detail ?? {})) as Record<
    string,
    unknown
  >;
  const awaited = r.closed_on === null && AWAITING_DECISION.includes(r.status);
  const left = awaited && r.deadline !== null ? workingDaysBetween(on, r.deadline) : null;
  return {
    id: r.id,
    serviceCode: r.service_code,
    serviceNameZh: s?.nameZh ?? r.service_code,
    serviceNameEn: s?.nameEn ?? r.service_code,
    personId: r.person_id,
    employerId: r.employer_id,
    applicantName: r.applicant_name ?? null,
    region: r.region,
    channel: r.channel,
    status: r.status,
    submittedOn: r.submitted_on,
    timeLimitWorkingDays: r.time_limit_wd,
    deadline: r.deadline,
    workingDaysLeft: left,
    overdue: awaited && r.deadline !== null && r.deadline < on,
    closedOn: r.closed_on,
    externalLink: typeof detail['link'] === 'string' ? detail['link'] : null,
    citizenLink: typeof detail['citizenLink'] === 'string' ? detail['citizenLink'] : null,
    note: storedNoteWords(detail['note']),
    stage: storedNoteWords(detail['stage']),
    version: r.version,
    updatedAt: r.updated_at,
  };
}

export class ApplicationService {
  constructor(private readonly ctx: AppContext) {}

  /** Creates an application (a claim) inside a transaction the caller owns. */
  static async create(
    tx: Db,
    actor: Actor,
    input: {
      service: ServiceItem;
      personId: number | null;
      employerId: number | null;
      region: string;
      channel: Channel;
      status?: ApplicationStatus;
      note?: Note | null;
      sourceRef?: string | null;
      detail?: Record<string, unknown>;
      /** a process reported it: the applicant is told even of what they did themselves */
      tellApplicant?: boolean;
    },
  ): Promise<AppRow> {
    const on = today();
    const wd = input.service.timeLimit.workingDays;
    const status = input.status ?? 'submitted';
    const closed = CLOSED.includes(status);
    const row = await insertApplication(tx, {
      service_code: input.service.code,
      person_id: input.personId,
      employer_id: input.employerId,
      region: input.region,
      channel: input.channel,
      status,
      source_ref: input.sourceRef ?? null,
      submitted_on: on,
      time_limit_wd: wd,
      deadline: wd === null ? null : addWorkingDays(on, wd),
      detail: JSON.stringify({ ...(input.detail ?? {}), ...(input.note ? { note: input.note } : {}) }),
      closed_on: closed ? on : null,
    });
    await recordStatus(tx, actor, row, null, input.note ?? null, {
      tellApplicant: input.tellApplicant === true,
    });
    await recordUse(tx, input.service.code, input.channel, input.region);
    return row;
  }

  /** A citizen or employer applies online; a clerk at the counter on their behalf. */
  async claim(
    actor: Actor,
    input: { serviceCode: string; note?: string; personId?: number; employerId?: number },
  ): Promise<ApplicationView> {
    authorize(actor, 'hall.apply');
    const service = serviceByCode(input.serviceCode);
    if (!service) throw new SbError('SB_ERR_NOT_FOUND', { field: 'serviceCode' });
    if (!service.hallHandled)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'serviceCode',
        zh: '该事项不在网上大厅受理，请按办事指南办理',
        en: 'this service is not taken by the hall; follow its guide',
      });
    let personId: number | null = null;
    let employerId: number | null = null;
    let region: string;
    let channel: Channel = 'online';
    if (actor.role === 'citizen') personId = actor.personId;
    else if (actor.role === 'employer') employerId = actor.employerId;
    else {
      channel = 'counter';
      personId = input.personId ?? null;
      employerId = personId === null ? (input.employerId ?? null) : null;
      if (personId === null && employerId === null)
        throw new SbError('SB_ERR_REQUIRED', {
          field: 'personId',
          zh: '请指定申请人',
          en: 'name the applicant',
        });
    }
    const kind = personId !== null ? 'citizen' : 'employer';
    if (!service.applicants.includes(kind))
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'serviceCode',
        zh: kind === 'citizen' ? '该事项由单位申请' : '该事项由个人申请',
        en: kind === 'citizen' ? 'employers apply for this service' : 'persons apply for this service',
      });
    // The applicant must exist and be the caller's own (a clerk's: in the clerk's region); another
    // city's person or employer answers as an unknown id does, naming the field and not the id.
    if (personId !== null) {
      const p = await findPerson(this.ctx.db, personId);
      region = foundInScope(
        actor,
        'hall.apply',
        p,
        (r) => ({ personId: r.id, region: r.region }),
        'personId',
      ).region;
    } else {
      const e = employerId === null ? undefined : await findEmployer(this.ctx.db, employerId);
      region = foundInScope(
        actor,
        'hall.apply',
        e,
        (r) => ({ employerIds: [r.id], region: r.region }),
        'employerId',
      ).region;
    }
    const note = typedNote(input.note);
    const row = await this.ctx.db.transaction().execute(async (tx) => {
      // One application of a person awaiting a decision per service the hall takes itself: a double
      // click, a retry or a second tab filed the same thing twice. Looked up under a lock on (person,
      // service), so copies sent at once are refused too. An employer files several (one per employee).
      if (personId !== null && (await lockOpenApplication(tx, personId, service.code)))
        throw new SbError('SB_ERR_CONFLICT', {
          field: 'serviceCode',
          zh: '该事项已有办理中的申请，请在“我的办件”中查看',
          en: 'an application for this service is already open; see it under your applications',
        });
      return ApplicationService.create(tx, actor, { service, personId, employerId, region, channel, note });
    });
    return view(row);
  }

  private async load(id: number): Promise<AppRow> {
    const r = await applicationById(this.ctx.db, id);
    if (!r) throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    return r;
  }

  /** The application's scope: its person or employer and its region (out of scope answers 404, authorizeFound). */
  private target(r: AppRow) {
    return {
      personId: r.person_id,
      employerIds: r.employer_id === null ? [] : [r.employer_id],
      region: r.region,
    };
  }

  async get(actor: Actor, id: number): Promise<ApplicationView & { events: ApplicationEventView[] }> {
    authorize(actor, 'application.read');
    const r = await this.load(id);
    authorizeFound(actor, 'application.read', this.target(r));
    const [named = { ...r, applicant_name: null }] = await withApplicantNames(this.ctx.db, [r]);
    const events = await applicationEvents(this.ctx.db, id);
    return {
      ...view(named),
      events: events.map((e) => ({
        status: e.status,
        note: storedNoteWords(e.note),
        // An applicant sees who acted by role only: a staff username is half of a staff login. Staff
        // see a colleague by display name; an applicant's login by its masked ID or credit code, and
        // a login that is neither (the demo's `citizen`, masked to *******) by role only.
        actor:
          e.actor_role === 'citizen' || e.actor_role === 'employer'
            ? /^[0-9A-Z]{18}$/.test(e.actor_username.toUpperCase())
              ? maskIdNumber(e.actor_username.toUpperCase())
              : null
            : staffUsernameFor(actor, e.actor_username) === null
              ? null
              : (e.display_name ?? e.actor_username),
        role: e.actor_role,
        at: e.at,
      })),
    };
  }

  /** The caller's own applications (citizen, employer); staff: their region's. Newest first. */
  async listOwn(actor: Actor, q: { page: number; pageSize: number }) {
    authorize(actor, 'application.read');
    const owner =
      actor.role === 'citizen'
        ? { personId: actor.personId ?? -1 }
        : actor.role === 'employer'
          ? { employerId: actor.employerId ?? -1 }
          : { regionPattern: regionLikePattern(actor.region ?? '------') };
    const { rows, total } = await applicationPage(this.ctx.db, { owner }, 'newest', today(), q);
    const named = await withApplicantNames(this.ctx.db, rows);
    return { items: named.map((r) => view(r)), total, page: q.page, pageSize: q.pageSize };
  }

  /** The staff work queue: open applications of the region across services, by deadline. */
  async queue(
    actor: Actor,
    q: {
      page: number;
      pageSize: number;
      sort: 'deadline' | 'submitted';
      overdueOnly: boolean;
      serviceCode?: string;
      status?: ApplicationStatus;
    },
  ) {
    authorize(actor, 'application.handle');
    const on = today();
    const { rows, total, overdue } = await applicationPage(
      this.ctx.db,
      {
        owner: { regionPattern: regionLikePattern(actor.region ?? '------') },
        openOnly: true,
        overdueOnly: q.overdueOnly,
        ...(q.serviceCode ? { serviceCode: q.serviceCode } : {}),
        ...(q.status ? { status: q.status } : {}),
      },
      q.sort,
      on,
      q,
    );
    const named = await withApplicantNames(this.ctx.db, rows);
    return { items: named.map((r) => view(r, on)), total, overdue, page: q.page, pageSize: q.pageSize };
  }

  async act(
    actor: Actor,
    id: number,
    input: { action: ApplicationAction; note?: string; version: number },
  ): Promise<ApplicationView> {
    const t = TRANSITIONS[input.action];
    // Who may take this step at all is decided before the id is looked up: a citizen trying a staff
    // step got 403 for an existing id and 404 for an unknown one.
    const action = t.by === 'staff' ? 'application.handle' : 'hall.apply';
    authorize(actor, action);
    if (t.by === 'applicant' && applicantOf(actor) === null)
      throw new SbError('SB_ERR_FORBIDDEN', { zh: action, en: action });
    const pre = await this.load(id);
    authorizeFound(actor, action, this.target(pre));
    const detail = (typeof pre.detail === 'string' ? JSON.parse(pre.detail) : (pre.detail ?? {})) as Record<
      string,
      unknown
    >;
    if (pre.source_ref !== null)
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '该办件由其业务系统办理，请在对应页面操作',
        en: 'this application is handled in its own process; act on its page',
      });
    const note = typedNote(input.note);
    if (t.noteRequired && !note)
      throw new SbError('SB_ERR_REQUIRED', {
        field: 'note',
        zh: '请说明理由或需补充的材料',
        en: 'give the reason or what is missing',
      });
    // the status in words, as the applicant's messages name it (a clerk read "办件状态为 completed")
    if (!t.from.includes(pre.status))
      throw new SbError('SB_ERR_CONFLICT', {
        zh: `办件状态为“${STATUS_TEXT[pre.status].zh}”`,
        en: `the application is ${STATUS_TEXT[pre.status].en}`,
      });
    const on = today();
    const row = await this.ctx.db.transaction().execute(async (tx) => {
      const updated = await stepApplication(
        tx,
        id,
        { version: input.version, status: pre.status },
        {
          status: t.to,
          closed_on: CLOSED.includes(t.to) ? on : null,
          // A resubmission starts the clock again (the limit runs from a complete application).
          ...(input.action === 'resubmit' && pre.time_limit_wd !== null
            ? { submitted_on: on, deadline: addWorkingDays(on, pre.time_limit_wd) }
            : {}),
          detail: JSON.stringify({ ...detail, note }),
        },
      );
      if (!updated)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: '办件已被他人处理或已修改，请刷新',
          en: 'the application was changed by someone else; refresh',
        });
      await recordStatus(tx, actor, updated, pre.status, note);
      return updated;
    });
    return view(row);
  }
}
