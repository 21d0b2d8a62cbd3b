// Hospitals that settle work-injury bills directly with the fund (issue #13 item 5): the hospital
// record, its staff logins, its API keys (only a SHA-256 is stored; the key is shown once), the
// bill a hospital's system submits (checked by hospital-bill.rules.ts against the case and the
// catalogue, recorded once per bill number) and the cross-province filings (备案).
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInScope } from '../auth/policy.ts';
import { now, today } from '../core/clock.ts';
import { parseDate } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int, isUniqueViolation } from '../db/values.ts';
import { injuryCatalogue } from './catalogue.ts';
import { checkHospitalBill, isCrossProvince, type BillItemInput } from './hospital-bill.rules.ts';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

// ---------- hospitals and their staff ----------

export interface HospitalRow {
  id: number;
  code: string;
  name: string;
  region: string;
  kind: 'hospital' | 'rehab';
  active: boolean;
}

const HOSPITAL_COLUMNS = sql`id, code, name, region, kind, active`;

function toHospital(r: Record<string, unknown>): HospitalRow {
  return {
    id: int(r['id']),
    code: String(r['code']),
    name: String(r['name']),
    region: String(r['region']),
    kind: r['kind'] === 'rehab' ? 'rehab' : 'hospital',
    active: r['active'] === true,
  };
}

export interface NewHospital {
  code: string;
  name: string;
  region: string;
  kind?: 'hospital' | 'rehab';
}

// ---------- API keys ----------

export interface ApiKeyRow {
  id: number;
  hospitalId: number;
  prefix: string;
  label: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const KEY_FAILURES_MAX = 20;
const KEY_WINDOW_MINUTES = 15;
const KEY_LOCK_MINUTES = 15;

function newKey(): { key: string; prefix: string } {
  const prefix = randomBytes(5).toString('hex');
  return { key: `sbh_${prefix}_${randomBytes(32).toString('base64url')}`, prefix: `sbh_${prefix}` };
}

async function hospitalInScope(db: Db, actor: Actor, hospitalId: number): Promise<HospitalRow> {
  const h = await new HospitalService(db).findHospital(hospitalId);
  // A hospital asking about another hospital hears "not found", as for one that does not exist.
  if (!h || (actor.role === 'hospital' && actor.hospitalId !== h.id)) throw new SbError('SB_ERR_NOT_FOUND');
  authorize(actor, 'hospital.key', { hospitalId: h.id, region: h.region });
  return h;
}

async function insertKey(tx: Db, actor: Actor, hospitalId: number, label: string) {
  const { key, prefix } = newKey();
  const r = await sql<{ id: unknown; created_at: unknown }>`
    INSERT INTO hospital_api_key (hospital_id, prefix, key_hash, label, created_by)
    VALUES (${hospitalId}, ${prefix}, ${sha256(key)}, ${label}, ${actor.username})
    RETURNING id, created_at`.execute(tx);
  return { id: int(r.rows[0]?.id), key, prefix };
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

export interface BillItemView {
  lineNo: number;
  code: string;
  nameZh: string | null;
  serviceDate: string;
  quantity: number;
  unitPriceFen: number;
  claimedFen: number;
  acceptedFen: number;
  reason: string | null;
  reasonZh: string | null;
  reasonEn: string | null;
}

export interface BillView {
  id: number;
  hospitalId: number;
  hospitalName: string;
  billNo: string;
  caseId: number;
  region: string;
  admissionDate: string;
  dischargeDate: string | null;
  status: 'accepted' | 'partly_accepted' | 'refused';
  reason: string | null;
  reasonZh: string | null;
  reasonEn: string | null;
  claimedFen: number;
  acceptedFen: number;
  submittedOn: string;
  submittedBy: string;
  settlementRunId: number | null;
  settlementPeriod: string | null;
  items: BillItemView[];
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

async function readBill(db: Db, where: ReturnType<typeof sql>): Promise<BillView | null> {
  const r = await sql<Record<string, unknown>>`
    SELECT b.*, h.name AS hospital_name, r.period AS settlement_period
    FROM hospital_bill b JOIN hospital h ON h.id = b.hospital_id
    LEFT JOIN hospital_settlement_run r ON r.id = b.settlement_run_id
    WHERE ${where}`.execute(db);
  const b = r.rows[0];
  if (!b) return null;
  const items = await sql<Record<string, unknown>>`
    SELECT * FROM hospital_bill_item WHERE bill_id = ${int(b['id'])} ORDER BY line_no`.execute(db);
  const s = (v: unknown): string | null =>
    typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
  return {
    id: int(b['id']),
    hospitalId: int(b['hospital_id']),
    hospitalName: String(b['hospital_name']),
    billNo: String(b['bill_no']),
    caseId: int(b['case_id']),
    region: String(b['region']),
    admissionDate: String(b['admission_date']),
    dischargeDate: s(b['discharge_date']),
    status: b['status'] as BillView['status'],
    reason: s(b['reason']),
    reasonZh: s(b['reason_zh']),
    reasonEn: s(b['reason_en']),
    claimedFen: int(b['claimed_fen']),
    acceptedFen: int(b['accepted_fen']),
    submittedOn: String(b['submitted_on']),
    submittedBy: String(b['submitted_by']),
    settlementRunId: b['settlement_run_id'] === null ? null : int(b['settlement_run_id']),
    settlementPeriod: s(b['settlement_period'])?.trim() ?? null,
    items: items.rows.map((x) => ({
      lineNo: int(x['line_no']),
      code: String(x['code']),
      nameZh: s(x['name_zh']),
      serviceDate: String(x['service_date']),
      quantity: int(x['quantity']),
      unitPriceFen: int(x['unit_price_fen']),
      claimedFen: int(x['claimed_fen']),
      acceptedFen: int(x['accepted_fen']),
      reason: s(x['reason']),
      reasonZh: s(x['reason_zh']),
      reasonEn: s(x['reason_en']),
    })),
  };
}

export interface BillListRow {
  id: number;
  hospitalId: number;
  personId: number;
  hospitalName: string;
  billNo: string;
  caseId: number;
  region: string;
  status: string;
  claimedFen: number;
  acceptedFen: number;
  submittedOn: string;
  settlementPeriod: string | null;
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

async function caseForFiling(db: Db, actor: Actor, caseId: number) {
  const c = (
    await sql<{ id: unknown; person_id: unknown; region_code: string; status: string }>`
      SELECT id, person_id, region_code, status FROM injury_case WHERE id = ${caseId}`.execute(db)
  ).rows[0];
  // another worker's case or another district's answers as one that does not exist
  return foundInScope(actor, 'injury.filing', c, (x) => ({
    personId: int(x.person_id),
    region: x.region_code.trim(),
  }));
}

export class HospitalService {
  constructor(private readonly db: Db) {}

  async findHospital(id: number): Promise<HospitalRow | null> {
    const r = await sql<
      Record<string, unknown>
    >`SELECT ${HOSPITAL_COLUMNS} FROM hospital WHERE id = ${id}`.execute(this.db);
    return r.rows[0] ? toHospital(r.rows[0]) : null;
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
      const r = await sql<Record<string, unknown>>`
      INSERT INTO hospital (code, name, region, kind, created_by)
      VALUES (${h.code}, ${h.name}, ${h.region}, ${h.kind ?? 'hospital'}, ${actor.username})
      RETURNING ${HOSPITAL_COLUMNS}`.execute(tx);
      const row = toHospital(r.rows[0] ?? {});
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
    const r = await sql<Record<string, unknown>>`
    SELECT ${HOSPITAL_COLUMNS} FROM hospital
    WHERE active ${q.kind === undefined ? sql`` : sql`AND kind = ${q.kind}`}
      ${actor.role === 'hospital' ? sql`AND id = ${actor.hospitalId ?? -1}` : sql``}
    ORDER BY code LIMIT 500`.execute(this.db);
    return r.rows.map(toHospital);
  }

  /** A `hospital` login acts for the hospital it is bound to (hospital_staff); others pass through. */
  async withHospital(actor: Actor): Promise<Actor> {
    if (actor.role !== 'hospital' || actor.userId === null) return actor;
    const r = await sql<{ hospital_id: unknown }>`
    SELECT s.hospital_id FROM hospital_staff s JOIN hospital h ON h.id = s.hospital_id
    WHERE s.user_id = ${actor.userId} AND h.active`.execute(this.db);
    return { ...actor, hospitalId: r.rows[0] ? int(r.rows[0].hospital_id) : null };
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

  /** Rotation: a new key replaces the old one, which stops working at once. */
  async rotateApiKey(
    actor: Actor,
    keyId: number,
  ): Promise<{ id: number; prefix: string; key: string; replaced: number }> {
    const old = await sql<{ hospital_id: unknown; label: string; revoked_at: unknown }>`
    SELECT hospital_id, label, revoked_at FROM hospital_api_key WHERE id = ${keyId}`.execute(this.db);
    const o = old.rows[0];
    if (!o) throw new SbError('SB_ERR_NOT_FOUND');
    const h = await hospitalInScope(this.db, actor, int(o.hospital_id));
    return this.db.transaction().execute(async (tx) => {
      const k = await insertKey(tx, actor, h.id, o.label);
      const done =
        await sql`UPDATE hospital_api_key SET revoked_at = ${now().toISOString()}, revoked_by = ${actor.username}, replaced_by = ${k.id}
      WHERE id = ${keyId} AND revoked_at IS NULL`.execute(tx);
      if (Number(done.numAffectedRows ?? 0) !== 1)
        throw new SbError('SB_ERR_CONFLICT', { zh: '该密钥已停用', en: 'the key is already revoked' });
      await appendAudit(tx, actor, {
        action: 'hospital.key.rotate',
        entityType: 'hospital_api_key',
        entityId: keyId,
        region: h.region,
        after: { hospitalId: h.id, replacedBy: k.id, prefix: k.prefix },
      });
      return { ...k, replaced: keyId };
    });
  }

  async revokeApiKey(actor: Actor, keyId: number): Promise<void> {
    const old = await sql<{
      hospital_id: unknown;
    }>`SELECT hospital_id FROM hospital_api_key WHERE id = ${keyId}`.execute(this.db);
    const o = old.rows[0];
    if (!o) throw new SbError('SB_ERR_NOT_FOUND');
    const h = await hospitalInScope(this.db, actor, int(o.hospital_id));
    await this.db.transaction().execute(async (tx) => {
      const done =
        await sql`UPDATE hospital_api_key SET revoked_at = ${now().toISOString()}, revoked_by = ${actor.username}
      WHERE id = ${keyId} AND revoked_at IS NULL`.execute(tx);
      if (Number(done.numAffectedRows ?? 0) !== 1)
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
    const r = await sql<Record<string, unknown>>`
    SELECT id, hospital_id, prefix, label, created_by, created_at, last_used_at, revoked_at
    FROM hospital_api_key WHERE hospital_id = ${h.id} ORDER BY id DESC`.execute(this.db);
    const ts = (v: unknown): string | null =>
      v === null || v === undefined ? null : new Date(v as string).toISOString();
    return r.rows.map((x) => ({
      id: int(x['id']),
      hospitalId: int(x['hospital_id']),
      prefix: String(x['prefix']),
      label: String(x['label']),
      createdBy: String(x['created_by']),
      createdAt: ts(x['created_at']) ?? '',
      lastUsedAt: ts(x['last_used_at']),
      revokedAt: ts(x['revoked_at']),
    }));
  }

  /**
   * The hospital's system calling with its key → an actor of role `hospital` for that hospital.
   * Unknown, malformed and revoked keys answer alike (SB_ERR_HOSPITAL_KEY_INVALID) and count as failures
   * of the calling address; after KEY_FAILURES_MAX failures in KEY_WINDOW_MINUTES the address is refused
   * (SB_ERR_TOO_MANY_ATTEMPTS) for KEY_LOCK_MINUTES, even with a good key — guessing stays useless.
   */
  async authenticateHospitalKey(key: string | null, source: string): Promise<Actor> {
    const throttleKey = `hospital-key:${source}`;
    const at = now();
    const lock = await sql<{ locked_until: unknown }>`
    SELECT locked_until FROM login_throttle WHERE key = ${throttleKey}`.execute(this.db);
    const until = lock.rows[0]?.locked_until;
    if (until !== null && until !== undefined && new Date(until as string) > at)
      throw new SbError('SB_ERR_TOO_MANY_ATTEMPTS');
    const row =
      key !== null && /^sbh_[0-9a-f]{10}_[A-Za-z0-9_-]{43}$/.test(key)
        ? (
            await sql<{ id: unknown; hospital_id: unknown; prefix: string; region: string }>`
            SELECT k.id, k.hospital_id, k.prefix, h.region FROM hospital_api_key k JOIN hospital h ON h.id = k.hospital_id
            WHERE k.key_hash = ${sha256(key)} AND k.revoked_at IS NULL AND h.active`.execute(this.db)
          ).rows[0]
        : undefined;
    if (!row) {
      const windowStart = new Date(at.getTime() - KEY_WINDOW_MINUTES * 60_000).toISOString();
      const lockUntil = new Date(at.getTime() + KEY_LOCK_MINUTES * 60_000).toISOString();
      await sql`
      INSERT INTO login_throttle AS t (key, failures, window_start, locked_until)
      VALUES (${throttleKey}, 1, ${at.toISOString()}, NULL)
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN t.window_start < ${windowStart} THEN 1 ELSE t.failures + 1 END,
        window_start = CASE WHEN t.window_start < ${windowStart} THEN ${at.toISOString()}::timestamptz ELSE t.window_start END,
        locked_until = CASE WHEN t.window_start >= ${windowStart} AND t.failures + 1 >= ${KEY_FAILURES_MAX}
          THEN ${lockUntil}::timestamptz ELSE t.locked_until END`.execute(this.db);
      throw new SbError('SB_ERR_HOSPITAL_KEY_INVALID');
    }
    await sql`UPDATE hospital_api_key SET last_used_at = ${at.toISOString()} WHERE id = ${int(row.id)}
    AND (last_used_at IS NULL OR last_used_at < ${new Date(at.getTime() - 60_000).toISOString()})`.execute(
      this.db,
    );
    return {
      userId: null,
      username: `key:${row.prefix}`,
      role: 'hospital',
      personId: null,
      employerId: null,
      region: row.region,
      hospitalId: int(row.hospital_id),
    };
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
      const old = await readBill(this.db, sql`b.hospital_id = ${hospitalId} AND b.bill_no = ${input.billNo}`);
      if (!old) return null;
      const h = await sql<{
        request_hash: string;
      }>`SELECT request_hash FROM hospital_bill WHERE id = ${old.id}`.execute(this.db);
      if (h.rows[0]?.request_hash !== hash)
        throw new SbError('SB_ERR_HOSPITAL_BILL_CONFLICT', { field: 'billNo' });
      return { bill: old, replayed: true };
    };
    const earlier = await replay();
    if (earlier) return earlier;
    const hospital = await this.findHospital(hospitalId);
    if (!hospital?.active) throw new SbError('SB_ERR_FORBIDDEN');
    const c = (
      await sql<{
        id: unknown;
        person_id: unknown;
        status: string;
        accident_date: string;
        region_code: string;
      }>`
      SELECT c.id, c.person_id, c.status, c.accident_date, c.region_code
      FROM injury_case c JOIN person p ON p.id = c.person_id
      WHERE c.id = ${input.caseId} AND p.id_number = ${input.idNumber.toUpperCase()}`.execute(this.db)
    ).rows[0];
    if (!c) throw new SbError('SB_ERR_HOSPITAL_CASE_MISMATCH', { field: 'caseId' });
    const filed =
      (
        await sql<{ n: unknown }>`
        SELECT count(*) AS n FROM injury_treatment_filing
        WHERE case_id = ${int(c.id)} AND hospital_id = ${hospitalId} AND revoked_at IS NULL
          AND valid_from <= ${input.admissionDate} AND (valid_to IS NULL OR valid_to >= ${input.admissionDate})`.execute(
          this.db,
        )
      ).rows.map((x) => int(x.n))[0] ?? 0;
    const catalogue = injuryCatalogue();
    const submittedOn = today();
    const result = checkHospitalBill(
      {
        case: { status: c.status, accidentDate: String(c.accident_date), region: c.region_code },
        hospitalRegion: hospital.region,
        filed: filed > 0,
        submittedOn,
        admissionDate: input.admissionDate,
        dischargeDate: input.dischargeDate ?? null,
        items: input.items,
      },
      catalogue,
    );
    try {
      const id = await this.db.transaction().execute(async (tx) => {
        const ins = await sql<{ id: unknown }>`
        INSERT INTO hospital_bill (hospital_id, bill_no, request_hash, case_id, person_id, region, admission_date,
          discharge_date, status, reason, reason_zh, reason_en, claimed_fen, accepted_fen, catalogue_version,
          submitted_by, submitted_on)
        VALUES (${hospitalId}, ${input.billNo}, ${hash}, ${int(c.id)}, ${int(c.person_id)}, ${c.region_code},
          ${input.admissionDate}, ${input.dischargeDate ?? null}, ${result.status}, ${result.billReason},
          ${result.billReasonZh}, ${result.billReasonEn}, ${result.claimedFen}, ${result.acceptedFen},
          ${catalogue.version}, ${actor.username}, ${submittedOn})
        RETURNING id`.execute(tx);
        const billId = int(ins.rows[0]?.id);
        const its = result.items;
        await sql`
        INSERT INTO hospital_bill_item (bill_id, line_no, code, name_zh, service_date, quantity, unit_price_fen,
          claimed_fen, accepted_fen, reason, reason_zh, reason_en)
        SELECT ${billId}, * FROM unnest(
          ${its.map((x) => x.lineNo)}::int[], ${its.map((x) => x.code)}::text[], ${its.map((x) => x.nameZh)}::text[],
          ${input.items.map((x) => x.serviceDate)}::date[], ${input.items.map((x) => x.quantity)}::int[],
          ${input.items.map((x) => x.unitPriceFen)}::bigint[], ${its.map((x) => x.claimedFen)}::bigint[],
          ${its.map((x) => x.acceptedFen)}::bigint[], ${its.map((x) => x.reason)}::text[],
          ${its.map((x) => x.reasonZh)}::text[], ${its.map((x) => x.reasonEn)}::text[])`.execute(tx);
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
      const bill = await readBill(this.db, sql`b.id = ${id}`);
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
    const b = await readBill(this.db, sql`b.id = ${id}`);
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
        ? sql`b.hospital_id = ${actor.hospitalId ?? -1}`
        : actor.role === 'system'
          ? sql`true`
          : regionCoversSql(sql.ref('b.region'), actor.region ?? 'none');
    const where = sql`${scope} ${q.status === undefined ? sql`` : sql`AND b.status = ${q.status}`}
    ${q.unsettled === true ? sql`AND b.settlement_run_id IS NULL AND b.accepted_fen > 0` : sql``}`;
    const r = await sql<Record<string, unknown>>`
    SELECT b.id, b.hospital_id, b.person_id, h.name AS hospital_name, b.bill_no, b.case_id, b.region, b.status, b.claimed_fen,
      b.accepted_fen, b.submitted_on, r.period AS settlement_period, count(*) OVER () AS total
    FROM hospital_bill b JOIN hospital h ON h.id = b.hospital_id
    LEFT JOIN hospital_settlement_run r ON r.id = b.settlement_run_id
    WHERE ${where} ORDER BY b.id DESC LIMIT ${q.limit ?? 100}`.execute(this.db);
    const items = r.rows.map((x) => ({
      id: int(x['id']),
      hospitalId: int(x['hospital_id']),
      personId: int(x['person_id']),
      hospitalName: String(x['hospital_name']),
      billNo: String(x['bill_no']),
      caseId: int(x['case_id']),
      region: String(x['region']),
      status: String(x['status']),
      claimedFen: int(x['claimed_fen']),
      acceptedFen: int(x['accepted_fen']),
      submittedOn: String(x['submitted_on']),
      settlementPeriod: typeof x['settlement_period'] === 'string' ? x['settlement_period'].trim() : null,
    }));
    return { items, total: int(r.rows[0]?.['total']) };
  }

  /** The worker (for their own case) or a clerk files treatment at a hospital; audited. */
  async fileTreatment(actor: Actor, f: FilingInput): Promise<FilingView> {
    const c = await caseForFiling(this.db, actor, f.caseId);
    parseDate(f.validFrom, 'validFrom');
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
      const r = await sql<{ id: unknown }>`
      INSERT INTO injury_treatment_filing (case_id, hospital_id, valid_from, valid_to, reason, filed_by)
      VALUES (${int(c.id)}, ${h.id}, ${f.validFrom}, ${f.validTo ?? null}, ${f.reason}, ${actor.username})
      RETURNING id`.execute(tx);
      const fid = int(r.rows[0]?.id);
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
    const r = await sql<Record<string, unknown>>`
    SELECT f.id, f.case_id, f.hospital_id, h.name, h.region, f.valid_from, f.valid_to, f.reason, f.filed_by
    FROM injury_treatment_filing f JOIN hospital h ON h.id = f.hospital_id
    WHERE f.case_id = ${int(c.id)} AND f.revoked_at IS NULL ORDER BY f.id`.execute(this.db);
    return r.rows.map((x) => ({
      id: int(x['id']),
      caseId: int(x['case_id']),
      hospitalId: int(x['hospital_id']),
      hospitalName: String(x['name']),
      hospitalRegion: String(x['region']),
      crossProvince: isCrossProvince(c.region_code, String(x['region'])),
      validFrom: String(x['valid_from']),
      validTo: typeof x['valid_to'] === 'string' ? x['valid_to'] : null,
      reason: String(x['reason']),
      filedBy: String(x['filed_by']),
    }));
  }
}
