// Person use cases: register, read, search, update, record a death. Each takes the actor first,
// asks the policy, and writes an audit entry in the transaction of the change.
import { appendAudit, appendAuditMany, type AuditEntry } from '../audit/audit.repository.ts';
import { auditStaffReads } from '../audit/staff-read.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, permits } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { parseDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { checkIdNumber, maskIdNumber } from '../core/ids.ts';
import { isKnownRegion, regionLineage } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import { endOpenEmploymentsOfPerson, endOpenEmploymentsOfPersons } from './employment.repository.ts';
import { endOpenEnrolments, endOpenEnrolmentsOfPersons } from './enrolment.repository.ts';
import {
  findPersonForUpdate,
  insertPerson,
  isUniqueViolation,
  lockPersonsForDeath,
  personIdByIdNumber,
  recordDeathDates,
  insertDeathEvents,
  searchPersons,
  updatePerson,
  type PersonChanges,
  type PersonRow,
} from './person.repository.ts';
import { personInScope } from './registry-access.ts';
import {
  hukouFromIdRegion,
  idNumberQuery,
  maskBankAccount,
  maskPhone,
  normalizeBankAccount,
  normalizeName,
  normalizePhone,
  regionLikePattern,
  requireRegion,
  notFound,
} from './person.rules.ts';
import type {
  CreatePersonInput,
  DeathInput,
  PersonDto,
  PersonSearchInput,
  PersonSummaryDto,
  UpdatePersonInput,
} from './person.schema.ts';
import type { Words } from '../core/bilingual.ts';
import { auditReason } from '../audit/audit-reasons.ts';

const fullName = (code: string, lang: 'zh' | 'en'): string => {
  const chain = regionLineage(code.trim());
  if (chain.length === 0) return code;
  return lang === 'zh'
    ? chain.map((x) => x.nameZh).join('')
    : chain
        .map((x) => x.nameEn)
        .reverse()
        .join(', ');
};

// The region list is fixed for the process (src/core/regions.ts), so a code's full names are too:
// worked out once per code, not four times per person answered (issue 18).
const fullNames = new Map<string, Words>();
const namesOf = (code: string): Words => {
  let n = fullNames.get(code);
  if (n === undefined) {
    n = { zh: fullName(code, 'zh'), en: fullName(code, 'en') };
    if (fullNames.size < 50_000) fullNames.set(code, n);
  }
  return n;
};

const regionNames = (hukou: string, region: string) => {
  const h = namesOf(hukou);
  const r = namesOf(region);
  return { hukouRegionNameZh: h.zh, hukouRegionNameEn: h.en, regionNameZh: r.zh, regionNameEn: r.en };
};

const toPerson = (r: PersonRow): PersonDto => ({
  id: r.id,
  idNumber: r.id_number,
  name: r.name,
  sex: r.sex,
  birthDate: r.birth_date,
  hukouRegion: r.hukou_region,
  region: r.region,
  ...regionNames(r.hukou_region, r.region),
  phone: r.phone,
  address: r.address,
  bankName: r.bank_name,
  bankAccount: r.bank_account,
  hardshipGroup: r.hardship_group,
  deathDate: r.death_date,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toPersonSummary = (
  r: Pick<
    PersonRow,
    'id' | 'id_number' | 'name' | 'sex' | 'hukou_region' | 'region' | 'phone' | 'bank_account' | 'death_date'
  >,
): PersonSummaryDto => ({
  id: r.id,
  idNumber: maskIdNumber(r.id_number),
  name: r.name,
  sex: r.sex,
  hukouRegion: r.hukou_region,
  region: r.region,
  ...regionNames(r.hukou_region, r.region),
  phone: maskPhone(r.phone),
  bankAccount: maskBankAccount(r.bank_account),
  deathDate: r.death_date,
});

/** One death of a batch (`PersonService.recordDeaths`). */
export interface DeathRecord {
  personId: number;
  deathDate: string;
  /** its line in the caller's file: a refusal names the line (never the person's id) */
  line?: number;
  /** kept in the audit entry, as DeathInput.reason */
  reason?: string;
}

/** What a batch did with each death: recorded, or left as the registry has it (the one-person path's 409). */
export type DeathOutcome =
  | { personId: number; status: 'recorded'; endedEnrolments: number; endedEmployments: number }
  | { personId: number; status: 'already_recorded' | 'conflict'; registryDeathDate: string };

/** A refused death's detail; a batch's names the death's line in the caller's file, never the person's id. */
const atLine = (zh: string, en: string, line?: number): Words =>
  line === undefined ? { zh, en } : { zh: `第 ${line} 行：${zh}`, en: `line ${line}: ${en}` };
const deathInFuture = (line?: number): SbError =>
  new SbError('SB_ERR_VALIDATION', {
    field: 'deathDate',
    ...atLine('死亡日期晚于今天', 'the date of death is in the future', line),
  });
const deathBeforeBirth = (line?: number): SbError =>
  new SbError('SB_ERR_VALIDATION', {
    field: 'deathDate',
    ...atLine('死亡日期早于出生日期', 'the date of death precedes the birth date', line),
  });
/** A batch's unknown person: the one-person path's 404 (foundInScope's), or its line when it has one. */
const deathOfUnknown = (line?: number): SbError =>
  line === undefined
    ? notFound('id')
    : new SbError('SB_ERR_NOT_FOUND', { field: 'personId', zh: `第 ${line} 行`, en: `line ${line}` });

const isStaff = (actor: Actor): boolean => actor.role !== 'citizen' && actor.role !== 'employer';

/** The fields of an audit "before/after": only what changed. */
function diff(
  before: PersonRow,
  after: PersonRow,
  keys: ReadonlyArray<keyof PersonRow>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of keys) {
    if (before[k] !== after[k]) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  b['version'] = before.version;
  a['version'] = after.version;
  return { before: b, after: a };
}

const EDITABLE: ReadonlyArray<keyof PersonRow> = [
  'name',
  'hukou_region',
  'region',
  'phone',
  'address',
  'bank_name',
  'bank_account',
  'hardship_group',
  'death_date',
];

/**
 * Records a bank account as the person's account (where the payrolls pay), in the caller's
 * transaction, audited as a change of the person with `reason`. For other capabilities (the card's
 * bank function) that have already authorised their own action; no change, no audit entry.
 */
async function recordPersonBankAccount(
  tx: Db,
  actor: Actor,
  personId: number,
  bank: { bankName: string | null; bankAccount: string },
  reason: string,
): Promise<boolean> {
  const before = await findPersonForUpdate(tx, personId);
  if (!before) throw notFound('personId');
  const bankAccount = normalizeBankAccount(bank.bankAccount);
  if (before.bank_account === bankAccount && before.bank_name === bank.bankName) return false;
  const after = await updatePerson(tx, personId, before.version, {
    bank_name: bank.bankName,
    bank_account: bankAccount,
  });
  if (!after)
    throw new SbError('SB_ERR_CONFLICT', { zh: '记录已被他人修改', en: 'the record was changed meanwhile' });
  await appendAudit(tx, actor, {
    action: 'person.update',
    entityType: 'person',
    entityId: personId,
    region: after.region,
    subjectPersonId: personId,
    ...diff(before, after, ['bank_name', 'bank_account']),
    reason,
  });
  return true;
}

export class PersonService {
  constructor(private readonly db: Db) {}

  /**
   * Records a bank account as the person's account, in the transaction this service was made with
   * (`new PersonService(tx)`); see `recordPersonBankAccount`.
   */
  recordBankAccount(
    actor: Actor,
    personId: number,
    bank: { bankName: string | null; bankAccount: string },
    reason: string,
  ): Promise<boolean> {
    return recordPersonBankAccount(this.db, actor, personId, bank, reason);
  }

  /**
   * Loads a person and checks `action` on them. A person out of the actor's scope (another region's,
   * another citizen, not the employer's staff) answers the same 404 as an unknown id, without the id.
   */
  async target(
    db: Db,
    actor: Actor,
    action: Parameters<typeof authorize>[1],
    id: number,
    forUpdate = false,
  ): Promise<PersonRow> {
    return personInScope(db, actor, action, id, { forUpdate });
  }

  async create(actor: Actor, input: CreatePersonInput): Promise<PersonDto> {
    authorize(actor, 'person.create');
    // Everything is checked before anything is written.
    const id = checkIdNumber(input.idNumber, today());
    if (!id.valid)
      throw new SbError('SB_ERR_INVALID_ID_NUMBER', { field: 'idNumber', zh: id.reasonZh, en: id.reason });
    const region = requireRegion(input.region, 'region');
    authorize(actor, 'person.create', { region });
    const hukou =
      input.hukouRegion === undefined
        ? hukouFromIdRegion(id.regionCode, isKnownRegion)
        : requireRegion(input.hukouRegion, 'hukouRegion');
    const row = {
      id_number: id.normalized,
      name: normalizeName(input.name),
      sex: id.sex,
      birth_date: id.birthDate,
      hukou_region: hukou,
      region,
      phone: input.phone === undefined || input.phone.trim() === '' ? null : normalizePhone(input.phone),
      address: input.address?.trim() || null,
      bank_name: input.bankName?.trim() || null,
      bank_account:
        input.bankAccount === undefined || input.bankAccount.trim() === ''
          ? null
          : normalizeBankAccount(input.bankAccount),
      hardship_group: input.hardshipGroup ?? null,
      death_date: null,
    };
    const duplicate = (): SbError =>
      new SbError('SB_ERR_DUPLICATE', {
        field: 'idNumber',
        zh: `公民身份号码 ${maskIdNumber(id.normalized)} 已登记`,
        en: `ID number ${maskIdNumber(id.normalized)} is already registered`,
      });
    if ((await personIdByIdNumber(this.db, id.normalized)) !== undefined) throw duplicate();
    try {
      return await this.db.transaction().execute(async (tx) => {
        const created = await insertPerson(tx, row);
        await appendAudit(tx, actor, {
          action: 'person.create',
          entityType: 'person',
          entityId: created.id,
          region: created.region,
          subjectPersonId: created.id,
          after: toPerson(created),
          ...(id.converted ? { reason: auditReason('id-converted', { id: id.normalized }) } : {}),
        });
        return toPerson(created);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw duplicate();
      throw e;
    }
  }

  /** The full record. A staff read is audited, so the person can later see who looked. */
  async get(actor: Actor, id: number): Promise<PersonDto> {
    if (!isStaff(actor)) {
      const row = await this.target(this.db, actor, 'person.read', id);
      return toPerson(row);
    }
    // The read is queued for the audit chain before the answer leaves (src/audit/audit-queue.ts),
    // group-committed with the staff reads around it (issue 18: on a quiet machine the read's own
    // insert in one statement with it cost a write transaction per read, and fell short of the aim).
    const row = await this.target(this.db, actor, 'person.read', id);
    await auditStaffReads(this.db, actor, [{ action: 'person.read', personId: row.id, region: row.region }]);
    return toPerson(row);
  }

  /** Staff search within their region and its sub-regions; ID number, phone and bank account masked. */
  async search(
    actor: Actor,
    q: PersonSearchInput,
  ): Promise<{ items: PersonSummaryDto[]; total: number; page: number; pageSize: number }> {
    authorize(actor, 'person.search');
    const region = q.region ?? actor.region ?? '000000';
    authorize(actor, 'person.search', { region });
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const name = q.name?.trim();
    // By ID number: the whole number, or its last four characters with the whole name (idNumberQuery).
    const id = q.idNumber === undefined ? undefined : idNumberQuery(q.idNumber, name);
    const { rows, total } = await searchPersons(
      this.db,
      {
        regionPattern: regionLikePattern(region),
        ...(name && !(id && 'last4' in id) ? { name } : {}),
        ...(id && 'exact' in id ? { idNumber: id.exact } : {}),
        ...(id && 'last4' in id ? { idNumberLast4: id.last4, exactName: id.name } : {}),
      },
      pageSize,
      (page - 1) * pageSize,
    );
    // Every person a staff search returns is audited, and shows in that person's access log.
    const filter = {
      region,
      ...(name ? { name } : {}),
      ...(id ? { idNumber: 'exact' in id ? maskIdNumber(id.exact) : `**************${id.last4}` } : {}),
      page,
      pageSize,
    };
    await auditStaffReads(
      this.db,
      actor,
      rows.map((r) => ({ action: 'person.search', personId: r.id, region: r.region, after: { filter } })),
    );
    return { items: rows.map(toPersonSummary), total, page, pageSize };
  }

  async update(actor: Actor, id: number, input: UpdatePersonInput): Promise<PersonDto> {
    authorize(actor, 'person.update');
    if (actor.role === 'citizen') {
      for (const k of ['name', 'hukouRegion', 'region', 'hardshipGroup'] as const) {
        if (input[k] !== undefined) {
          throw new SbError('SB_ERR_FORBIDDEN', {
            field: k,
            zh: '本人只能修改联系方式和银行账户，其他信息请到经办机构办理',
            en: 'you may change your phone, address and bank details; other changes go through the agency',
          });
        }
      }
    }
    const changes: PersonChanges = {};
    if (input.name !== undefined) changes.name = normalizeName(input.name);
    if (input.hukouRegion !== undefined)
      changes.hukou_region = requireRegion(input.hukouRegion, 'hukouRegion');
    if (input.region !== undefined) changes.region = requireRegion(input.region, 'region');
    if (input.phone !== undefined)
      changes.phone = input.phone === null || input.phone.trim() === '' ? null : normalizePhone(input.phone);
    if (input.address !== undefined) changes.address = input.address?.trim() || null;
    if (input.bankName !== undefined) changes.bank_name = input.bankName?.trim() || null;
    if (input.bankAccount !== undefined)
      changes.bank_account =
        input.bankAccount === null || input.bankAccount.trim() === ''
          ? null
          : normalizeBankAccount(input.bankAccount);
    if (input.hardshipGroup !== undefined) changes.hardship_group = input.hardshipGroup;
    return this.db.transaction().execute(async (tx) => {
      const before = await this.target(tx, actor, 'person.update', id, true);
      // Moving a person to another region needs the right over the new region too.
      if (changes.region !== undefined)
        authorize(actor, 'person.update', { personId: before.id, region: changes.region });
      const after = await updatePerson(tx, id, input.version, changes);
      if (!after)
        throw new SbError('SB_ERR_CONFLICT', {
          field: 'version',
          zh: `记录已被他人修改（当前版本 ${before.version}）`,
          en: `the record was changed meanwhile (current version ${before.version})`,
        });
      const d = diff(before, after, EDITABLE);
      await appendAudit(tx, actor, {
        action: 'person.update',
        entityType: 'person',
        entityId: id,
        region: after.region,
        subjectPersonId: id,
        ...d,
        reason: input.reason ?? null,
      });
      return toPerson(after);
    });
  }

  /**
   * Records a death: ends open enrolments and employment relations with reason death and
   * publishes `person.died` in the outbox (pensions stop, survivor benefits start, upstairs).
   */
  async recordDeath(
    actor: Actor,
    id: number,
    input: DeathInput,
  ): Promise<{ person: PersonDto; endedEnrolments: number; endedEmployments: number }> {
    authorize(actor, 'person.record-death');
    const deathDate = parseDate(input.deathDate, 'deathDate');
    if (deathDate > today()) throw deathInFuture();
    return this.db.transaction().execute(async (tx) => {
      const before = await this.target(tx, actor, 'person.record-death', id, true);
      if (before.death_date !== null)
        throw new SbError('SB_ERR_CONFLICT', {
          field: 'deathDate',
          zh: `已登记死亡日期 ${before.death_date}`,
          en: `a date of death (${before.death_date}) is already recorded`,
        });
      if (deathDate < before.birth_date) throw deathBeforeBirth();
      if (input.version !== undefined && input.version !== before.version) {
        throw new SbError('SB_ERR_CONFLICT', {
          field: 'version',
          zh: `当前版本 ${before.version}`,
          en: `current version ${before.version}`,
        });
      }
      const after = await updatePerson(tx, id, before.version, { death_date: deathDate });
      if (!after) throw new SbError('SB_ERR_CONFLICT', { field: 'version' });
      const enrolments = await endOpenEnrolments(tx, id, deathDate, 'death');
      const employments = await endOpenEmploymentsOfPerson(tx, id, deathDate, 'death');
      await tx
        .insertInto('outbox')
        .values({
          topic: 'person.died',
          payload: JSON.stringify({
            personId: id,
            deathDate,
            region: after.region,
            endedEnrolmentIds: enrolments.map((e) => e.id),
            endedEmploymentIds: employments.map((e) => e.id),
          }),
        })
        .execute();
      await appendAudit(tx, actor, {
        action: 'person.record-death',
        entityType: 'person',
        entityId: id,
        region: after.region,
        subjectPersonId: id,
        before: { death_date: null, version: before.version },
        after: {
          death_date: deathDate,
          version: after.version,
          endedEnrolmentIds: enrolments.map((e) => e.id),
          endedEmploymentIds: employments.map((e) => e.id),
        },
        reason: input.reason ?? auditReason('death-recorded'),
      });
      return {
        person: toPerson(after),
        endedEnrolments: enrolments.length,
        endedEmployments: employments.length,
      };
    });
  }
  /**
   * Records a chunk of deaths in the caller's transaction, set-based: the same checks, rows, events
   * and audit entries as `recordDeath` once per person in person order (the death date and version,
   * the open enrolments and employments ended with reason death, one `person.died` event and one
   * audit entry each), in a handful of statements whatever the chunk's size (issue 18). A person whose
   * death is already recorded is left as the registry has it and answered `already_recorded` (the
   * same date) or `conflict` (another), where `recordDeath` answers 409. Any invalid death throws the
   * one-person path's error and the caller's transaction writes nothing.
   */
  async recordDeaths(tx: Db, actor: Actor, deaths: readonly DeathRecord[]): Promise<DeathOutcome[]> {
    authorize(actor, 'person.record-death');
    if (deaths.length === 0) return [];
    const on = today();
    const byPerson = new Map<number, DeathRecord>();
    for (const d of deaths) {
      const deathDate = parseDate(d.deathDate, 'deathDate');
      if (deathDate > on) throw deathInFuture(d.line);
      if (byPerson.has(d.personId))
        throw new SbError('SB_ERR_VALIDATION', {
          field: 'personId',
          ...atLine('同一人员出现两次', 'a person is listed twice', d.line),
        });
      byPerson.set(d.personId, d);
    }
    // Locked in id order (as one-person transactions in person order would take them).
    const ids = [...byPerson.keys()].sort((a, b) => a - b);
    const found = new Map((await lockPersonsForDeath(tx, ids)).map((p) => [p.id, p]));
    const outcomes = new Map<number, DeathOutcome>();
    const todo: { id: number; date: string; version: number }[] = [];
    for (const id of ids) {
      const p = found.get(id);
      const d = byPerson.get(id)!;
      // Another region's person answers as an unknown one, as on the one-person path.
      if (!p || !permits(actor, 'person.record-death', { personId: p.id, region: p.region }))
        throw deathOfUnknown(d.line);
      const date = d.deathDate;
      if (p.death_date !== null) {
        const status = p.death_date === date ? 'already_recorded' : 'conflict';
        outcomes.set(id, { personId: id, status, registryDeathDate: p.death_date });
        continue;
      }
      if (date < p.birth_date) throw deathBeforeBirth(d.line);
      todo.push({ id, date, version: p.version });
    }
    if (todo.length > 0) {
      const personIds = todo.map((d) => d.id);
      const dates = todo.map((d) => d.date);
      const updated = new Map((await recordDeathDates(tx, personIds, dates)).map((r) => [r.id, r] as const));
      if (updated.size !== todo.length) throw new SbError('SB_ERR_CONFLICT', { field: 'version' });
      const group = (rows: { id: number; person_id: number }[]): Map<number, number[]> => {
        const m = new Map<number, number[]>();
        for (const r of [...rows].sort((a, b) => a.id - b.id)) {
          const l = m.get(r.person_id);
          if (l) l.push(r.id);
          else m.set(r.person_id, [r.id]);
        }
        return m;
      };
      const enrolments = group(await endOpenEnrolmentsOfPersons(tx, personIds, dates, 'death'));
      const employments = group(await endOpenEmploymentsOfPersons(tx, personIds, dates, 'death'));
      const payloads: string[] = [];
      const entries: AuditEntry[] = [];
      for (const d of todo) {
        const after = updated.get(d.id)!;
        const endedEnrolmentIds = enrolments.get(d.id) ?? [];
        const endedEmploymentIds = employments.get(d.id) ?? [];
        payloads.push(
          JSON.stringify({
            personId: d.id,
            deathDate: d.date,
            region: after.region,
            endedEnrolmentIds,
            endedEmploymentIds,
          }),
        );
        entries.push({
          action: 'person.record-death',
          entityType: 'person',
          entityId: d.id,
          region: after.region,
          subjectPersonId: d.id,
          before: { death_date: null, version: d.version },
          after: { death_date: d.date, version: after.version, endedEnrolmentIds, endedEmploymentIds },
          reason: byPerson.get(d.id)!.reason ?? auditReason('death-recorded'),
        });
        outcomes.set(d.id, {
          personId: d.id,
          status: 'recorded',
          endedEnrolments: endedEnrolmentIds.length,
          endedEmployments: endedEmploymentIds.length,
        });
      }
      await insertDeathEvents(tx, payloads);
      await appendAuditMany(tx, actor, entries);
    }
    return deaths.map((d) => outcomes.get(d.personId)!);
  }
}
