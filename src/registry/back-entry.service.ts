// 补录 (back-entry): a hire dated before the employer's own window (registry/employer-backdating-months).
// A clerk files it with a reason; it takes effect only when a reviewer — a different person from the
// clerk, and not the person hired — approves it, or goes back to the clerk with a note. Every step is audited.
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { projectParams } from '../core/params-loader.ts';
import { parseDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { regionLikePattern } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import * as repo from './back-entry.repository.ts';
import type { BackEntryRow } from './back-entry.repository.ts';
import { findEmployer, type EmployerRow } from './employer.repository.ts';
import { openEmploymentsOfPerson } from './employment.repository.ts';
import { EmploymentService } from './employment.service.ts';
import { directEntryWindow } from './employment.rules.ts';
import type { BackEntryDto, BackEntryInput, EmploymentDto, EnrolmentDto } from './enrolment.schema.ts';
import { findPersonForUpdate, isUniqueViolation } from './person.repository.ts';
import { notFound } from './person.rules.ts';
import { employerInScope } from './registry-access.ts';
import type { Scheme } from '../db/database.ts';
import { auditReason } from '../audit/audit-reasons.ts';

const toBackEntry = (r: BackEntryRow): BackEntryDto => ({
  id: Number(r.id),
  region: r.region.trim(),
  personId: Number(r.person_id),
  employerId: Number(r.employer_id),
  startDate: r.start_date,
  monthlyWageFen: Number(r.monthly_wage_fen),
  reason: r.reason,
  status: r.status,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  decisionNote: r.decision_note,
  employmentId: r.employment_id === null ? null : Number(r.employment_id),
});

export class BackEntryService {
  constructor(private readonly db: Db) {}

  private async employer(db: Db, actor: Actor, action: Parameters<typeof authorize>[1], id: number) {
    const e = await findEmployer(db, id);
    if (!e) throw notFound('employerId');
    authorize(actor, action, { region: e.region });
    return e;
  }

  /** A clerk files a back-dated hire with a reason; nothing changes until a reviewer approves it. */
  async request(actor: Actor, input: BackEntryInput): Promise<BackEntryDto> {
    authorize(actor, 'employment.back-entry');
    const startDate = parseDate(input.startDate, 'startDate');
    if (startDate > today())
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'startDate',
        zh: '入职日期晚于今天',
        en: 'the start date is in the future',
      });
    try {
      return await this.db.transaction().execute(async (tx) => {
        // another city's employer answers as an unknown one: the window below needs it found first
        const employer = await employerInScope(tx, actor, 'employment.back-entry', input.employerId, {
          field: 'employerId',
        });
        const window = directEntryWindow(projectParams(), employer.region.trim(), today());
        if (startDate >= window.earliest)
          throw new SbError('SB_ERR_VALIDATION', {
            field: 'startDate',
            zh: `入职日期不早于 ${window.earliest}（${window.words.zh}），直接办理增员即可，无需补录`,
            en: `a start on or after ${window.earliest} (${window.words.en}) is an ordinary hire, not a back-entry`,
          });
        const p = await new EmploymentService(tx).resolveHire(actor, input);
        if ((await openEmploymentsOfPerson(tx, p.id)).some((e) => e.employer_id === employer.id))
          throw new SbError('SB_ERR_DUPLICATE', {
            field: 'employerId',
            zh: '该人员已在该单位在职',
            en: 'the person is already employed by this employer',
          });
        const row = await repo.insertBackEntry(tx, {
          region: employer.region,
          person_id: p.id,
          employer_id: employer.id,
          start_date: startDate,
          monthly_wage_fen: input.monthlyWageFen,
          reason: input.reason.trim(),
          status: 'pending',
          requested_by: actor.username,
          requested_by_user_id: actor.userId,
        });
        await appendAudit(tx, actor, {
          action: 'employment.back-entry.request',
          entityType: 'employment_back_entry',
          entityId: row.id,
          region: employer.region,
          subjectPersonId: p.id,
          after: toBackEntry(row),
          reason: row.reason,
        });
        return toBackEntry(row);
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new SbError('SB_ERR_DUPLICATE', {
          field: 'personId',
          zh: '该人员在该单位已有待复核的补录申请',
          en: 'a back-entry for this person and employer is already pending',
        });
      throw e;
    }
  }

  async list(actor: Actor, q: { status?: 'pending' | 'approved' | 'returned' }): Promise<BackEntryDto[]> {
    authorize(actor, 'employment.back-entry.read');
    let regionPattern: string | null = null;
    if (actor.role !== 'system') {
      if (actor.region === null) throw new SbError('SB_ERR_FORBIDDEN');
      regionPattern = regionLikePattern(actor.region);
    }
    return (await repo.backEntries(this.db, { regionPattern, status: q.status })).map(toBackEntry);
  }

  private async pending(
    tx: Db,
    actor: Actor,
    id: number,
  ): Promise<{ row: BackEntryRow; employer: EmployerRow }> {
    authorize(actor, 'employment.back-entry.review');
    const row = await repo.backEntryForUpdate(tx, id);
    if (!row) throw notFound('id');
    const employer = await this.employer(tx, actor, 'employment.back-entry.review', row.employer_id);
    if (row.status !== 'pending') {
      const decided = row.status === 'approved';
      throw new SbError('SB_ERR_CONFLICT', {
        zh: `该补录申请已处理（${decided ? '已批准' : '已退回'}）`,
        en: `the back-entry was already decided (${decided ? 'approved' : 'returned'})`,
      });
    }
    await this.checkFourEyes(tx, actor, row);
    return { row, employer };
  }

  /** The reviewer is another person than the clerk who filed it, and not the person hired. */
  private async checkFourEyes(tx: Db, actor: Actor, row: BackEntryRow): Promise<void> {
    const same = (): SbError =>
      new SbError('SB_ERR_FORBIDDEN', {
        zh: '补录须由提交人以外的另一人复核',
        en: 'a back-entry is reviewed by another person than the one who filed it',
      });
    if (actor.username === row.requested_by) throw same();
    if (actor.userId !== null && actor.userId === row.requested_by_user_id) throw same();
    if (actor.userId === null) return;
    const users = await repo.usersPersons(tx, [actor.userId, row.requested_by_user_id ?? -1]);
    const me = users.find((u) => u.id === actor.userId)?.person_id ?? null;
    const maker = users.find((u) => u.id === row.requested_by_user_id)?.person_id ?? null;
    if (me !== null && me === maker) throw same();
    if (me !== null && me === row.person_id)
      throw new SbError('SB_ERR_FORBIDDEN', {
        zh: '不得复核本人的补录',
        en: 'nobody reviews a back-entry about themself',
      });
  }

  /** Approves: the employment starts on the requested date (with its automatic enrolment), audited. */
  async approve(
    actor: Actor,
    id: number,
    note: string | undefined,
  ): Promise<{
    backEntry: BackEntryDto;
    employment: EmploymentDto;
    enrolled: EnrolmentDto[];
    alreadyEnrolled: Scheme[];
    ended: EnrolmentDto[];
  }> {
    return this.db.transaction().execute(async (tx) => {
      const { row, employer } = await this.pending(tx, actor, id);
      const p = await findPersonForUpdate(tx, row.person_id);
      if (!p) throw notFound('personId');
      if (p.death_date !== null)
        throw new SbError('SB_ERR_NOT_ELIGIBLE', {
          field: 'personId',
          zh: `已登记死亡（${p.death_date}）`,
          en: `recorded as deceased on ${p.death_date}`,
        });
      const started = await new EmploymentService(tx).hire(actor, p, employer, {
        startDate: row.start_date,
        monthlyWageFen: Number(row.monthly_wage_fen),
        cause: `back-entry ${row.id} filed by ${row.requested_by}, approved by ${actor.username}`,
        reason: auditReason('back-entry', { entry: row.id, note: row.reason }),
      });
      const after = await repo.decideBackEntry(tx, row.id, {
        status: 'approved',
        decided_by: actor.username,
        decided_by_user_id: actor.userId,
        decided_at: new Date().toISOString(),
        decision_note: note ?? null,
        employment_id: started.employment.id,
      });
      await appendAudit(tx, actor, {
        action: 'employment.back-entry.approve',
        entityType: 'employment_back_entry',
        entityId: row.id,
        region: row.region.trim(),
        subjectPersonId: row.person_id,
        before: { status: 'pending' },
        after: { status: 'approved', employmentId: started.employment.id },
        reason: note ?? row.reason,
      });
      return { backEntry: toBackEntry(after), ...started };
    });
  }

  /** Returns the request to the clerk with a note; nothing else changes. */
  async return(actor: Actor, id: number, note: string): Promise<BackEntryDto> {
    return this.db.transaction().execute(async (tx) => {
      const { row } = await this.pending(tx, actor, id);
      const after = await repo.decideBackEntry(tx, row.id, {
        status: 'returned',
        decided_by: actor.username,
        decided_by_user_id: actor.userId,
        decided_at: new Date().toISOString(),
        decision_note: note.trim(),
      });
      await appendAudit(tx, actor, {
        action: 'employment.back-entry.return',
        entityType: 'employment_back_entry',
        entityId: row.id,
        region: row.region.trim(),
        subjectPersonId: row.person_id,
        before: { status: 'pending' },
        after: { status: 'returned' },
        reason: note.trim(),
      });
      return toBackEntry(after);
    });
  }
}
