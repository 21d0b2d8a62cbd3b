// Employment relations: start (which enrols the employee automatically) and end (which ends those
// enrolments, keeping the reason: an involuntary end is what later opens unemployment benefit).
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { addDays, ageInYears, parseDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import type { EnrolmentEndReason } from '../db/database.ts';
import { findEmployer, type EmployerRow } from './employer.repository.ts';
import {
  employmentsOfPerson,
  endEmployment,
  findEmploymentForUpdate,
  insertEmployment,
  openEmploymentsOfPerson,
  type EmploymentRow,
} from './employment.repository.ts';
import { endOpenEnrolments, type EnrolmentRow } from './enrolment.repository.ts';
import { EMPLOYEE_SCHEMES } from './enrolment.rules.ts';
import type {
  EmploymentDto,
  EndEmploymentInput,
  EnrolmentDto,
  StartEmploymentInput,
} from './enrolment.schema.ts';
import { autoEnrolEmployee, toEnrolment } from './enrolment.service.ts';
import { employerIdsOfPerson, findPerson, findPersonForUpdate } from './person.repository.ts';
import { isUniqueViolation } from '../db/values.ts';
import { notFound } from './person.service.ts';
import type { Scheme } from '../db/database.ts';

export const toEmployment = (r: EmploymentRow): EmploymentDto => ({
  id: r.id,
  personId: r.person_id,
  employerId: r.employer_id,
  startDate: r.start_date,
  endDate: r.end_date,
  endReason: r.end_reason,
  monthlyWageFen: r.monthly_wage_fen,
});

/** Minimum working age (劳动法 Art. 15). */
const MIN_EMPLOYMENT_AGE = 16;

export class EmploymentService {
  constructor(private readonly db: Db) {}

  private async employerTarget(
    db: Db,
    actor: Actor,
    action: 'employment.start' | 'employment.end',
    employerId: number,
  ): Promise<EmployerRow> {
    authorize(actor, action);
    const employer = await findEmployer(db, employerId);
    if (!employer) {
      if (actor.role === 'employer' && actor.employerId !== employerId)
        authorize(actor, action, { employerIds: [employerId] });
      throw notFound('employer', employerId);
    }
    authorize(actor, action, { employerIds: [employer.id], region: employer.region });
    return employer;
  }

  async start(
    actor: Actor,
    input: StartEmploymentInput,
  ): Promise<{
    employment: EmploymentDto;
    enrolled: EnrolmentDto[];
    alreadyEnrolled: Scheme[];
    ended: EnrolmentDto[];
  }> {
    const startDate = parseDate(input.startDate, 'startDate');
    try {
      return await this.db.transaction().execute(async (tx) => {
        const employer = await this.employerTarget(tx, actor, 'employment.start', input.employerId);
        const p = await findPersonForUpdate(tx, input.personId);
        if (!p) throw notFound('person', input.personId);
        if (p.death_date !== null)
          throw new SbError('SB_ERR_NOT_ELIGIBLE', {
            field: 'personId',
            zh: `已登记死亡（${p.death_date}）`,
            en: `recorded as deceased on ${p.death_date}`,
          });
        const age = ageInYears(p.birth_date, startDate);
        if (age < MIN_EMPLOYMENT_AGE) {
          throw new SbError('SB_ERR_NOT_ELIGIBLE', {
            field: 'startDate',
            zh: `入职时未满 ${MIN_EMPLOYMENT_AGE} 周岁（${age} 周岁）`,
            en: `younger than ${MIN_EMPLOYMENT_AGE} on the start date (age ${age})`,
          });
        }
        const open = await openEmploymentsOfPerson(tx, p.id);
        if (open.some((e) => e.employer_id === employer.id)) {
          throw new SbError('SB_ERR_DUPLICATE', {
            field: 'employerId',
            zh: '该人员已在该单位在职',
            en: 'the person is already employed by this employer',
          });
        }
        const employment = await insertEmployment(tx, {
          person_id: p.id,
          employer_id: employer.id,
          start_date: startDate,
          monthly_wage_fen: input.monthlyWageFen,
        });
        await appendAudit(tx, actor, {
          action: 'employment.start',
          entityType: 'employment',
          entityId: employment.id,
          region: employer.region,
          subjectPersonId: p.id,
          after: toEmployment(employment),
        });
        const auto = await autoEnrolEmployee(
          tx,
          actor,
          p.id,
          employer,
          startDate,
          `employment ${employment.id} started`,
        );
        return {
          employment: toEmployment(employment),
          enrolled: auto.enrolled.map(toEnrolment),
          alreadyEnrolled: auto.alreadyEnrolled,
          ended: auto.ended.map(toEnrolment),
        };
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new SbError('SB_ERR_DUPLICATE', {
          field: 'employerId',
          zh: '该人员已在该单位在职',
          en: 'the person is already employed by this employer',
        });
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
    return this.db.transaction().execute(async (tx) => {
      const before = await findEmploymentForUpdate(tx, id);
      if (!before) throw notFound('employment', id);
      const employer = await this.employerTarget(tx, actor, 'employment.end', before.employer_id);
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
          reason: `employment ${id} ended (${input.reason})`,
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
            await autoEnrolEmployee(
              tx,
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

  /** A person's employment history; an employer sees only its own relations with the person. */
  async listOfPerson(actor: Actor, personId: number): Promise<EmploymentDto[]> {
    authorize(actor, 'employment.read');
    const p = await findPerson(this.db, personId);
    if (!p) {
      if (actor.role === 'citizen' && actor.personId !== personId)
        authorize(actor, 'employment.read', { personId });
      throw notFound('person', personId);
    }
    const employerIds = actor.role === 'employer' ? await employerIdsOfPerson(this.db, p.id) : [];
    authorize(actor, 'employment.read', { personId: p.id, region: p.region, employerIds });
    const rows = await employmentsOfPerson(this.db, p.id);
    return rows
      .filter((r) => actor.role !== 'employer' || r.employer_id === actor.employerId)
      .map(toEmployment);
  }
}
