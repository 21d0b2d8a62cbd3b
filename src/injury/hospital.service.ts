// Hospitals that settle work-injury bills directly with the fund (issue #13 item 5): the hospital
// record, its staff logins, its API keys (only a SHA-256 is stored; the key is shown once), the
// bill a hospital's system submits (checked by hospital-bill.rules.ts against the case and the
// catalogue, recorded once per bill number) and the cross-province filings (备案).
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import {
  authenticateMachineKey,
  newMachineKey,
  oldKeyValidUntil,
  sha256,
  type OldKeyFate,
} from '../auth/machine-key.ts';
import { machineNamed } from '../auth/machines.ts';
import { authorize, foundInScope } from '../auth/policy.ts';
import { now, today } from '../core/clock.ts';
import { projectParams } from '../core/params-loader.ts';
import { addDays, parseDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import { int, isUniqueViolation } from '../db/values.ts';
import { injuryCatalogue } from './catalogue.ts';
import { checkHospitalBill, isCrossProvince, type BillItemInput } from './hospital-bill.rules.ts';
import * as repo from './hospital.repository.ts';
import type { ApiKeyRow, BillListRow, BillView, HospitalRow } from './hospital.repository.ts';

// ---------- hospitals and their staff ----------

export interface NewHospital {
  code: string;
  name: string;
  region: string;
  kind?: 'hospital' | 'rehab';
}

// ---------- API keys ----------

async function hospitalInScope(db: Db, actor: Actor, hospitalId: number): Promise<HospitalRow> {
  // Another hospital, or an administrator's of another city, answers as one that does not exist.
  return foundInScope(actor, 'hospital.key', (await repo.findHospital(db, hospitalId)) ?? undefined, (h) => ({
    hospitalId: h.id,
    region: h.region,
  }));
}

async function insertKey(tx: Db, actor: Actor, hospitalId: number, label: string) {
  const { key, prefix, hash } = newMachineKey(machineNamed('hospital').keyKind);
  const id = await repo.insertApiKey(tx, {
    hospitalId,
    prefix,
    keyHash: hash,
    label,
    createdBy: actor.username,
  });
  return { id, key, prefix };
}

// ---------- bills ----------

export interface BillInput {
  billNo: string;
  caseId: number;
  idNumber: string;
  admissionDate: string;
  dischargeDate?: string | null | undefined;
  items: BillItemInput[];
}

function canonicalBill(b: BillInput): string {
  return JSON.stringify({
    billNo: b.billNo,
    caseId: b.caseId,
    idNumber: b.idNumber.toUpperCase(),
    admissionDate: b.admissionDate,
    dischargeDate: b.dischargeDate ?? null,
    items: b.items.map((i) => [i.code, i.serviceDate, i.quantity, i.unitPriceFen]),
  });
}

/** A hospital bills what was done: no date of it after the server's today. */
const notAfterToday = (d: string, field: string, on: string): void => {
  if (parseDate(d, field) > on)
    throw new SbError('SB_ERR_VALIDATION', {
      field,
      zh: '日期不能晚于今天',
      en: 'the date may not be in the future',
    });
};

function checkBillInput(b: BillInput): void {
  const on = today();
  notAfterToday(b.admissionDate, 'admissionDate', on);
  if (b.dischargeDate !== undefined && b.dischargeDate !== null) {
    notAfterToday(b.dischargeDate, 'dischargeDate', on);
    if (b.dischargeDate < b.admissionDate)
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'dischargeDate',
        zh: '出院日期早于入院日期',
        en: 'discharge before admission',
      });
  }
  b.items.forEach((it, i) => {
    notAfterToday(it.serviceDate, `items[${i}].serviceDate`, on);
    if (!Number.isSafeInteger(it.quantity * it.unitPriceFen))
      throw new SbError('SB_ERR_INVALID_AMOUNT', { field: `items[${i}]` });
  });
}

// ---------- cross-province filings (异地就医备案) ----------

export interface FilingInput {
  caseId: number;
  hospitalId: number;
  validFrom: string;
  validTo?: string | null | undefined;
  reason: string;
}

export interface FilingView {
  id: number;
  caseId: number;
  hospitalId: number;
  hospitalName: string;
  hospitalRegion: string;
  crossProvince: boolean;
  validFrom: string;
  validTo: string | null;
  reason: string;
  filedBy: string;
}

/**
 * How far ahead a treatment filing may start: the agency's operational choice (no regulation sets it) —
 * a filing is for treatment already arranged, and one dated further out is refiled when it is.
 */
const FILING_AHEAD_PARAM = 'injury/treatment-filing-days-ahead';

async function caseForFiling(db: Db, actor: Actor, caseId: number) {
  const c = await repo.filingCase(db, caseId);
  // another worker's case or another district's answers as one that does not exist
  return foundInScope(actor, 'injury.filing', c, (x) => ({
    personId: int(x.person_id),
    region: x.region_code.trim(),
  }));
}

export class HospitalService {
  constructor(private readonly db: Db) {}

  async findHospital(id: number): Promise<HospitalRow | null> {
    return repo.findHospital(this.db, id);
  }

  /** Adds a hospital record (the demo, `shebao injury hospital add`); audited. */
  async createHospital(actor: Actor, h: NewHospital): Promise<HospitalRow> {
    authorize(actor, 'hospital.key', { region: h.region });
    if (!/^[A-Z0-9]{6,24}$/.test(h.code))
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'code',
        zh: '机构编码应为6至24位大写字母或数字',
        en: 'code: 6–24 capital letters or digits',
      });
    return this.db.transaction().execute(async (tx) => {
      const row = await repo.insertHospital(tx, { ...h, kind: h.kind ?? 'hospital' }, actor.username);
      await appendAudit(tx, actor, {
        action: 'hospital.create',
        entityType: 'hospital',
        entityId: row.id,
        region: row.region,
        after: row,
      });
      return row;
    });
  }

  /** Hospitals and rehabilitation institutions in a region (for filings and referrals). */
  async listHospitals(actor: Actor, q: { kind?: 'hospital' | 'rehab' | undefined }): Promise<HospitalRow[]> {
    authorize(actor, 'hospital.read');
    return repo.activeHospitals(this.db, {
      kind: q.kind,
      onlyId: actor.role === 'hospital' ? (actor.hospitalId ?? -1) : undefined,
    });
  }

  /** A `hospital` login acts for the hospital it is bound to (hospital_staff); others pass through. */
  async withHospital(actor: Actor): Promise<Actor> {
    if (actor.role !== 'hospital' || actor.userId === null) return actor;
    return { ...actor, hospitalId: await repo.staffHospitalId(this.db, actor.userId) };
  }

  /** A new key for the hospital's system: the key itself is in this answer only. */
  async createApiKey(
    actor: Actor,
    hospitalId: number,
    label: string,
  ): Promise<{ id: number; prefix: string; key: string }> {
    const h = await hospitalInScope(this.db, actor, hospitalId);
    return this.db.transaction().execute(async (tx) => {
      const k = await insertKey(tx, actor, h.id, label);
      await appendAudit(tx, actor, {
        action: 'hospital.key.create',
        entityType: 'hospital_api_key',
        entityId: k.id,
        region: h.region,
        after: { hospitalId: h.id, prefix: k.prefix, label },
      });
      return k;
    });
  }

  /**
   * Rotation: a new key replaces the old one, which stops at once (`stop-now`, a key that may be
   * compromised) or stays valid until the hospital's system first calls with the new key or the overlap
   * runs out (`overlap`, src/auth/machine-key.ts).
   */
  async rotateApiKey(
    actor: Actor,
    keyId: number,
    oldKey: OldKeyFate = 'stop-now',
  ): Promise<{ id: number; prefix: string; key: string; replaced: number; oldKeyValidUntil: string | null }> {
    const o = await repo.apiKeyOwner(this.db, keyId);
    if (!o) throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    const h = await hospitalInScope(this.db, actor, o.hospitalId);
    const at = now();
    const until = oldKeyValidUntil(oldKey, h.region, at)?.toISOString() ?? null;
    return this.db.transaction().execute(async (tx) => {
      const k = await insertKey(tx, actor, h.id, o.label);
      const done =
        until === null
          ? await repo.revokeApiKey(tx, keyId, {
              at: at.toISOString(),
              username: actor.username,
              replacedBy: k.id,
            })
          : await repo.keepReplacedApiKey(tx, keyId, { replacedBy: k.id, until });
      if (!done)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: '该密钥已停用或已轮换',
          en: 'the key is already revoked or rotated',
        });
      await appendAudit(tx, actor, {
        action: 'hospital.key.rotate',
        entityType: 'hospital_api_key',
        entityId: keyId,
        region: h.region,
        after: { hospitalId: h.id, replacedBy: k.id, prefix: k.prefix, oldKey, oldKeyValidUntil: until },
      });
      return { ...k, replaced: keyId, oldKeyValidUntil: until };
    });
  }

  async revokeApiKey(actor: Actor, keyId: number): Promise<void> {
    const o = await repo.apiKeyOwner(this.db, keyId);
    if (!o) throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    const h = await hospitalInScope(this.db, actor, o.hospitalId);
    await this.db.transaction().execute(async (tx) => {
      if (!(await repo.revokeApiKey(tx, keyId, { at: now().toISOString(), username: actor.username })))
        throw new SbError('SB_ERR_CONFLICT', { zh: '该密钥已停用', en: 'the key is already revoked' });
      await appendAudit(tx, actor, {
        action: 'hospital.key.revoke',
        entityType: 'hospital_api_key',
        entityId: keyId,
        region: h.region,
      });
    });
  }

  async listApiKeys(actor: Actor, hospitalId: number): Promise<ApiKeyRow[]> {
    const h = await hospitalInScope(this.db, actor, hospitalId);
    return repo.apiKeysOf(this.db, h.id);
  }

  /**
   * The hospital's system calling with its key → an actor of role `hospital` for that hospital. Unknown,
   * malformed and revoked keys answer alike (SB_ERR_HOSPITAL_KEY_INVALID), throttled by the calling
   * address (src/auth/machine-key.ts).
   */
  async authenticateHospitalKey(key: string | null, source: string): Promise<Actor> {
    const row = await authenticateMachineKey(this.db, {
      kind: machineNamed('hospital').keyKind,
      key,
      source,
      invalid: 'SB_ERR_HOSPITAL_KEY_INVALID',
      lookup: (hash) => repo.liveApiKey(this.db, hash, now()),
    });
    await repo.touchApiKey(this.db, row.id, now());
    const actor: Actor = {
      userId: null,
      username: `key:${row.prefix}`,
      role: 'hospital',
      personId: null,
      employerId: null,
      region: row.region,
      hospitalId: row.hospitalId,
    };
    // the new key's first call ends the key its rotation kept
    if (row.keptOld)
      await this.db.transaction().execute(async (tx) => {
        const ended = await repo.endReplacedApiKey(tx, row.id, {
          at: now().toISOString(),
          username: actor.username,
        });
        if (ended === undefined) return;
        await appendAudit(tx, actor, {
          action: 'hospital.key.old-end',
          entityType: 'hospital_api_key',
          entityId: ended.id,
          region: row.region,
          after: { hospitalId: row.hospitalId, prefix: ended.prefix, endedBy: row.prefix },
        });
      });
    return actor;
  }

  /**
   * A hospital submits a bill. The same bill number with the same content answers the bill already
   * recorded (`replayed: true`) — recorded once, hence paid once; with other content it is refused.
   * A case number that does not exist or does not belong to the ID number answers the same error,
   * so a hospital learns nothing about cases that are not its patients'.
   */
  async submitBill(actor: Actor, input: BillInput): Promise<{ bill: BillView; replayed: boolean }> {
    authorize(actor, 'hospital.bill.submit');
    const hospitalId = actor.hospitalId;
    if (hospitalId === undefined || hospitalId === null) throw new SbError('SB_ERR_FORBIDDEN');
    authorize(actor, 'hospital.bill.submit', { hospitalId });
    checkBillInput(input);
    const hash = sha256(canonicalBill(input));
    const replay = async (): Promise<{ bill: BillView; replayed: boolean } | null> => {
      const old = await repo.billByNumber(this.db, hospitalId, input.billNo);
      if (!old) return null;
      if (old.requestHash !== hash) throw new SbError('SB_ERR_HOSPITAL_BILL_CONFLICT', { field: 'billNo' });
      return { bill: old.bill, replayed: true };
    };
    const earlier = await replay();
    if (earlier) return earlier;
    const hospital = await this.findHospital(hospitalId);
    if (!hospital?.active) throw new SbError('SB_ERR_FORBIDDEN');
    const c = await repo.caseOfPatient(this.db, input.caseId, input.idNumber.toUpperCase());
    if (!c) throw new SbError('SB_ERR_HOSPITAL_CASE_MISMATCH', { field: 'caseId' });
    const filed = await repo.filedOn(this.db, int(c.id), hospitalId, input.admissionDate);
    const catalogue = injuryCatalogue();
    const submittedOn = today();
    const result = checkHospitalBill(
      {
        case: { status: c.status, accidentDate: String(c.accident_date), region: c.region_code },
        hospitalRegion: hospital.region,
        filed,
        submittedOn,
        admissionDate: input.admissionDate,
        dischargeDate: input.dischargeDate ?? null,
        items: input.items,
      },
      catalogue,
    );
    try {
      const id = await this.db.transaction().execute(async (tx) => {
        const billId = await repo.insertBill(
          tx,
          {
            hospitalId,
            billNo: input.billNo,
            requestHash: hash,
            caseId: int(c.id),
            personId: int(c.person_id),
            region: c.region_code,
            admissionDate: input.admissionDate,
            dischargeDate: input.dischargeDate ?? null,
            catalogueVersion: catalogue.version,
            submittedBy: actor.username,
            submittedOn,
          },
          result,
          input.items,
        );
        await appendAudit(tx, actor, {
          action: 'hospital.bill.submit',
          entityType: 'hospital_bill',
          entityId: billId,
          region: c.region_code,
          subjectPersonId: int(c.person_id),
          after: {
            hospitalId,
            billNo: input.billNo,
            caseId: int(c.id),
            status: result.status,
            reason: result.billReason,
            claimedFen: result.claimedFen,
            acceptedFen: result.acceptedFen,
          },
        });
        return billId;
      });
      const bill = await repo.billById(this.db, id);
      if (!bill) throw new SbError('SB_ERR_INTERNAL');
      return { bill, replayed: false };
    } catch (e) {
      // Two submissions of one bill at once: the second meets the first's row.
      if (isUniqueViolation(e)) {
        const again = await replay();
        if (again) return again;
      }
      throw e;
    }
  }

  /** One bill: its hospital, or staff of the case's region. Anyone else hears "not found", as for no bill. */
  async getBill(actor: Actor, id: number): Promise<BillView> {
    const b = await repo.billById(this.db, id);
    return foundInScope(actor, 'hospital.bill.read', b ?? undefined, (x) => ({
      hospitalId: x.hospitalId,
      region: x.region.trim(),
    }));
  }

  async listBills(
    actor: Actor,
    q: { status?: string | undefined; unsettled?: boolean | undefined; limit?: number | undefined },
  ): Promise<{ items: BillListRow[]; total: number }> {
    authorize(actor, 'hospital.bill.read');
    const scope =
      actor.role === 'hospital'
        ? { hospitalId: actor.hospitalId ?? -1 }
        : actor.role === 'system'
          ? ('all' as const)
          : { region: actor.region ?? 'none' };
    return repo.listBills(this.db, scope, { ...q, limit: q.limit ?? 100 });
  }

  /** The worker (for their own case) or a clerk files treatment at a hospital; audited. */
  async fileTreatment(actor: Actor, f: FilingInput): Promise<FilingView> {
    const c = await caseForFiling(this.db, actor, f.caseId);
    parseDate(f.validFrom, 'validFrom');
    // treatment for this injury starts no earlier than the accident (a filing after an admission, 补备案,
    // is the designed path, so the past is open back to it), and a planned one within the parameter's days
    if (f.validFrom < c.accident_date)
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'validFrom',
        zh: '不能早于事故发生之日',
        en: 'not before the day of the accident',
      });
    const daysAhead = projectParams().get<number>(
      FILING_AHEAD_PARAM,
      c.region_code.trim(),
      today(),
      undefined,
      'validFrom',
    );
    if (f.validFrom > addDays(today(), daysAhead))
      throw new SbError('SB_ERR_OUT_OF_RANGE', {
        field: 'validFrom',
        zh: `不能晚于今天起${daysAhead}天`,
        en: `not more than ${daysAhead} days ahead`,
      });
    if (f.validTo !== undefined && f.validTo !== null) {
      parseDate(f.validTo, 'validTo');
      if (f.validTo < f.validFrom)
        throw new SbError('SB_ERR_VALIDATION', {
          field: 'validTo',
          zh: '截止日期早于起始日期',
          en: 'validTo before validFrom',
        });
    }
    const h = await this.findHospital(f.hospitalId);
    if (!h?.active) throw new SbError('SB_ERR_NOT_FOUND', { field: 'hospitalId' });
    const id = await this.db.transaction().execute(async (tx) => {
      const fid = await repo.insertFiling(tx, {
        caseId: int(c.id),
        hospitalId: h.id,
        validFrom: f.validFrom,
        validTo: f.validTo ?? null,
        reason: f.reason,
        filedBy: actor.username,
      });
      await appendAudit(tx, actor, {
        action: 'injury.filing.create',
        entityType: 'injury_treatment_filing',
        entityId: fid,
        region: c.region_code,
        subjectPersonId: int(c.person_id),
        after: { caseId: int(c.id), hospitalId: h.id, validFrom: f.validFrom, validTo: f.validTo ?? null },
      });
      return fid;
    });
    const all = await this.listFilings(actor, f.caseId);
    const v = all.find((x) => x.id === id);
    if (!v) throw new SbError('SB_ERR_INTERNAL');
    return v;
  }

  async listFilings(actor: Actor, caseId: number): Promise<FilingView[]> {
    const c = await caseForFiling(this.db, actor, caseId);
    return (await repo.filingsOf(this.db, int(c.id))).map((x) => ({
      ...x,
      crossProvince: isCrossProvince(c.region_code, x.hospitalRegion),
    }));
  }
}
