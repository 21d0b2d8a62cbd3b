// Enrolment use cases: list, enrol and end by a clerk (or an employer for its staff), flexible-worker
// self-enrolment and residents' pension enrolment; plus the automatic enrolment of an employee,
// used by the employment service in its own transaction.
import type { AuditAction } from '../audit/audit-actions.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { auditStaffReads } from '../audit/staff-read.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, permits } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { addDays, maxDate, parseDate, type IsoDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import type { TraceStep } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import type { EnrolmentEndReason, Scheme } from '../db/database.ts';
import type { EmployerRow } from './employer.repository.ts';
import { findEmployer } from './employer.repository.ts';
import { openEmploymentsOfPerson } from './employment.repository.ts';
import { directEntryWindow } from './employment.rules.ts';
import {
  endOpenEnrolments,
  findEnrolment,
  insertEnrolment,
  listEnrolments,
  openEnrolments,
  type EnrolmentRow,
  toEnrolment,
} from './enrolment.repository.ts';
import {
  EMPLOYEE_SCHEMES,
  flexibleEligibility,
  reasonText,
  residentEligibility,
  type Decision,
} from './enrolment.rules.ts';
import type {
  CreateEnrolmentInput,
  EndEnrolmentInput,
  EnrolmentDto,
  FlexibleInput,
} from './enrolment.schema.ts';
import { findPersonForUpdate } from './person.repository.ts';
import { personInScope } from './registry-access.ts';
import { endInFuture, notFound, notYourStaff, poolingRegionOf } from './person.rules.ts';

const notEligible = (d: Decision, field?: string): SbError =>
  new SbError('SB_ERR_NOT_ELIGIBLE', { ...reasonText(d.reasons), ...(field ? { field } : {}) });

const alreadyEnrolled = (scheme: Scheme): SbError =>
  new SbError('SB_ERR_DUPLICATE', {
    field: 'scheme',
    zh: `已有未终止的${scheme}参保登记`,
    en: `an open ${scheme} enrolment already exists`,
  });

/** Audits a batch of enrolment changes, one entry each. */
async function auditEnrolments(
  tx: Db,
  actor: Actor,
  action: AuditAction,
  rows: readonly EnrolmentRow[],
  reason: string,
  before?: readonly EnrolmentRow[],
): Promise<void> {
  for (const r of rows) {
    const prior = before?.find((b) => b.id === r.id);
    await appendAudit(tx, actor, {
      action,
      entityType: 'enrolment',
      entityId: r.id,
      region: r.region,
      subjectPersonId: r.person_id,
      ...(prior ? { before: toEnrolment(prior) } : {}),
      after: toEnrolment(r),
      reason,
    });
  }
}

export interface AutoEnrolResult {
  enrolled: EnrolmentRow[];
  alreadyEnrolled: Scheme[];
  ended: EnrolmentRow[];
}

/** The automatic enrolment of an employee, in the caller's transaction (`new EmployeeEnrolmentService(tx)`). */
export class EmployeeEnrolmentService {
  constructor(private readonly tx: Db) {}

  /**
   * Enrols an employee in the schemes an employee must have, through `employer`, from `startDate`,
   * unless already enrolled. A flexible-worker pension ends the day before (the employer takes over);
   * so does a residents' pension (the two pensions exclude each other). Audited, in `tx`.
   */
  async enrol(
    actor: Actor,
    personId: number,
    employer: EmployerRow,
    startDate: IsoDate,
    cause: string,
  ): Promise<AutoEnrolResult> {
    const open = await openEnrolments(this.tx, personId);
    const dayBefore = addDays(startDate, -1);
    const replace = open.filter(
      (e) => (e.scheme === 'employee_pension' && e.kind === 'flexible') || e.scheme === 'resident_pension',
    );
    const ended: EnrolmentRow[] = [];
    // Never silently: the end carries why, in words, on the enrolment and in its audit entry.
    const why = (e: EnrolmentRow): string =>
      e.scheme === 'resident_pension'
        ? `转职工参保 employment at ${employer.name} from ${startDate} (${cause})`
        : `灵活就业转单位参保 employment at ${employer.name} from ${startDate} (${cause})`;
    for (const e of replace) {
      const reason: EnrolmentEndReason = e.kind === 'flexible' ? 'became_employee' : 'switched_scheme';
      const [row] = await endOpenEnrolments(this.tx, personId, dayBefore, reason, { ids: [e.id] }, why(e));
      if (!row) continue;
      ended.push(row);
      await auditEnrolments(this.tx, actor, 'enrolment.end', [row], why(e), [e]);
    }
    const stillOpen = new Set(open.filter((e) => !replace.includes(e)).map((e) => e.scheme));
    const enrolled: EnrolmentRow[] = [];
    const already: Scheme[] = [];
    for (const scheme of EMPLOYEE_SCHEMES) {
      if (stillOpen.has(scheme)) {
        already.push(scheme);
        continue;
      }
      enrolled.push(
        await insertEnrolment(this.tx, {
          person_id: personId,
          scheme,
          kind: 'employee',
          region: employer.region,
          employer_id: employer.id,
          start_date: startDate,
        }),
      );
    }
    await auditEnrolments(
      this.tx,
      actor,
      'enrolment.create',
      enrolled,
      `${cause}: automatic employee enrolment`,
    );
    return { enrolled, alreadyEnrolled: already, ended };
  }
}

export class EnrolmentService {
  constructor(
    private readonly db: Db,
    private readonly params: ParamStore,
  ) {}

  /** A person's enrolments; an employer sees only those through itself. */
  async list(actor: Actor, personId: number): Promise<EnrolmentDto[]> {
    const p = await personInScope(this.db, actor, 'enrolment.read', personId, { field: 'personId' });
    await auditStaffReads(this.db, actor, [{ action: 'enrolment.read', personId: p.id, region: p.region }]);
    const rows = await listEnrolments(
      this.db,
      personId,
      actor.role === 'employer' && actor.employerId !== null ? actor.employerId : undefined,
    );
    return rows.map((r) => ({ ...toEnrolment(r), employerName: r.employer_name }));
  }

  async create(
    actor: Actor,
    input: CreateEnrolmentInput,
  ): Promise<{ enrolment: EnrolmentDto; trace: TraceStep[] }> {
    authorize(actor, 'enrolment.create');
    if (input.kind === 'flexible') {
      if (input.scheme !== 'employee_pension')
        throw new SbError('SB_ERR_VALIDATION', {
          field: 'scheme',
          zh: '灵活就业人员参保登记仅适用于职工养老保险',
          en: 'flexible-worker enrolment is for the employee pension',
        });
      return this.flexible(actor, { personId: input.personId });
    }
    const startDate = input.startDate === undefined ? today() : parseDate(input.startDate, 'startDate');
    if (input.kind === 'resident') {
      if (input.scheme !== 'resident_pension')
        throw new SbError('SB_ERR_VALIDATION', {
          field: 'scheme',
          zh: '居民参保仅适用于城乡居民养老保险',
          en: 'kind resident is for the residents\u2019 pension only',
        });
      if (actor.role === 'employer')
        throw new SbError('SB_ERR_FORBIDDEN', {
          field: 'kind',
          zh: '用人单位不办理城乡居民养老保险参保',
          en: 'employers do not enrol people in the residents\u2019 pension',
        });
      return this.db.transaction().execute(async (tx) => {
        const p = await personInScope(tx, actor, 'enrolment.create', input.personId, {
          field: 'personId',
          forUpdate: true,
        });
        const open = await openEnrolments(tx, p.id);
        const d = residentEligibility({
          date: startDate,
          birthDate: p.birth_date,
          deathDate: p.death_date,
          enrolledInEmployeePension: open.some((e) => e.scheme === 'employee_pension'),
          enrolledInResidentPension: open.some((e) => e.scheme === 'resident_pension'),
        });
        if (!d.eligible) throw notEligible(d);
        const row = await insertEnrolment(tx, {
          person_id: p.id,
          scheme: 'resident_pension',
          kind: 'resident',
          region: p.region,
          employer_id: null,
          start_date: startDate,
        });
        await auditEnrolments(tx, actor, 'enrolment.create', [row], 'residents\u2019 pension enrolment');
        return { enrolment: toEnrolment(row), trace: d.trace };
      });
    }
    // kind employee
    if (input.scheme === 'resident_pension')
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'scheme',
        zh: '城乡居民养老保险不通过用人单位参保',
        en: 'the residents\u2019 pension is not enrolled through an employer',
      });
    if (input.employerId === undefined)
      throw new SbError('SB_ERR_REQUIRED', { field: 'employerId', zh: 'employerId', en: 'employerId' });
    const employerId = input.employerId;
    return this.db.transaction().execute(async (tx) => {
      const employer = await findEmployer(tx, employerId);
      if (!employer) {
        if (actor.role === 'employer' && actor.employerId !== employerId)
          authorize(actor, 'enrolment.create', { employerIds: [employerId] });
        throw notFound('employerId');
      }
      // another city's employer answers staff as an unknown one (an employer hears 403 for any other)
      if (
        actor.role !== 'employer' &&
        !permits(actor, 'enrolment.create', { employerIds: [employer.id], region: employer.region.trim() })
      )
        throw notFound('employerId');
      authorize(actor, 'enrolment.create', { employerIds: [employer.id], region: employer.region });
      // An employer hears only "not your staff" about anyone it does not employ now.
      if (
        actor.role === 'employer' &&
        !(await openEmploymentsOfPerson(tx, input.personId)).some((e) => e.employer_id === employer.id)
      )
        throw notYourStaff();
      const p = await findPersonForUpdate(tx, input.personId);
      if (!p) throw notFound('personId');
      if (p.death_date !== null)
        throw new SbError('SB_ERR_NOT_ELIGIBLE', {
          field: 'personId',
          zh: `已登记死亡（${p.death_date}）`,
          en: `recorded as deceased on ${p.death_date}`,
        });
      const employment = (await openEmploymentsOfPerson(tx, p.id)).find((e) => e.employer_id === employer.id);
      if (!employment)
        throw new SbError('SB_ERR_NOT_ELIGIBLE', {
          field: 'employerId',
          zh: '该人员与该单位没有在职劳动关系',
          en: 'the person has no current employment with this employer',
        });
      // An enrolment through an employer lies within the employment, from no later than today (or its
      // start); an employer's from no earlier than a hire it reports (older months are a back-entry):
      // a start years back or ahead moved the months it owes contributions for.
      const from =
        actor.role === 'employer'
          ? maxDate(
              employment.start_date,
              directEntryWindow(this.params, employer.region.trim(), today()).earliest,
            )
          : employment.start_date;
      const to = maxDate(today(), employment.start_date);
      if (startDate < from || startDate > to)
        throw new SbError('SB_ERR_VALIDATION', {
          field: 'startDate',
          zh: `参保日期须在 ${from} 至 ${to} 之间`,
          en: `the start date must be from ${from} to ${to}`,
        });
      const open = await openEnrolments(tx, p.id);
      if (open.some((e) => e.scheme === input.scheme)) throw alreadyEnrolled(input.scheme);
      const row = await insertEnrolment(tx, {
        person_id: p.id,
        scheme: input.scheme,
        kind: 'employee',
        region: employer.region,
        employer_id: employer.id,
        start_date: startDate,
      });
      await auditEnrolments(tx, actor, 'enrolment.create', [row], 'employee enrolment');
      return { enrolment: toEnrolment(row), trace: [] };
    });
  }

  async end(actor: Actor, id: number, input: EndEnrolmentInput): Promise<EnrolmentDto> {
    authorize(actor, 'enrolment.end');
    const endDate = parseDate(input.endDate, 'endDate');
    if (endDate > today()) throw endInFuture();
    return this.db.transaction().execute(async (tx) => {
      const e = await findEnrolment(tx, id);
      if (!e) throw notFound('id');
      // another city's enrolment answers as an unknown one, naming the enrolment (the path's id), not its person
      const p = await personInScope(tx, actor, 'enrolment.end', e.person_id, {
        field: 'id',
        forUpdate: true,
      });
      authorize(actor, 'enrolment.end', { personId: p.id, region: e.region });
      if (e.status === 'ended')
        throw new SbError('SB_ERR_CONFLICT', {
          zh: `该参保登记已于 ${e.end_date ?? ''} 终止`,
          en: `the enrolment already ended on ${e.end_date ?? ''}`,
        });
      if (endDate < e.start_date)
        throw new SbError('SB_ERR_VALIDATION', {
          field: 'endDate',
          zh: `终止日期早于参保日期 ${e.start_date}`,
          en: `the end date precedes the start date ${e.start_date}`,
        });
      const [row] = await endOpenEnrolments(
        tx,
        p.id,
        endDate,
        input.reason,
        { ids: [id] },
        input.note?.trim() || null,
      );
      if (!row) throw new SbError('SB_ERR_CONFLICT');
      await auditEnrolments(tx, actor, 'enrolment.end', [row], input.note ?? input.reason, [e]);
      return toEnrolment(row);
    });
  }

  /**
   * 灵活就业 self-enrolment in the employee pension, decided on today's date: not employed, not
   * already enrolled, of working age, and local hukou where the region's dated parameter asks for it.
   */
  async flexible(
    actor: Actor,
    input: FlexibleInput,
  ): Promise<{ enrolment: EnrolmentDto; trace: TraceStep[] }> {
    authorize(actor, 'enrolment.flexible');
    const personId = input.personId ?? actor.personId;
    if (personId === null)
      throw new SbError('SB_ERR_REQUIRED', { field: 'personId', zh: 'personId', en: 'personId' });
    const date = today();
    return this.db.transaction().execute(async (tx) => {
      const p = await personInScope(tx, actor, 'enrolment.flexible', personId, {
        field: 'personId',
        forUpdate: true,
      });
      const open = await openEnrolments(tx, p.id);
      const employments = await openEmploymentsOfPerson(tx, p.id);
      const poolingRegion = poolingRegionOf(p.region);
      const d = flexibleEligibility(
        {
          date,
          sex: p.sex,
          birthDate: p.birth_date,
          deathDate: p.death_date,
          hukouRegion: p.hukou_region,
          poolingRegion,
          openEmployments: employments.length,
          enrolledInEmployeePension: open.some((e) => e.scheme === 'employee_pension'),
        },
        this.params,
      );
      if (!d.eligible) throw notEligible(d, 'personId');
      const resident = open.filter((e) => e.scheme === 'resident_pension');
      const ended = await endOpenEnrolments(
        tx,
        p.id,
        addDays(date, -1),
        'switched_scheme',
        { ids: resident.map((e) => e.id) },
        `转灵活就业人员职工养老保险 flexible-worker employee pension from ${date}`,
      );
      await auditEnrolments(
        tx,
        actor,
        'enrolment.end',
        ended,
        'replaced by the flexible-worker employee pension',
        resident,
      );
      const row = await insertEnrolment(tx, {
        person_id: p.id,
        scheme: 'employee_pension',
        kind: 'flexible',
        region: p.region,
        employer_id: null,
        start_date: date,
      });
      await auditEnrolments(tx, actor, 'enrolment.flexible', [row], 'flexible-worker self-enrolment');
      return { enrolment: toEnrolment(row), trace: d.trace };
    });
  }
}
