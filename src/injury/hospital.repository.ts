// SQL of the hospitals that settle work-injury bills directly (migration 0420): the hospital record,
// its staff binding, its API keys (only a SHA-256 is stored) and the key's failure counter, the bills
// and their lines, and the cross-province filings (备案). Executor first; the service owns the
// transaction, the checks and the audit entry.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int } from '../db/values.ts';
import type { BillCheckResult, BillItemInput } from './hospital-bill.rules.ts';

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

export async function findHospital(db: Db, id: number): Promise<HospitalRow | null> {
  const r = await sql<
    Record<string, unknown>
  >`SELECT ${HOSPITAL_COLUMNS} FROM hospital WHERE id = ${id}`.execute(db);
  return r.rows[0] ? toHospital(r.rows[0]) : null;
}

export async function insertHospital(
  tx: Db,
  h: { code: string; name: string; region: string; kind: 'hospital' | 'rehab' },
  createdBy: string,
): Promise<HospitalRow> {
  const r = await sql<Record<string, unknown>>`
    INSERT INTO hospital (code, name, region, kind, created_by)
    VALUES (${h.code}, ${h.name}, ${h.region}, ${h.kind}, ${createdBy})
    RETURNING ${HOSPITAL_COLUMNS}`.execute(tx);
  return toHospital(r.rows[0] ?? {});
}

/** Active hospitals by code (at most 500), of one kind when given, only `onlyId` when given. */
export async function activeHospitals(
  db: Db,
  q: { kind: 'hospital' | 'rehab' | undefined; onlyId: number | undefined },
): Promise<HospitalRow[]> {
  const r = await sql<Record<string, unknown>>`
    SELECT ${HOSPITAL_COLUMNS} FROM hospital
    WHERE active ${q.kind === undefined ? sql`` : sql`AND kind = ${q.kind}`}
      ${q.onlyId === undefined ? sql`` : sql`AND id = ${q.onlyId}`}
    ORDER BY code LIMIT 500`.execute(db);
  return r.rows.map(toHospital);
}

/** The active hospital a `hospital` login is bound to (hospital_staff), if any. */
export async function staffHospitalId(db: Db, userId: number): Promise<number | null> {
  const r = await sql<{ hospital_id: unknown }>`
    SELECT s.hospital_id FROM hospital_staff s JOIN hospital h ON h.id = s.hospital_id
    WHERE s.user_id = ${userId} AND h.active`.execute(db);
  return r.rows[0] ? int(r.rows[0].hospital_id) : null;
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
  /** a replaced key kept valid by its rotation: until when, unless the new key is used first */
  validUntil: string | null;
}

export async function insertApiKey(
  tx: Db,
  k: { hospitalId: number; prefix: string; keyHash: string; label: string; createdBy: string },
): Promise<number> {
  const r = await sql<{ id: unknown }>`
    INSERT INTO hospital_api_key (hospital_id, prefix, key_hash, label, created_by)
    VALUES (${k.hospitalId}, ${k.prefix}, ${k.keyHash}, ${k.label}, ${k.createdBy})
    RETURNING id`.execute(tx);
  return int(r.rows[0]?.id);
}

/** The key's hospital and label, for its rotation or revocation. */
export async function apiKeyOwner(
  db: Db,
  keyId: number,
): Promise<{ hospitalId: number; label: string } | undefined> {
  const r = await sql<{ hospital_id: unknown; label: string }>`
    SELECT hospital_id, label FROM hospital_api_key WHERE id = ${keyId}`.execute(db);
  const o = r.rows[0];
  return o ? { hospitalId: int(o.hospital_id), label: o.label } : undefined;
}

/**
 * Revokes a key still in use (by the key that replaces it, on rotation); false when it was revoked (or,
 * on rotation, replaced) already.
 */
export async function revokeApiKey(
  tx: Db,
  keyId: number,
  by: { at: string; username: string; replacedBy?: number },
): Promise<boolean> {
  const done = await sql`UPDATE hospital_api_key SET revoked_at = ${by.at}, revoked_by = ${by.username}
    ${by.replacedBy === undefined ? sql`` : sql`, replaced_by = ${by.replacedBy}`}
    WHERE id = ${keyId} AND revoked_at IS NULL
    ${by.replacedBy === undefined ? sql`` : sql`AND replaced_by IS NULL`}`.execute(tx);
  return Number(done.numAffectedRows ?? 0) === 1;
}

/** A replaced key kept valid until `until` (a rotation's overlap); false when it was revoked or replaced already. */
export async function keepReplacedApiKey(
  tx: Db,
  keyId: number,
  by: { replacedBy: number; until: string },
): Promise<boolean> {
  const done = await sql`UPDATE hospital_api_key SET replaced_by = ${by.replacedBy}, valid_until = ${by.until}
    WHERE id = ${keyId} AND revoked_at IS NULL AND replaced_by IS NULL`.execute(tx);
  return Number(done.numAffectedRows ?? 0) === 1;
}

/** Revokes the kept key that `newKeyId` replaced, at the new key's first use: its prefix, if one was kept. */
export async function endReplacedApiKey(
  db: Db,
  newKeyId: number,
  by: { at: string; username: string },
): Promise<{ id: number; prefix: string } | undefined> {
  const r = await sql<{ id: unknown; prefix: string }>`UPDATE hospital_api_key
    SET revoked_at = ${by.at}, revoked_by = ${by.username}
    WHERE replaced_by = ${newKeyId} AND revoked_at IS NULL RETURNING id, prefix`.execute(db);
  const k = r.rows[0];
  return k ? { id: int(k.id), prefix: k.prefix } : undefined;
}

export async function apiKeysOf(db: Db, hospitalId: number): Promise<ApiKeyRow[]> {
  const r = await sql<Record<string, unknown>>`
    SELECT id, hospital_id, prefix, label, created_by, created_at, last_used_at, revoked_at, valid_until
    FROM hospital_api_key WHERE hospital_id = ${hospitalId} ORDER BY id DESC`.execute(db);
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
    validUntil: ts(x['valid_until']),
  }));
}

/** The live key of an active hospital with this hash (a replaced key kept by its rotation, before its deadline). */
export async function liveApiKey(
  db: Db,
  keyHash: string,
  at: Date,
): Promise<{ id: number; hospitalId: number; prefix: string; region: string; keptOld: boolean } | undefined> {
  const r = await sql<{
    id: unknown;
    hospital_id: unknown;
    prefix: string;
    region: string;
    kept_old: boolean;
  }>`
    SELECT k.id, k.hospital_id, k.prefix, h.region,
      EXISTS (SELECT 1 FROM hospital_api_key o WHERE o.replaced_by = k.id AND o.revoked_at IS NULL) AS kept_old
    FROM hospital_api_key k JOIN hospital h ON h.id = k.hospital_id
    WHERE k.key_hash = ${keyHash} AND k.revoked_at IS NULL AND h.active
      AND (k.valid_until IS NULL OR k.valid_until > ${at.toISOString()})`.execute(db);
  const k = r.rows[0];
  return k
    ? {
        id: int(k.id),
        hospitalId: int(k.hospital_id),
        prefix: k.prefix,
        region: k.region,
        keptOld: k.kept_old,
      }
    : undefined;
}

/** Marks the key used, at most once a minute (no write on every call). */
export async function touchApiKey(db: Db, keyId: number, at: Date): Promise<void> {
  await sql`UPDATE hospital_api_key SET last_used_at = ${at.toISOString()} WHERE id = ${keyId}
    AND (last_used_at IS NULL OR last_used_at < ${new Date(at.getTime() - 60_000).toISOString()})`.execute(
    db,
  );
}

// ---------- bills ----------

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

export const billById = (db: Db, id: number): Promise<BillView | null> => readBill(db, sql`b.id = ${id}`);

/** A hospital's bill by its own bill number, with the hash of the request that recorded it. */
export async function billByNumber(
  db: Db,
  hospitalId: number,
  billNo: string,
): Promise<{ bill: BillView; requestHash: string | undefined } | null> {
  const bill = await readBill(db, sql`b.hospital_id = ${hospitalId} AND b.bill_no = ${billNo}`);
  if (!bill) return null;
  const h = await sql<{
    request_hash: string;
  }>`SELECT request_hash FROM hospital_bill WHERE id = ${bill.id}`.execute(db);
  return { bill, requestHash: h.rows[0]?.request_hash };
}

/** A case as a bill names it: found only when the case belongs to the ID number. */
export async function caseOfPatient(db: Db, caseId: number, idNumber: string) {
  return (
    await sql<{
      id: unknown;
      person_id: unknown;
      status: string;
      accident_date: string;
      region_code: string;
    }>`
      SELECT c.id, c.person_id, c.status, c.accident_date, c.region_code
      FROM injury_case c JOIN person p ON p.id = c.person_id
      WHERE c.id = ${caseId} AND p.id_number = ${idNumber}`.execute(db)
  ).rows[0];
}

/** Whether a live filing of the case at the hospital covers the admission date. */
export async function filedOn(
  db: Db,
  caseId: number,
  hospitalId: number,
  admissionDate: string,
): Promise<boolean> {
  const n =
    (
      await sql<{ n: unknown }>`
        SELECT count(*) AS n FROM injury_treatment_filing
        WHERE case_id = ${caseId} AND hospital_id = ${hospitalId} AND revoked_at IS NULL
          AND valid_from <= ${admissionDate} AND (valid_to IS NULL OR valid_to >= ${admissionDate})`.execute(
        db,
      )
    ).rows.map((x) => int(x.n))[0] ?? 0;
  return n > 0;
}

/** The bill as checked and its lines (one set-based insert); answers the bill's id. */
export async function insertBill(
  tx: Db,
  b: {
    hospitalId: number;
    billNo: string;
    requestHash: string;
    caseId: number;
    personId: number;
    region: string;
    admissionDate: string;
    dischargeDate: string | null;
    catalogueVersion: string;
    submittedBy: string;
    submittedOn: string;
  },
  result: BillCheckResult,
  input: readonly BillItemInput[],
): Promise<number> {
  const ins = await sql<{ id: unknown }>`
    INSERT INTO hospital_bill (hospital_id, bill_no, request_hash, case_id, person_id, region, admission_date,
      discharge_date, status, reason, reason_zh, reason_en, claimed_fen, accepted_fen, catalogue_version,
      submitted_by, submitted_on)
    VALUES (${b.hospitalId}, ${b.billNo}, ${b.requestHash}, ${b.caseId}, ${b.personId}, ${b.region},
      ${b.admissionDate}, ${b.dischargeDate}, ${result.status}, ${result.billReason},
      ${result.billReasonZh}, ${result.billReasonEn}, ${result.claimedFen}, ${result.acceptedFen},
      ${b.catalogueVersion}, ${b.submittedBy}, ${b.submittedOn})
    RETURNING id`.execute(tx);
  const billId = int(ins.rows[0]?.id);
  const its = result.items;
  await sql`
    INSERT INTO hospital_bill_item (bill_id, line_no, code, name_zh, service_date, quantity, unit_price_fen,
      claimed_fen, accepted_fen, reason, reason_zh, reason_en)
    SELECT ${billId}, * FROM unnest(
      ${its.map((x) => x.lineNo)}::int[], ${its.map((x) => x.code)}::text[], ${its.map((x) => x.nameZh)}::text[],
      ${input.map((x) => x.serviceDate)}::date[], ${input.map((x) => x.quantity)}::int[],
      ${input.map((x) => x.unitPriceFen)}::bigint[], ${its.map((x) => x.claimedFen)}::bigint[],
      ${its.map((x) => x.acceptedFen)}::bigint[], ${its.map((x) => x.reason)}::text[],
      ${its.map((x) => x.reasonZh)}::text[], ${its.map((x) => x.reasonEn)}::text[])`.execute(tx);
  return billId;
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

/** Bills newest first: one hospital's, a region's, or every bill; by status, or those not yet settled. */
export async function listBills(
  db: Db,
  scope: { hospitalId: number } | { region: string } | 'all',
  q: { status?: string | undefined; unsettled?: boolean | undefined; limit: number },
): Promise<{ items: BillListRow[]; total: number }> {
  const within =
    scope === 'all'
      ? sql`true`
      : 'hospitalId' in scope
        ? sql`b.hospital_id = ${scope.hospitalId}`
        : regionCoversSql(sql.ref('b.region'), scope.region);
  const where = sql`${within} ${q.status === undefined ? sql`` : sql`AND b.status = ${q.status}`}
    ${q.unsettled === true ? sql`AND b.settlement_run_id IS NULL AND b.accepted_fen > 0` : sql``}`;
  const r = await sql<Record<string, unknown>>`
    SELECT b.id, b.hospital_id, b.person_id, h.name AS hospital_name, b.bill_no, b.case_id, b.region, b.status, b.claimed_fen,
      b.accepted_fen, b.submitted_on, r.period AS settlement_period, count(*) OVER () AS total
    FROM hospital_bill b JOIN hospital h ON h.id = b.hospital_id
    LEFT JOIN hospital_settlement_run r ON r.id = b.settlement_run_id
    WHERE ${where} ORDER BY b.id DESC LIMIT ${q.limit}`.execute(db);
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

// ---------- cross-province filings (异地就医备案) ----------

/** The case a filing hangs on (its person and region decide who may see it). */
export async function filingCase(db: Db, caseId: number) {
  return (
    await sql<{
      id: unknown;
      person_id: unknown;
      region_code: string;
      status: string;
      accident_date: string;
    }>`
      SELECT id, person_id, region_code, status, accident_date::text AS accident_date
      FROM injury_case WHERE id = ${caseId}`.execute(db)
  ).rows[0];
}

export async function insertFiling(
  tx: Db,
  f: {
    caseId: number;
    hospitalId: number;
    validFrom: string;
    validTo: string | null;
    reason: string;
    filedBy: string;
  },
): Promise<number> {
  const r = await sql<{ id: unknown }>`
    INSERT INTO injury_treatment_filing (case_id, hospital_id, valid_from, valid_to, reason, filed_by)
    VALUES (${f.caseId}, ${f.hospitalId}, ${f.validFrom}, ${f.validTo}, ${f.reason}, ${f.filedBy})
    RETURNING id`.execute(tx);
  return int(r.rows[0]?.id);
}

/** The case's live filings, oldest first, with the hospital's name and region. */
export async function filingsOf(db: Db, caseId: number) {
  const r = await sql<Record<string, unknown>>`
    SELECT f.id, f.case_id, f.hospital_id, h.name, h.region, f.valid_from, f.valid_to, f.reason, f.filed_by
    FROM injury_treatment_filing f JOIN hospital h ON h.id = f.hospital_id
    WHERE f.case_id = ${caseId} AND f.revoked_at IS NULL ORDER BY f.id`.execute(db);
  return r.rows.map((x) => ({
    id: int(x['id']),
    caseId: int(x['case_id']),
    hospitalId: int(x['hospital_id']),
    hospitalName: String(x['name']),
    hospitalRegion: String(x['region']),
    validFrom: String(x['valid_from']),
    validTo: typeof x['valid_to'] === 'string' ? x['valid_to'] : null,
    reason: String(x['reason']),
    filedBy: String(x['filed_by']),
  }));
}
