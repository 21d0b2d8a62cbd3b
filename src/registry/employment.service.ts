// Employment relations: start (which enrols the employee automatically) and end (which ends those
// enrolments, keeping the reason: an involuntary end is what later opens unemployment benefit); an
// approved retirement ends them all, an approved residents' pension the residents' enrolment
// (endAtRetirement).
import { appendAudit } from '../audit/audit.repository.ts';
import { auditStaffReads } from '../audit/staff-read.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { projectParams } from '../core/params-loader.ts';
import { addDays, ageInYears, parseDate, type IsoDate } from '../core/dates.ts';
import { checkIdNumber } from '../core/ids.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import type { EnrolmentEndReason } from '../db/database.ts';
import { findEmployer, type EmployerRow } from './employer.repository.ts';
import {
  employmentsOfPerson,
  endEmployment,
  endOpenEmploymentsOfPerson,
  findEmploymentForUpdate,
  insertEmployment,
  openEmploymentsOfPerson,
  type EmploymentRow,
} from './employment.repository.ts';
import { endOpenEnrolments, toEnrolment, type EnrolmentRow } from './enrolment.repository.ts';
import { directEntryWindow, type DirectEntryWindow } from './employment.rules.ts';
import { EMPLOYEE_SCHEMES } from './enrolment.rules.ts';
import type {
  EmploymentDto,
  EndEmploymentInput,
  EnrolmentDto,
  StartEmploymentInput,
} from './enrolment.schema.ts';
import { EmployeeEnrolmentService } from './enrolment.service.ts';
import { findPersonForUpdate, personIdByIdNumber, type PersonRow } from './person.repository.ts';
import { endInFuture, normalizeName, notFound } from './person.rules.ts';
import { employerInScope, personInScope } from './registry-access.ts';
import { isUniqueViolation } from '../db/values.ts';
import type { PensionScheme, Scheme } from '../db/database.ts';
import { auditReason } from '../audit/audit-reasons.ts';

/** Minimum working age (劳动法 Art. 15). */
const MIN_EMPLOYMENT_AGE = 16;

const toEmployment = (r: EmploymentRow): EmploymentDto => ({
  id: r.id,
  personId: r.person_id,
  employerId: r.employer_id,
  startDate: r.start_date,
  endDate: r.end_date,
  endReason: r.end_reason,
  monthlyWageFen: r.monthly_wage_fen,
});

const alreadyEmployed = (): SbError =>
  new SbError('SB_ERR_DUPLICATE', {
    field: 'employerId',
    zh: '该人员已在该单位在职',
    en: 'the person is already employed by this employer',
  });

const backEntryRequired = (w: DirectEntryWindow): SbError =>
  new SbError('SB_ERR_BACK_ENTRY_REQUIRED', {
    field: 'startDate',
    zh: `入职日期最早为 ${w.earliest}（${w.words.zh}）；更早的日期请经办机构办理补录（须填写原因并经复核）`,
    en: `the earliest start date is ${w.earliest} (${w.words.en}); an earlier one is a back-entry (补录) the agency files with a reason for a reviewer`,
  });

const lateEndAtCounter = (w: DirectEntryWindow): SbError =>
  new SbError('SB_ERR_VALIDATION', {
    field: 'endDate',
    zh: `离职日期最早为 ${w.earliest}（${w.words.zh}）；更早的离职请到经办机构办理`,
    en: `the earliest end date is ${w.earliest} (${w.words.en}); an earlier separation is recorded by the agency`,
  });

/** The one answer to an ID number and name that do not match a living registered person. */
const identityMismatch = (): SbError =>
  new SbError('SB_ERR_IDENTITY_MISMATCH', {
    field: 'idNumber',
    zh: '如尚未参保登记，请先到经办机构登记',
    en: 'if the person is not yet registered, the agency registers them first',
  });

export interface HireIdentity {
  personId?: number | undefined;
  idNumber?: string | undefined;
  name?: string | undefined;
}

/**
 * The person a hire names. An employer gives the full ID number and the name, which must match a
 * living registered person (one generic answer otherwise, revealing nothing); never an internal id.
 * Staff may give the internal id or the ID number (with the name checked when given).
 */
async function resolveHire(tx: Db, actor: Actor, who: HireIdentity): Promise<PersonRow> {
  const byEmployer = actor.role === 'employer';
  if (byEmployer && who.personId !== undefined)
    throw new SbError('SB_ERR_VALIDATION', {
      field: 'personId',
      zh: '用人单位增员须填写身份证号码和姓名，不接受参保人编号',
      en: 'an employer names the new staff member by ID number and name, not by the internal person number',
    });
  if (who.idNumber === undefined || who.idNumber.trim() === '') {
    if (byEmployer || who.personId === undefined)
      throw new SbError('SB_ERR_REQUIRED', { field: 'idNumber', zh: '身份证号码', en: 'ID number' });
    const p = await findPersonForUpdate(tx, who.personId);
    if (!p) throw notFound('personId');
    return checkAlive(p);
  }
  if (byEmployer && (who.name === undefined || who.name.trim() === ''))
    throw new SbError('SB_ERR_REQUIRED', { field: 'name', zh: '姓名', en: 'name' });
  const checked = checkIdNumber(who.idNumber, today());
  if (!checked.valid)
    throw new SbError('SB_ERR_INVALID_ID_NUMBER', {
      field: 'idNumber',
      zh: `身份证号码${checked.reasonZh}`,
      en: `ID number ${checked.reason}`,
    });
  const id = await personIdByIdNumber(tx, checked.normalized);
  const p = id === undefined ? undefined : await findPersonForUpdate(tx, id);
  const nameMatches = p !== undefined && (who.name === undefined || normalizeName(who.name) === p.name);
  if (byEmployer) {
    if (!p || !nameMatches || p.death_date !== null) throw identityMismatch();
    return p;
  }
  if (!p || !nameMatches) throw identityMismatch();
  if (who.personId !== undefined && who.personId !== p.id) throw identityMismatch();
  return checkAlive(p);
}

function checkAlive(p: PersonRow): PersonRow {
  if (p.death_date !== null)
    throw new SbError('SB_ERR_NOT_ELIGIBLE', {
      field: 'personId',
      zh: `已登记死亡（${p.death_date}）`,
      en: `recorded as deceased on ${p.death_date}`,
    });
  return p;
}

/** A hire's answer: the employment, the schemes it enrolled (or found enrolled), the enrolments it ended. */
export interface Hired {
  employment: EmploymentDto;
  enrolled: EnrolmentDto[];
  alreadyEnrolled: Scheme[];
  ended: EnrolmentDto[];
}

/**
 * Starts an employment in `tx` (the person checked and locked): age, no open employment with this
 * employer, the automatic enrolment (which ends a flexible or residents' pension with its reason in
 * words), each audited. Used by a direct hire and by an approved back-entry.
 */
async function hire(
  tx: Db,
  actor: Actor,
  p: PersonRow,
  employer: EmployerRow,
  h: { startDate: IsoDate; monthlyWageFen: number; cause: string; reason?: string },
): Promise<Hired> {
  const age = ageInYears(p.birth_date, h.startDate);
  if (age < MIN_EMPLOYMENT_AGE) {
    throw new SbError('SB_ERR_NOT_ELIGIBLE', {
      field: 'startDate',
      zh: `入职时未满 ${MIN_EMPLOYMENT_AGE} 周岁（${age} 周岁）`,
      en: `younger than ${MIN_EMPLOYMENT_AGE} on the start date (age ${age})`,
    });
  }
  const open = await openEmploymentsOfPerson(tx, p.id);
  if (open.some((e) => e.employer_id === employer.id)) throw alreadyEmployed();
  const employment = await insertEmployment(tx, {
    person_id: p.id,
    employer_id: employer.id,
    start_date: h.startDate,
    monthly_wage_fen: h.monthlyWageFen,
  });
  await appendAudit(tx, actor, {
    action: 'employment.start',
    entityType: 'employment',
    entityId: employment.id,
    region: employer.region,
    subjectPersonId: p.id,
    after: toEmployment(employment),
    ...(h.reason === undefined ? {} : { reason: h.reason }),
  });
  const auto = await new EmployeeEnrolmentService(tx).enrol(
    actor,
    p.id,
    employer,
    h.startDate,
    `${h.cause}: employment ${employment.id}`,
  );
  return {
    employment: toEmployment(employment),
    enrolled: auto.enrolled.map(toEnrolment),
    alreadyEnrolled: auto.alreadyEnrolled,
    ended: auto.ended.map(toEnrolment),
  };
}

export class EmploymentService {
  constructor(private readonly db: Db) {}

  /** The person a hire names (see `resolveHire`), locked, in the transaction this service was made with. */
  resolveHire(actor: Actor, who: HireIdentity): Promise<PersonRow> {
    return resolveHire(this.db, actor, who);
  }

  /** Starts an employment (see `hire`) in the transaction this service was made with. */
  hire(
    actor: Actor,
    p: PersonRow,
    employer: EmployerRow,
    h: { startDate: IsoDate; monthlyWageFen: number; cause: string; reason?: string },
  ): Promise<Hired> {
    return hire(this.db, actor, p, employer, h);
  }

  private async employerTarget(
    db: Db,
    actor: Actor,
    action: 'employment.start' | 'employment.end',
    employerId: number,
    field = 'employerId',
  ): Promise<EmployerRow> {
    return employerInScope(db, actor, action, employerId, { field });
  }

  async start(actor: Actor, input: StartEmploymentInput): Promise<Hired> {
    authorize(actor, 'employment.start');
    const startDate = parseDate(input.startDate, 'startDate');
    try {
      return await this.db.transaction().execute(async (tx) => {
        const employer = await this.employerTarget(tx, actor, 'employment.start', input.employerId);
        const window = directEntryWindow(projectParams(), employer.region.trim(), today());
        if (startDate < window.earliest) throw backEntryRequired(window);
        const p = await resolveHire(tx, actor, input);
        return hire(tx, actor, p, employer, {
          startDate,
          monthlyWageFen: input.monthlyWageFen,
          cause: 'employment started',
        });
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw alreadyEmployed();
      throw e;
    }
  }

  async end(
    actor: Actor,
    id: number,
    input: EndEmploymentInput,
  ): Promise<{ employment: EmploymentDto; endedEnrolments: EnrolmentDto[]; reEnrolled: EnrolmentDto[] }> {
    authorize(actor, 'employment.end');
    const endDate = parseDate(input.endDate, 'endDate');
    // a separation is reported when it has happened: a future end would end the enrolments ahead
    if (endDate > today()) throw endInFuture();
    return this.db.transaction().execute(async (tx) => {
      const before = await findEmploymentForUpdate(tx, id);
      if (!before) {
        // An employer learns nothing from an unknown number: the same refusal as for another's.
        if (actor.role === 'employer') authorize(actor, 'employment.end', { employerIds: [] });
        throw notFound('id');
      }
      // another city's employment answers as an unknown one: the field named is the employment's, not its employer's
      const employer = await this.employerTarget(tx, actor, 'employment.end', before.employer_id, 'id');
      // and by an employer within the window it reports a hire in: an end years back would end its
      // months of contributions behind the agency; an older separation is recorded at the counter
      if (actor.role === 'employer') {
        const window = directEntryWindow(projectParams(), employer.region.trim(), today());
        if (endDate < window.earliest) throw lateEndAtCounter(window);
      }
      if (before.end_date !== null)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: `该劳动关系已于 ${before.end_date} 终止`,
          en: `the employment already ended on ${before.end_date}`,
        });
      if (endDate < before.start_date)
        throw new SbError('SB_ERR_VALIDATION', {
          field: 'endDate',
          zh: `终止日期早于入职日期 ${before.start_date}`,
          en: `the end date precedes the start date ${before.start_date}`,
        });
      const after = await endEmployment(tx, id, endDate, input.reason);
      if (!after) throw new SbError('SB_ERR_CONFLICT');
      await appendAudit(tx, actor, {
        action: 'employment.end',
        entityType: 'employment',
        entityId: id,
        region: employer.region,
        subjectPersonId: before.person_id,
        before: toEmployment(before),
        after: toEmployment(after),
        reason: input.note ?? input.reason,
      });
      const enrolmentReason: EnrolmentEndReason =
        input.reason === 'death'
          ? 'death'
          : input.reason === 'retirement'
            ? 'retirement'
            : 'employment_ended';
      const ended: EnrolmentRow[] = await endOpenEnrolments(tx, before.person_id, endDate, enrolmentReason, {
        employerId: employer.id,
        kinds: ['employee'],
        schemes: EMPLOYEE_SCHEMES,
      });
      for (const e of ended) {
        await appendAudit(tx, actor, {
          action: 'enrolment.end',
          entityType: 'enrolment',
          entityId: e.id,
          region: e.region,
          subjectPersonId: e.person_id,
          after: toEnrolment(e),
          reason: auditReason('employment-ended', { employment: id, why: input.reason }),
        });
      }
      // Another current employer takes the schemes over from the next day (not after a death).
      let reEnrolled: EnrolmentRow[] = [];
      if (input.reason !== 'death' && ended.length > 0) {
        const other = (await openEmploymentsOfPerson(tx, before.person_id))[0];
        const otherEmployer = other ? await findEmployer(tx, other.employer_id) : undefined;
        if (other && otherEmployer) {
          const from = addDays(endDate, 1) > other.start_date ? addDays(endDate, 1) : other.start_date;
          reEnrolled = (
            await new EmployeeEnrolmentService(tx).enrol(
              actor,
              before.person_id,
              otherEmployer,
              from,
              `employment ${id} ended; employment ${other.id} continues`,
            )
          ).enrolled;
        }
      }
      return {
        employment: toEmployment(after),
        endedEnrolments: ended.map(toEnrolment),
        reEnrolled: reEnrolled.map(toEnrolment),
      };
    });
  }

  /**
   * An approved retirement ends the person's insured employment on the retirement date (劳动合同法
   * Art. 44(2): the labour contract ends when the worker starts to draw the basic pension): every open
   * employment, with reason retirement, the employee enrolments they carried, and a flexible worker's
   * own pension enrolment, each audited. An approved residents' pension ends the residents' enrolment
   * on its date instead (国发〔2014〕8号: contributions run to 60, the pension from then), and no job.
   * In the caller's transaction (a service made with it), under the caller's authorization (the
   * retirement decision); the date may lie ahead — the decision fixes it, and contributions stay due
   * for the days up to it.
   */
  async endAtRetirement(
    actor: Actor,
    personId: number,
    scheme: PensionScheme,
    retirementDate: IsoDate,
    decision: string,
  ): Promise<{ employments: EmploymentDto[]; enrolments: EnrolmentDto[] }> {
    const resident = scheme === 'resident_pension';
    const employments = resident
      ? []
      : await endOpenEmploymentsOfPerson(this.db, personId, retirementDate, 'retirement');
    const enrolments = await endOpenEnrolments(
      this.db,
      personId,
      retirementDate,
      'retirement',
      resident
        ? { schemes: ['resident_pension'] }
        : { kinds: ['employee', 'flexible'], schemes: EMPLOYEE_SCHEMES },
      decision,
    );
    for (const e of employments)
      await appendAudit(this.db, actor, {
        action: 'employment.end',
        entityType: 'employment',
        entityId: e.id,
        region: (await findEmployer(this.db, e.employer_id))?.region ?? null,
        subjectPersonId: personId,
        before: { ...toEmployment(e), endDate: null, endReason: null },
        after: toEmployment(e),
        reason: decision,
      });
    for (const e of enrolments)
      await appendAudit(this.db, actor, {
        action: 'enrolment.end',
        entityType: 'enrolment',
        entityId: e.id,
        region: e.region,
        subjectPersonId: personId,
        after: toEnrolment(e),
        reason: decision,
      });
    return { employments: employments.map(toEmployment), enrolments: enrolments.map(toEnrolment) };
  }

  /** A person's employment history; an employer sees only its own relations with the person. */
  async listOfPerson(actor: Actor, personId: number): Promise<EmploymentDto[]> {
    const p = await personInScope(this.db, actor, 'employment.read', personId);
    const rows = await employmentsOfPerson(this.db, p.id);
    await auditStaffReads(this.db, actor, [{ action: 'employment.read', personId: p.id, region: p.region }]);
    return rows
      .filter((r) => actor.role !== 'employer' || r.employer_id === actor.employerId)
      .map(toEmployment);
  }
}
