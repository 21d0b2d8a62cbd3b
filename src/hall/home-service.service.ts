// Home service (送服务上门): appointments for the very old, the disabled and the bedridden, booked
// by the person or by a family member, handled by the region's clerks (assign a worker and a day,
// record the visit and its outcome). Each appointment is an application of the catalogue item
// `home-service`, so it shows in the hall with its deadline and history, and the person is told of
// every step. A family member names the person by ID number and name: a pair that does not match
// the registry is refused with the same answer as an unknown number, at most 5 failures a day per
// login, and the booking shows them nothing the registry holds about the person.
import type { Selectable } from 'kysely';
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, regionCovers } from '../auth/policy.ts';
import type { HomeVisitStep } from './hall.audit-actions.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { type Note, typedNote, type Words } from '../core/bilingual.ts';
import { today } from '../core/clock.ts';
import { ageInYears, dateInWords } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { checkIdNumber, maskIdNumber } from '../core/ids.ts';
import { projectParams } from '../core/params-loader.ts';
import { regionLikePattern } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import {
  applicationById,
  moveApplication,
  recordStatus,
  setApplicationSource,
} from './application.repository.ts';
import { ApplicationService } from './application.service.ts';
import { maskName } from './certificate-support.ts';
import { serviceByCode } from './catalogue.ts';
import type {
  ApplicationStatus,
  HallHomeVisitTable,
  HomeGroup,
  HomeOutcome,
  HomeVisitStatus,
} from './hall.db.ts';
import {
  homeVisitById,
  homeVisitJoined,
  homeVisitList,
  insertHomeVisit,
  lockMatchFailures,
  loginByUsername,
  personOfLogin,
  recordMatchFailure,
  regionClerks,
  stepHomeVisit,
  type VisitJoined,
} from './home-service.repository.ts';
import { findPerson, livingPersonIdByIdAndName } from '../registry/person.repository.ts';
import { postMessage } from './message.repository.ts';
import {
  assignWindow,
  bookingWindow,
  type BookingWindow,
  type VisitDayWindow,
} from './home-service.rules.ts';

type VisitRow = Selectable<HallHomeVisitTable>;

/** The age from which a person counts as very old (高龄) for home service. */
export const ELDERLY_AGE = 80;
/** Failed registry matches a login may make in 24 hours when booking for a family member. */
export const MAX_MATCH_FAILURES_PER_DAY = 5;

/** An appointment's status in words, as its page names it (homeMessages.ts), never by its code. */
const STATUS_WORDS: Record<HomeVisitStatus, Words> = {
  booked: { zh: '待安排', en: 'to be arranged' },
  assigned: { zh: '已安排', en: 'arranged' },
  done: { zh: '已上门', en: 'visited' },
  cancelled: { zh: '已取消', en: 'cancelled' },
  refused: { zh: '不予安排', en: 'refused' },
};

/** The refusal of a step on an appointment that is no longer open. */
const notOpen = (status: HomeVisitStatus): SbError =>
  new SbError('SB_ERR_CONFLICT', {
    zh: `预约状态为“${STATUS_WORDS[status].zh}”`,
    en: `the appointment is ${STATUS_WORDS[status].en}`,
  });

/** The visit asked for: who it is for (by group), what, where, how to reach them, and when. */
interface HomeVisitRequest {
  group: HomeGroup;
  serviceWanted: string;
  address: string;
  contactPhone: string;
  preferredDate: string;
  preferredSlot: 'am' | 'pm';
}

export interface BookInput extends HomeVisitRequest {
  /** absent or null: the person themself; else the family member's ID number and name */
  idNumber?: string | null;
  name?: string | null;
  relation?: string | null;
}

/** What the booker and the person see: their appointment, nothing more from the registry. */
export interface HomeVisitView extends HomeVisitRequest {
  id: number;
  applicationId: number;
  bookedFor: 'self' | 'family';
  relation: string | null;
  /** masked: the booker typed the name; the page does not repeat it */
  personName: string;
  personIdNumber: string;
  status: HomeVisitStatus;
  /** the assigned clerk's login name: staff only (null for the booker and the person) */
  assignedTo: string | null;
  /** the assigned clerk's name as the person at the door will introduce themselves */
  assignedName: string | null;
  visitDate: string | null;
  outcome: HomeOutcome | null;
  outcomeNote: string | null;
  deadline: string | null;
  version: number;
  createdAt: string;
}

/** What the region's clerks see besides: who the person is, their age and registry group. */
export interface HomeVisitStaffView extends HomeVisitView {
  personId: number;
  region: string;
  age: number;
  registryGroup: string | null;
  overdue: boolean;
  /** an open appointment's days a clerk may arrange it on (for the page's picker) */
  assignWindow?: VisitDayWindow;
}

const STATUS_OF_APP: Record<HomeVisitStatus, ApplicationStatus> = {
  booked: 'submitted',
  assigned: 'accepted',
  done: 'completed',
  cancelled: 'withdrawn',
  refused: 'rejected',
};

const GROUP_ZH: Record<HomeGroup, string> = { elderly: '高龄', disabled: '残疾', bedridden: '失能卧床' };
const GROUP_EN: Record<HomeGroup, string> = {
  elderly: 'very old',
  disabled: 'disabled',
  bedridden: 'bedridden',
};

function text(raw: string | null | undefined, field: string, max: number, required = true): string | null {
  const v = (raw ?? '').trim();
  if (!v) {
    if (!required) return null;
    throw new SbError('SB_ERR_REQUIRED', { field });
  }
  if (v.length > max) throw new SbError('SB_ERR_OUT_OF_RANGE', { field });
  return v;
}

const notFound = () => new SbError('SB_ERR_NOT_FOUND', { field: 'id' });

export class HomeServiceService {
  constructor(private readonly ctx: AppContext) {}

  async book(actor: Actor, input: BookInput): Promise<HomeVisitView> {
    authorize(actor, 'home-service.book');
    if (actor.personId === null || actor.userId === null) throw new SbError('SB_ERR_FORBIDDEN');
    const service = serviceByCode('home-service');
    if (!service) throw new SbError('SB_ERR_NOT_FOUND', { field: 'serviceCode' });
    const on = today();
    const serviceWanted = text(input.serviceWanted, 'serviceWanted', 200) ?? '';
    const address = text(input.address, 'address', 200) ?? '';
    const relation = text(input.relation, 'relation', 20, false);
    const phone = (input.contactPhone ?? '').trim();
    if (!/^1[3-9]\d{9}$/.test(phone) && !/^0\d{2,3}-?\d{7,8}$/.test(phone))
      throw new SbError('SB_ERR_INVALID_PHONE', { field: 'contactPhone' });
    const d = input.preferredDate;
    // The booker's own region's window, checked before any registry match (a family member's region
    // would show in the refusal's days).
    const window = await this.bookingWindowOf(actor.personId);
    if (!window.days.includes(d))
      throw new SbError('SB_ERR_INVALID_DATE', {
        field: 'preferredDate',
        zh: `请选择${window.words.zh}`,
        en: `choose ${window.words.en}`,
      });

    let personId = actor.personId;
    let bookedFor: 'self' | 'family' = 'self';
    if (input.idNumber) {
      const id = checkIdNumber(input.idNumber, on);
      if (!id.valid)
        throw new SbError('SB_ERR_INVALID_ID_NUMBER', { field: 'idNumber', zh: id.reasonZh, en: id.reason });
      const name = text(input.name, 'name', 50) ?? '';
      const userId = actor.userId;
      // One booker's guesses are checked one at a time (a lock on the booker): sent at once, each read
      // the day's count before any failure was written, and all were tried past the limit.
      const p = await this.ctx.db.transaction().execute(async (tx) => {
        if ((await lockMatchFailures(tx, userId)) >= MAX_MATCH_FAILURES_PER_DAY) return 'too-many' as const;
        const found = await livingPersonIdByIdAndName(tx, id.normalized, name);
        // Counted in a committed transaction; the same answer for every kind of mismatch.
        if (found === undefined) await recordMatchFailure(tx, userId);
        return found ?? null;
      });
      if (p === 'too-many') throw new SbError('SB_ERR_TOO_MANY_ATTEMPTS', { field: 'idNumber' });
      if (p === null) throw new SbError('SB_ERR_REGISTRY_MISMATCH', { field: 'idNumber' });
      if (p !== personId) {
        personId = p;
        bookedFor = 'family';
      }
    }
    const person = await findPerson(this.ctx.db, personId);
    if (!person) throw new SbError('SB_ERR_NOT_FOUND', { field: 'idNumber' });
    // Booking for oneself as very old: the registry's birth date decides. For a family member the
    // clerk checks (the answer would tell the booker the person's age).
    if (bookedFor === 'self' && input.group === 'elderly' && ageInYears(person.birth_date, on) < ELDERLY_AGE)
      throw new SbError('SB_ERR_NOT_ELIGIBLE', {
        field: 'group',
        zh: `高龄上门服务面向 ${ELDERLY_AGE} 周岁以上人员`,
        en: `home service for the very old is for persons aged ${ELDERLY_AGE} and over`,
      });

    const bookingNote: Note = {
      zh: `${GROUP_ZH[input.group]}：${serviceWanted}`,
      en: `${GROUP_EN[input.group]}: ${serviceWanted}`,
    };
    const row = await this.ctx.db.transaction().execute(async (tx) => {
      const app = await ApplicationService.create(tx, actor, {
        service,
        personId,
        employerId: null,
        region: person.region,
        channel: 'online',
        note: bookingNote,
        detail: {},
        tellApplicant: bookedFor === 'family',
      });
      const visit = await insertHomeVisit(tx, {
        application_id: app.id,
        person_id: personId,
        region: person.region,
        booked_by_user_id: actor.userId ?? 0,
        booked_for: bookedFor,
        relation: bookedFor === 'family' ? relation : null,
        grp: input.group,
        service_wanted: serviceWanted,
        address,
        contact_phone: phone,
        preferred_date: d,
        preferred_slot: input.preferredSlot,
        status: 'booked',
        assigned_to: null,
        visit_date: null,
        outcome: null,
        outcome_note: null,
      });
      // Acted on in the home-service pages, not through the hall's generic actions.
      await setApplicationSource(tx, app.id, `hall_home_visit:${visit.id}`, {
        note: bookingNote,
        link: `/agency/home-service/${visit.id}`,
        citizenLink: `/citizen/home-service/${visit.id}`,
      });
      await appendAudit(tx, actor, {
        action: 'home-visit.book',
        entityType: 'hall_home_visit',
        entityId: visit.id,
        region: person.region,
        subjectPersonId: personId,
        before: null,
        after: { status: 'booked', bookedFor, group: input.group, preferredDate: d },
        reason: null,
      });
      return visit;
    });
    return this.view(await this.loadJoined(row.id));
  }

  /** The days the citizen's booking page offers: the same the booking takes. */
  async bookingWindow(actor: Actor): Promise<BookingWindow> {
    authorize(actor, 'home-service.book');
    if (actor.personId === null) throw new SbError('SB_ERR_FORBIDDEN');
    return this.bookingWindowOf(actor.personId);
  }

  private async bookingWindowOf(bookerId: number): Promise<BookingWindow> {
    const booker = await findPerson(this.ctx.db, bookerId);
    if (!booker) throw new SbError('SB_ERR_FORBIDDEN');
    return bookingWindow(projectParams(), booker.region.trim(), today());
  }

  /** One visit as the views read it (after a write: the row as it now stands). */
  private loadJoined(id: number): Promise<VisitJoined> {
    return homeVisitJoined(this.ctx.db, id);
  }

  /** What the booker and the person see; the clerk by name, never by login. */
  private view(r: VisitJoined): HomeVisitView {
    return {
      id: r.id,
      applicationId: r.application_id,
      bookedFor: r.booked_for,
      relation: r.relation,
      personName: maskName(r.p_name),
      personIdNumber: maskIdNumber(r.p_id_number),
      group: r.grp,
      serviceWanted: r.service_wanted,
      address: r.address,
      contactPhone: r.contact_phone,
      preferredDate: r.preferred_date,
      preferredSlot: r.preferred_slot,
      status: r.status,
      assignedTo: null,
      assignedName: r.assigned_name,
      visitDate: r.visit_date,
      outcome: r.outcome,
      outcomeNote: r.outcome_note,
      deadline: r.deadline,
      version: r.version,
      createdAt: r.created_at,
    };
  }

  private staffView(r: VisitJoined): HomeVisitStaffView {
    const v = this.view(r);
    const on = today();
    const open = r.status === 'booked' || r.status === 'assigned';
    return {
      ...v,
      assignedTo: r.assigned_to,
      personName: r.p_name,
      personId: r.person_id,
      region: r.region,
      age: ageInYears(r.p_birth_date, on),
      registryGroup: r.p_hardship_group,
      overdue: open && v.deadline !== null && v.deadline < on,
      // the days the assignment takes, for the page's picker (the list's row is the row read alone)
      ...(open ? { assignWindow: assignWindow(projectParams(), r.region.trim(), on) } : {}),
    };
  }

  private isStaff(actor: Actor): boolean {
    return actor.role !== 'citizen' && actor.role !== 'employer';
  }

  /** A citizen: the appointments they booked and those made for them; staff: their region's, by deadline. */
  async list(
    actor: Actor,
    q: { status?: HomeVisitStatus },
  ): Promise<{ items: HomeVisitView[]; total: number }> {
    authorize(actor, 'home-service.read');
    const rows = await homeVisitList(
      this.ctx.db,
      this.isStaff(actor)
        ? { regionPattern: regionLikePattern(actor.region ?? '------') }
        : { userId: actor.userId ?? -1, personId: actor.personId ?? -1 },
      q.status,
    );
    const items = rows.map((r) => (this.isStaff(actor) ? this.staffView(r) : this.view(r)));
    return { items, total: items.length };
  }

  private async load(id: number): Promise<VisitRow> {
    const r = await homeVisitById(this.ctx.db, id);
    if (!r) throw notFound();
    return r;
  }

  /** The booker and the person see their appointment; anyone else gets 404 (nothing is confirmed). */
  private async loadFor(actor: Actor, id: number): Promise<VisitRow> {
    const r = await this.load(id);
    if (this.isStaff(actor)) {
      if (actor.role !== 'system' && (actor.region === null || !regionCovers(actor.region, r.region)))
        throw notFound();
      return r;
    }
    if (r.booked_by_user_id !== actor.userId && r.person_id !== actor.personId) throw notFound();
    return r;
  }

  async get(actor: Actor, id: number): Promise<HomeVisitView> {
    authorize(actor, 'home-service.read');
    const r = await this.loadFor(actor, id);
    const j = await this.loadJoined(r.id);
    return this.isStaff(actor) ? this.staffView(j) : this.view(j);
  }

  /** The region's clerks a visit can be given to. */
  async staff(actor: Actor): Promise<Array<{ username: string; displayName: string }>> {
    authorize(actor, 'home-service.handle');
    const rows = await regionClerks(this.ctx.db, regionLikePattern(actor.region ?? '------'));
    return rows.map((r) => ({ username: r.username, displayName: r.display_name }));
  }

  /** Moves the appointment and its application in one transaction, audited; the person (and a family booker) told. */
  private async move(
    actor: Actor,
    pre: VisitRow,
    version: number,
    set: Partial<Pick<VisitRow, 'status' | 'assigned_to' | 'visit_date' | 'outcome' | 'outcome_note'>>,
    note: string | null,
    action: HomeVisitStep,
  ): Promise<VisitRow> {
    const row = await this.ctx.db.transaction().execute(async (tx) => {
      const updated = await stepHomeVisit(tx, pre.id, version, set);
      if (!updated)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: '预约已被他人处理或已修改，请刷新',
          en: 'the appointment was changed by someone else; refresh',
        });
      await appendAudit(tx, actor, {
        action: `home-visit.${action}`,
        entityType: 'hall_home_visit',
        entityId: pre.id,
        region: pre.region,
        subjectPersonId: pre.person_id,
        before: { status: pre.status, assignedTo: pre.assigned_to, visitDate: pre.visit_date },
        after: {
          status: updated.status,
          assignedTo: updated.assigned_to,
          visitDate: updated.visit_date,
          outcome: updated.outcome,
        },
        reason: note,
      });
      await this.moveApplication(tx, actor, updated, note);
      if (updated.booked_for === 'family') await this.tellBooker(tx, updated, note);
      return updated;
    });
    return row;
  }

  private async moveApplication(tx: Db, actor: Actor, v: VisitRow, note: string | null): Promise<void> {
    const app = await applicationById(tx, v.application_id);
    if (!app) throw notFound();
    const to = STATUS_OF_APP[v.status];
    // The system's words in both languages, the clerk's own after them as typed.
    const words: Note | null =
      v.status === 'assigned'
        ? {
            zh: `已安排${visitDay(v, 'zh')}上门${note ? `；${note}` : ''}`,
            en: `a visit is arranged on ${visitDay(v, 'en')}${note ? `; ${note}` : ''}`,
          }
        : v.outcome === 'not-home'
          ? {
              zh: `${visitDay(v, 'zh')}上门未遇，将另行安排${note ? `；${note}` : ''}`,
              en: `nobody at home on ${visitDay(v, 'en')}; another visit will be arranged${note ? `; ${note}` : ''}`,
            }
          : typedNote(note);
    if (app.status === to && !words) return;
    const closed = to === 'completed' || to === 'withdrawn' || to === 'rejected';
    const updated = await moveApplication(tx, app.id, { status: to, closed_on: closed ? today() : null });
    await recordStatus(tx, actor, updated, app.status, words, { tellApplicant: true });
  }

  private async tellBooker(tx: Db, v: VisitRow, note: string | null): Promise<void> {
    const bookerId = await personOfLogin(tx, v.booked_by_user_id);
    if (bookerId === null) return;
    const zh: Record<HomeVisitStatus, string> = {
      booked: '已预约',
      assigned: `已安排${visitDay(v, 'zh')}上门`,
      done: v.outcome === 'referred' ? '已上门，转窗口办理' : '已上门办结',
      cancelled: '已取消',
      refused: '不予安排',
    };
    const en: Record<HomeVisitStatus, string> = {
      booked: 'booked',
      assigned: `a visit is arranged on ${visitDay(v, 'en')}`,
      done: v.outcome === 'referred' ? 'visited, referred to a counter' : 'visited and done',
      cancelled: 'cancelled',
      refused: 'refused',
    };
    const status = v.outcome === 'not-home' ? 'assigned' : v.status;
    await postMessage(tx, {
      personId: bookerId,
      topic: 'home-visit.status',
      titleZh: `上门服务预约 #${v.id}：${v.outcome === 'not-home' ? '上门未遇' : zh[status]}`,
      titleEn: `Home service appointment no. ${v.id}: ${v.outcome === 'not-home' ? 'nobody at home' : en[status]}`,
      bodyZh: `您为家人预约的上门服务（${v.service_wanted}）${zh[status]}。${note ? `说明：${note}` : ''}`,
      bodyEn: `The home service you booked for a family member (${v.service_wanted}): ${en[status]}.${note ? ` Note: ${note}` : ''}`,
      link: `/citizen/home-service/${v.id}`,
    });
  }

  /** An appointment a clerk of its region may still handle: booked or assigned. */
  private async openToHandle(actor: Actor, id: number) {
    authorize(actor, 'home-service.handle');
    const pre = await this.loadFor(actor, id);
    authorize(actor, 'home-service.handle', { region: pre.region });
    if (pre.status !== 'booked' && pre.status !== 'assigned') throw notOpen(pre.status);
    return pre;
  }

  async assign(
    actor: Actor,
    id: number,
    input: { assignee: string; visitDate: string; version: number; note?: string },
  ) {
    const pre = await this.openToHandle(actor, id);
    const worker = await loginByUsername(this.ctx.db, input.assignee.trim());
    if (
      !worker ||
      worker.role !== 'clerk' ||
      worker.region === null ||
      !regionCovers(worker.region, pre.region)
    )
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'assignee',
        zh: '请指派本地区的经办人员',
        en: 'assign a clerk of the region',
      });
    const window = assignWindow(projectParams(), pre.region.trim(), today());
    if (input.visitDate < window.earliest || input.visitDate > window.latest)
      throw new SbError('SB_ERR_INVALID_DATE', {
        field: 'visitDate',
        zh: `上门日期应在${window.words.zh}`,
        en: `the visit day must be from ${window.words.en}`,
      });
    const note = input.note?.trim() || null;
    const row = await this.move(
      actor,
      pre,
      input.version,
      {
        status: 'assigned',
        assigned_to: worker.username,
        visit_date: input.visitDate,
        outcome: null,
        outcome_note: null,
      },
      note,
      'assign',
    );
    return this.staffView(await this.loadJoined(row.id));
  }

  async done(actor: Actor, id: number, input: { outcome: HomeOutcome; note?: string; version: number }) {
    authorize(actor, 'home-service.handle');
    const pre = await this.loadFor(actor, id);
    authorize(actor, 'home-service.handle', { region: pre.region });
    if (pre.status !== 'assigned')
      throw new SbError('SB_ERR_CONFLICT', { zh: '请先指派上门人员', en: 'assign the visit first' });
    const note = input.note?.trim() || null;
    if (input.outcome !== 'served' && !note)
      throw new SbError('SB_ERR_REQUIRED', { field: 'note', zh: '请说明情况', en: 'say what happened' });
    // Nobody at home: the appointment stays open to be arranged again.
    const set =
      input.outcome === 'not-home'
        ? { status: 'assigned' as const, outcome: 'not-home' as const, outcome_note: note }
        : { status: 'done' as const, outcome: input.outcome, outcome_note: note };
    const row = await this.move(
      actor,
      pre,
      input.version,
      set,
      note,
      input.outcome === 'not-home' ? 'not-home' : 'done',
    );
    return this.staffView(await this.loadJoined(row.id));
  }

  /** The booker or the person cancel an open appointment. */
  async cancel(actor: Actor, id: number, input: { note?: string; version: number }): Promise<HomeVisitView> {
    authorize(actor, 'home-service.book');
    const pre = await this.loadFor(actor, id);
    if (pre.status !== 'booked' && pre.status !== 'assigned') throw notOpen(pre.status);
    const note = input.note?.trim() || null;
    const row = await this.move(actor, pre, input.version, { status: 'cancelled' }, note, 'cancel');
    return this.view(await this.loadJoined(row.id));
  }

  /** A clerk refuses (not eligible, outside the area…) with the reason. */
  async refuse(
    actor: Actor,
    id: number,
    input: { note: string; version: number },
  ): Promise<HomeVisitStaffView> {
    const pre = await this.openToHandle(actor, id);
    const note = input.note.trim();
    if (!note)
      throw new SbError('SB_ERR_REQUIRED', { field: 'note', zh: '请说明理由', en: 'give the reason' });
    const row = await this.move(actor, pre, input.version, { status: 'refused' }, note, 'refuse');
    return this.staffView(await this.loadJoined(row.id));
  }
}

/** The visit's day as the applicant reads it in a message (the ISO date read as a code). */
const visitDay = (v: Pick<VisitRow, 'visit_date'>, lang: 'zh' | 'en'): string =>
  v.visit_date ? dateInWords(v.visit_date, lang) : '';
