// Home visits (上门认证) for the very old and the bedridden: the register of such people (add, remove,
// with a reason) and the visiting clerk's record of each visit. "Alive" certifies (channel visit) and
// lifts a suspension; "deceased" records the death through the registry (which publishes person.died);
// "not met" is kept for the record. Every change is audited.
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { parseDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { maskIdNumber } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';
import type { HomeVisitRegisterTable } from '../db/database.ts';
import { isUniqueViolation } from '../db/values.ts';
import { PersonService } from '../registry/person.service.ts';
import { insertCertification, listRegister, openRegisterEntry } from './certification.repository.ts';
import { RestorationService, type Restoration } from './restoration.service.ts';
import { auditReason } from '../audit/audit-reasons.ts';

export type RegisterReason = HomeVisitRegisterTable['reason'];
export type VisitOutcome = 'alive' | 'deceased' | 'not_met';

export interface VisitResult {
  visitId: number;
  outcome: VisitOutcome;
  certificationId: number | null;
  restorations: Restoration[];
  deathRecorded: boolean;
}

export class HomeVisitService {
  private readonly persons: PersonService;

  constructor(private readonly db: Db) {
    this.persons = new PersonService(db);
  }

  async addToRegister(
    actor: Actor,
    input: { personId: number; reason: RegisterReason; note?: string | undefined },
  ) {
    authorize(actor, 'certification.visit');
    const p = await this.persons.target(this.db, actor, 'certification.visit', input.personId);
    try {
      return await this.db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('home_visit_register')
          .values({
            person_id: p.id,
            region: p.region,
            reason: input.reason,
            note: input.note?.trim() || null,
            added_by: actor.username,
            removed_by: null,
            removed_at: null,
            removal_reason: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await appendAudit(tx, actor, {
          action: 'certification.register.add',
          entityType: 'home_visit_register',
          entityId: row.id,
          region: p.region,
          subjectPersonId: p.id,
          after: { reason: row.reason, note: row.note },
        });
        return {
          id: row.id,
          personId: p.id,
          reason: row.reason,
          note: row.note,
          addedBy: row.added_by,
          addedAt: row.added_at,
        };
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new SbError('SB_ERR_DUPLICATE', {
          zh: '已在上门认证名册中',
          en: 'already on the home-visit register',
        });
      throw e;
    }
  }

  async removeFromRegister(actor: Actor, personId: number, reason: string): Promise<{ removed: true }> {
    authorize(actor, 'certification.visit');
    const p = await this.persons.target(this.db, actor, 'certification.visit', personId);
    if (reason.trim() === '') throw new SbError('SB_ERR_REQUIRED', { field: 'reason' });
    return this.db.transaction().execute(async (tx) => {
      const open = await openRegisterEntry(tx, personId);
      if (!open)
        throw new SbError('SB_ERR_NOT_FOUND', {
          zh: '不在上门认证名册中',
          en: 'not on the home-visit register',
        });
      const upd = await tx
        .updateTable('home_visit_register')
        .set({
          removed_at: new Date().toISOString(),
          removed_by: actor.username,
          removal_reason: reason.trim(),
        })
        .where('id', '=', open.id)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
      if (upd.numUpdatedRows !== 1n) throw new SbError('SB_ERR_CONFLICT');
      await appendAudit(tx, actor, {
        action: 'certification.register.remove',
        entityType: 'home_visit_register',
        entityId: open.id,
        region: p.region,
        subjectPersonId: p.id,
        before: { reason: open.reason },
        reason: reason.trim(),
      });
      return { removed: true as const };
    });
  }

  async listRegister(actor: Actor, region: string | undefined, page: number, pageSize: number) {
    authorize(actor, 'certification.read');
    const r = region ?? actor.region ?? '000000';
    authorize(actor, 'certification.read', { region: r });
    const { rows, total } = await listRegister(this.db, r, pageSize, (page - 1) * pageSize);
    return {
      items: rows.map((x) => ({
        personId: x.person_id,
        name: x.name,
        idNumber: maskIdNumber(x.id_number),
        birthDate: x.birth_date,
        region: x.region,
        reason: x.reason,
        note: x.note,
        addedBy: x.added_by,
        addedAt: x.added_at,
        lastVisitedOn: x.last_visited_on,
      })),
      total,
      page,
      pageSize,
    };
  }

  async recordVisit(
    actor: Actor,
    input: {
      personId: number;
      visitedOn: string;
      outcome: VisitOutcome;
      deathDate?: string | undefined;
      note?: string | undefined;
    },
  ): Promise<VisitResult> {
    authorize(actor, 'certification.visit');
    const visitedOn = parseDate(input.visitedOn, 'visitedOn');
    if (visitedOn > today())
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'visitedOn',
        zh: '走访日期晚于今天',
        en: 'the visit date is in the future',
      });
    const p = await this.persons.target(this.db, actor, 'certification.visit', input.personId);
    let deathRecorded = false;
    let deathDate: string | null = null;
    if (input.outcome === 'deceased') {
      deathDate = parseDate(input.deathDate, 'deathDate');
      if (deathDate > visitedOn)
        throw new SbError('SB_ERR_VALIDATION', {
          field: 'deathDate',
          zh: '死亡日期晚于走访日期',
          en: 'the date of death is after the visit',
        });
      if (p.death_date === null) {
        // The registry records the death, ends enrolments and publishes person.died (pensions stop upstairs).
        await this.persons.recordDeath(actor, p.id, {
          deathDate,
          reason: auditReason('death-on-home-visit', { date: visitedOn, by: actor.username }),
        });
        deathRecorded = true;
      }
    } else if (input.deathDate !== undefined) {
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'deathDate',
        zh: '仅在“已死亡”时填写',
        en: 'only with outcome deceased',
      });
    } else if (p.death_date !== null && input.outcome === 'alive') {
      throw new SbError('SB_ERR_CONFLICT', {
        zh: `已登记死亡（${p.death_date}），请先核实`,
        en: `a death (${p.death_date}) is recorded; check it first`,
      });
    }
    return this.db.transaction().execute(async (tx) => {
      let certificationId: number | null = null;
      let restorations: Restoration[] = [];
      if (input.outcome === 'alive') {
        const cert = await insertCertification(tx, {
          person_id: p.id,
          certified_on: visitedOn,
          channel: 'visit',
          source_ref: `visit:${actor.username}:${visitedOn}`,
          evidence: { visitedBy: actor.username, note: input.note ?? null },
          created_by: actor.username,
        });
        certificationId = cert.id;
      }
      const visit = await tx
        .insertInto('home_visit')
        .values({
          person_id: p.id,
          region: p.region,
          visited_on: visitedOn,
          outcome: input.outcome,
          death_date: deathDate,
          note: input.note?.trim() || null,
          certification_id: certificationId,
          visited_by: actor.username,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAudit(tx, actor, {
        action: 'certification.visit',
        entityType: 'home_visit',
        entityId: visit.id,
        region: p.region,
        subjectPersonId: p.id,
        after: { visitedOn, outcome: input.outcome, deathDate, certificationId, note: input.note ?? null },
      });
      if (certificationId !== null)
        restorations = await new RestorationService(tx).restoreAfterCertification(actor, p.id, {
          id: certificationId,
          certifiedOn: visitedOn,
        });
      return { visitId: visit.id, outcome: input.outcome, certificationId, restorations, deathRecorded };
    });
  }
}
