// The place of payment gathers the records at retirement (国办发〔2009〕66号 Art. 6; domain-2.md §1.4):
// a province where the person applies asks the national exchange to decide the place of payment
// with `pension-payment-place` from its index's view of every province's segments (`payment.place`).
// If this province is the place, it opens one transfer in from every other province holding a
// segment (they send their segments and funds on the transfer's messages, temporary accounts at their
// rates); if another province is, the applicant is told where to apply. The collection is complete
// when every transfer it opened is.
import { noteText, readNote, type Note } from '../core/bilingual.ts';
import { sql, type RawBuilder } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { systemActor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import { regionName } from '../core/regions.ts';
import { cleanForeignText } from '../core/text.ts';
import type { ParamStore } from '../core/params.ts';
import { calendarFrom, type HolidayCalendar } from '../core/working-days.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import { int, monthsFromTo } from '../db/values.ts';
import { enqueue, idHash, NATIONAL, type Handler } from './fed.messaging.ts';
import { noteJson, recordStep, transferCaseStatus } from './transfer.repository.ts';
import { TRANSFER_STEP_LIMITS } from './transfer.rules.ts';
import { applicant, stillToAsk } from './transfer-support.ts';

export type CollectionStatus = 'requested' | 'gathering' | 'elsewhere' | 'completed';

/** The exchange's decision (`payment.placed`). */
export interface PaymentPlacedBody {
  ref: string;
  place: string;
  rule: number;
  reason: string;
  /** Each province's months in the index and its last month there (a second stint shows as a later one). */
  segments: Array<{ province: string; months: number; lastPeriod?: string | null }>;
  collectTemporary: string[];
}

interface CollectionRow {
  id: unknown;
  ref: string;
  person_id: unknown;
  status: CollectionStatus;
  place: string | null;
  rule: number | null;
  decision: PaymentPlacedBody | null;
  applied_by: string;
}

const SERVICE_REF = (id: number) => `fed_collection:${id}`;

/** The clerk's list: rows a page unless the caller asks for fewer or more (at most 200). */
export const COLLECTION_PAGE = 50;

async function caseStatus(
  tx: Db,
  id: number,
  personId: number,
  status: 'submitted' | 'accepted' | 'completed' | 'rejected',
  actor: string,
  region: string,
  note: Note,
) {
  await tx
    .insertInto('outbox')
    .values({
      topic: 'case.status',
      payload: JSON.stringify({
        service: 'pension-transfer',
        ref: SERVICE_REF(id),
        personId,
        status,
        actor,
        note,
        regionCode: region.trim(),
        // The citizen's transfers page shows their collections (mine) and the transfers they opened.
        citizenPath: '/citizen/transfers',
      }),
    })
    .execute();
}

export class CollectionService {
  /** The messages of a collection a province takes in. */
  static handlers(self: string, params: ParamStore): Record<string, Handler> {
    const actor = systemActor(`federation:${self}`);
    const cal: HolidayCalendar = calendarFrom(params);
    return {
      'payment.placed': async (tx, env) => {
        if (env.from !== NATIONAL) return;
        const sent = env.body as PaymentPlacedBody;
        // The exchange's reason is shown to the clerk.
        const b = typeof sent.reason === 'string' ? { ...sent, reason: cleanForeignText(sent.reason) } : sent;
        const r = await sql<CollectionRow & { region: string; id_number: string }>`
          SELECT c.*, p.region, p.id_number FROM fed_collection c JOIN person p ON p.id = c.person_id
          WHERE c.ref = ${String(b.ref)} FOR UPDATE OF c`.execute(tx);
        const c = r.rows[0];
        if (!c || c.status !== 'requested') return;
        const id = int(c.id);
        const personId = int(c.person_id);
        if (b.place !== self) {
          await sql`UPDATE fed_collection SET status = 'elsewhere', place = ${b.place}, rule = ${b.rule},
            decision = ${JSON.stringify(b)}::jsonb, updated_at = now() WHERE id = ${id}`.execute(tx);
          await caseStatus(tx, id, personId, 'rejected', actor.username, c.region, {
            zh: `待遇领取地为 ${b.place}（国办发〔2009〕66号 第六条第${b.rule}项），请向该省申请`,
            en: `the place of payment is ${b.place}`,
          });
          return;
        }
        // Each province still holding months not received here (transfer-support.ts stillToAsk).
        const stillThere = await stillToAsk(tx, personId, 'pension', ['requested', 'sent', 'credited']);
        const from = [
          ...new Set([
            ...b.segments.filter((s) => s.months > 0 && stillThere(s)).map((s) => s.province),
            ...b.collectTemporary.filter((p) => stillThere({ province: p })),
          ]),
        ].filter((p) => p !== self);
        const on = today();
        await sql`UPDATE fed_collection SET status = 'gathering', place = ${b.place}, rule = ${b.rule},
          decision = ${JSON.stringify(b)}::jsonb, updated_at = now() WHERE id = ${id}`.execute(tx);
        for (const province of from) {
          const ref = crypto.randomUUID();
          const ins = await sql<{ id: unknown }>`
            INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by, collection_id)
            VALUES (${ref}, 'in', 'pension', ${idHash(c.id_number)}, ${personId}, ${province}, ${self}, 'requested', ${c.applied_by}, ${id})
            RETURNING id`.execute(tx);
          const tid = int(ins.rows[0]?.id);
          for (const s of ['applied', 'located', 'letter-sent'] as const)
            await recordStep(tx, cal, tid, s, TRANSFER_STEP_LIMITS[s], s === 'located' ? NATIONAL : self, on);
          await enqueue(tx, province, 'transfer.request', {
            ref,
            idNumber: c.id_number,
            toProvince: self,
            appliedOn: on,
          });
        }
        await appendAudit(tx, actor, {
          action: 'transfer.collect',
          entityType: 'fed_collection',
          entityId: id,
          region: c.region,
          subjectPersonId: personId,
          before: { status: 'requested' },
          after: { status: 'gathering', place: b.place, rule: b.rule, from },
        });
        await caseStatus(
          tx,
          id,
          personId,
          'accepted',
          actor.username,
          c.region,
          from.length > 0
            ? {
                zh: `本省为待遇领取地（第六条第${b.rule}项），已向 ${from.join('、')} 发出联系函归集缴费记录和基金`,
                en: `the pension is paid in this province (Art. 6 item ${b.rule}); letters sent to ${from.join(', ')} to collect the records and funds`,
              }
            : {
                zh: `本省为待遇领取地（第六条第${b.rule}项），无需归集其他省份的记录`,
                en: `the pension is paid in this province (Art. 6 item ${b.rule}); no other province's records to collect`,
              },
        );
        if (from.length === 0) await new CollectionService(tx).settle(id, self);
      },
    };
  }

  constructor(private readonly db: Db) {}

  /** Completes a collection once every transfer it opened has completed or been refused (in the caller's transaction). */
  async settle(collectionId: number, self: string): Promise<void> {
    const tx = this.db;
    const r = await sql<{
      pending: unknown;
      person_id: unknown;
      region: string;
      status: string;
      months: unknown;
      fen: unknown;
    }>`
      SELECT (SELECT count(*) FROM fed_transfer WHERE collection_id = c.id AND status NOT IN ('completed', 'refused'))::bigint AS pending,
        (SELECT coalesce(sum(months), 0) FROM fed_transfer WHERE collection_id = c.id AND status = 'completed')::bigint AS months,
        (SELECT coalesce(sum(total_fen), 0) FROM fed_transfer WHERE collection_id = c.id AND status = 'completed')::bigint AS fen,
        c.person_id, p.region, c.status
      FROM fed_collection c JOIN person p ON p.id = c.person_id WHERE c.id = ${collectionId} FOR UPDATE OF c`.execute(
      tx,
    );
    const c = r.rows[0];
    if (!c || c.status !== 'gathering' || int(c.pending) > 0) return;
    await sql`UPDATE fed_collection SET status = 'completed', updated_at = now() WHERE id = ${collectionId}`.execute(
      tx,
    );
    await this.tellMovedOn(collectionId, int(c.person_id), c.region, self);
    await caseStatus(tx, collectionId, int(c.person_id), 'completed', `federation:${self}`, c.region, {
      zh: `各参保地的缴费记录和基金已归集到本省：${int(c.months)} 个月`,
      en: `the records and funds of every province are collected here: ${int(c.months)} months`,
    });
  }

  /**
   * The parts an old place refused because everything there had moved on (A → B): their months come
   * with a later place's transfer, carried on under their origin. Once the collection is complete the
   * hall shows each such part as it is — come through B with its months (recorded on the transfer,
   * audited) — or, if none of its months arrived here by any transfer, as refused. Only segments this
   * province itself booked from a completed transfer in count, so a refusal's words decide nothing.
   */
  private async tellMovedOn(
    collectionId: number,
    personId: number,
    region: string,
    self: string,
  ): Promise<void> {
    const tx = this.db;
    const parts = await sql<{
      id: unknown;
      from_province: string;
      note: unknown;
      via: string | null;
      months: unknown;
    }>`
      SELECT t.id, t.from_province, t.note, v.via, v.months FROM fed_transfer t
      LEFT JOIN LATERAL (
        SELECT min(i.from_province) AS via,
          sum(${monthsFromTo(sql`s.from_period`, sql`s.to_period`)} + 1)::bigint AS months
        FROM fed_credited_segment s JOIN fed_transfer i ON i.id = s.transfer_id
        WHERE s.person_id = t.person_id AND s.from_province = t.from_province
          AND i.direction = 'in' AND i.status = 'completed' AND i.from_province <> t.from_province
      ) v ON true
      WHERE t.collection_id = ${collectionId} AND t.status = 'refused' AND coalesce(t.funds ? 'movedOut', false)
      ORDER BY t.id`.execute(tx);
    for (const p of parts.rows) {
      const id = int(p.id);
      const from = p.from_province.trim();
      const t = { id, person_id: personId };
      if (p.via === null) {
        const said = readNote(p.note);
        const why = said === null ? { zh: '', en: '' } : noteText(said);
        await transferCaseStatus(tx, t, 'rejected', `federation:${self}`, region, {
          zh: `转出地不予转移：${why.zh}`,
          en: `the province of origin refused the transfer: ${why.en}`,
        });
        continue;
      }
      const via = p.via.trim();
      const months = int(p.months);
      const note: Note = {
        zh: `${regionName(from)}的缴费记录已随${regionName(via)}的转移一并转入（${from} → ${via} → ${self}，${months} 个月）`,
        en: `the months of ${regionName(from, 'en')} came through ${regionName(via, 'en')} (${months} months)`,
      };
      await sql`UPDATE fed_transfer SET note = ${noteJson(note)}::jsonb,
        funds = funds || jsonb_build_object('cameThrough', ${via}::text, 'cameThroughMonths', ${months}::int),
        updated_at = now() WHERE id = ${id}`.execute(tx);
      await appendAudit(tx, systemActor(`federation:${self}`), {
        action: 'transfer.came-through',
        entityType: 'fed_transfer',
        entityId: id,
        region,
        subjectPersonId: personId,
        before: { status: 'refused', note: p.note },
        after: { status: 'refused', cameThrough: via, months },
      });
      await transferCaseStatus(tx, t, 'completed', `federation:${self}`, region, note);
    }
  }

  /** At retirement: ask the exchange where the pension is paid; gather the records here if it is here. */
  async apply(actor: Actor, input: { idNumber?: string; personId?: number }) {
    return this.db.transaction().execute(async (tx) => {
      const person = await applicant(tx, actor, input);
      const open = await sql<{ id: unknown }>`
        SELECT id FROM fed_collection WHERE person_id = ${person.id} AND status IN ('requested', 'gathering') LIMIT 1`.execute(
        tx,
      );
      if (open.rows.length > 0)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: `已有办理中的归集申请 ${int(open.rows[0]?.id)}`,
          en: `collection ${int(open.rows[0]?.id)} is in progress`,
        });
      const ref = crypto.randomUUID();
      const ins = await sql<{ id: unknown }>`
        INSERT INTO fed_collection (ref, person_id, status, applied_by) VALUES (${ref}, ${person.id}, 'requested', ${actor.username})
        RETURNING id`.execute(tx);
      const id = int(ins.rows[0]?.id);
      await enqueue(tx, NATIONAL, 'payment.place', {
        ref,
        idHash: idHash(person.id_number),
        hukou: `${person.hukou_region.slice(0, 2)}0000`,
      });
      await caseStatus(tx, id, Number(person.id), 'submitted', actor.username, person.region, {
        zh: '待遇领取地确认申请已受理，正在经全国平台确定待遇领取地',
        en: 'accepted; the national platform is deciding where the pension is paid',
      });
      await appendAudit(tx, actor, {
        action: 'transfer.collect',
        entityType: 'fed_collection',
        entityId: id,
        region: person.region,
        subjectPersonId: Number(person.id),
        after: { ref, status: 'requested' },
      });
      return { id, status: 'requested' as CollectionStatus };
    });
  }

  /**
   * The collections of the clerk's region, newest first, a page at a time, with how many of the
   * transfers each opened are complete. Staff only: a citizen reads their own with `mine`.
   * Keyset paging on the id (ids rise with time): `next` is the last id of a full page and the next
   * page starts below it, so no row is skipped or shown twice while new ones arrive, and no page scans
   * the ones before it. A cursor must name a collection this caller could list; anything else is
   * refused without repeating it.
   */
  async list(actor: Actor, q: { cursor?: string; limit?: number } = {}) {
    const scope = authorize(actor, 'transfer.read');
    if (scope !== 'region' && scope !== 'any')
      throw new SbError('SB_ERR_FORBIDDEN', { zh: 'transfer.read', en: 'transfer.read' });
    if (scope === 'region' && actor.region === null)
      throw new SbError('SB_ERR_OUT_OF_SCOPE', { zh: 'transfer.read', en: 'transfer.read' });
    const where =
      scope === 'region' && actor.region !== null
        ? regionCoversSql(sql`p.region`, actor.region)
        : sql<boolean>`true`;
    const limit = q.limit ?? COLLECTION_PAGE;
    const below = q.cursor === undefined ? null : await this.cursorId(q.cursor, where);
    const r = await sql<{
      id: unknown;
      person_id: unknown;
      name: string;
      status: CollectionStatus;
      place: string | null;
      rule: number | null;
      applied_on: string;
      transfers: unknown;
      completed: unknown;
    }>`
      SELECT c.id, c.person_id, p.name, c.status, c.place, c.rule,
        to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS applied_on,
        (SELECT count(*) FROM fed_transfer t WHERE t.collection_id = c.id)::bigint AS transfers,
        (SELECT count(*) FROM fed_transfer t WHERE t.collection_id = c.id AND t.status = 'completed')::bigint AS completed
      FROM fed_collection c JOIN person p ON p.id = c.person_id
      WHERE ${where} AND (${below}::bigint IS NULL OR c.id < ${below})
      ORDER BY c.id DESC LIMIT ${limit + 1}`.execute(this.db);
    const items = r.rows.slice(0, limit).map((c) => ({
      id: int(c.id),
      personId: int(c.person_id),
      name: c.name,
      status: c.status,
      place: c.place?.trim() ?? null,
      rule: c.rule === null ? null : Number(c.rule),
      appliedOn: c.applied_on,
      transfers: int(c.transfers),
      completed: int(c.completed),
    }));
    const last = items.at(-1);
    return { items, next: r.rows.length > limit && last ? String(last.id) : null };
  }

  /** The id a cursor names, if it is a collection the caller's list holds (`where`); else a 400. */
  private async cursorId(cursor: string, where: RawBuilder<boolean>): Promise<number> {
    const invalid = new SbError('SB_ERR_INVALID_CURSOR', { field: 'cursor' });
    if (!/^[1-9][0-9]{0,14}$/.test(cursor)) throw invalid;
    const id = Number(cursor);
    const r = await sql<{ id: unknown }>`
      SELECT c.id FROM fed_collection c JOIN person p ON p.id = c.person_id
      WHERE c.id = ${id} AND ${where}`.execute(this.db);
    if (r.rows.length === 0) throw invalid;
    return id;
  }

  async get(actor: Actor, id: number) {
    const r = await sql<CollectionRow & { region: string; name: string; applied_on: string }>`
      SELECT c.*, p.region, p.name, to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS applied_on
      FROM fed_collection c JOIN person p ON p.id = c.person_id WHERE c.id = ${id}`.execute(this.db);
    const c = r.rows[0];
    if (!c) throw new SbError('SB_ERR_NOT_FOUND', { zh: `归集申请 ${id}`, en: `collection ${id}` });
    authorize(actor, 'transfer.read', { personId: int(c.person_id), region: c.region });
    const shaped = (await this.shape([c]))[0];
    if (!shaped) throw new SbError('SB_ERR_NOT_FOUND', { zh: `归集申请 ${id}`, en: `collection ${id}` });
    return { ...shaped, ref: c.ref, personId: int(c.person_id), name: c.name };
  }

  /**
   * The insured person's own collections, newest first: the person is the session's, never one the
   * caller names. Staff read a person's by the clerk's list and `get`.
   */
  async mine(actor: Actor) {
    const scope = authorize(actor, 'transfer.read');
    if (scope !== 'own-person' || actor.personId === null)
      throw new SbError('SB_ERR_FORBIDDEN', {
        zh: '仅参保人本人可查看',
        en: 'only the insured person reads their own',
      });
    const r = await sql<CollectionRow & { applied_on: string }>`
      SELECT c.*, to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS applied_on
      FROM fed_collection c WHERE c.person_id = ${actor.personId} ORDER BY c.id DESC LIMIT 20`.execute(
      this.db,
    );
    return this.shape(r.rows);
  }

  /** The decision and the transfers of each collection (one query for all their transfers). */
  private async shape(rows: Array<CollectionRow & { applied_on: string }>) {
    const ids = rows.map((c) => int(c.id));
    const transfers = await sql<{
      id: unknown;
      collection_id: unknown;
      from_province: string | null;
      status: string;
      months: unknown;
      total_fen: unknown;
      came_through: string | null;
    }>`SELECT id, collection_id, from_province, status, months, total_fen, funds ->> 'cameThrough' AS came_through
      FROM fed_transfer WHERE collection_id = ANY(${`{${ids.join(',')}}`}::bigint[]) ORDER BY id`.execute(
      this.db,
    );
    const n = (v: unknown) => (v === null || v === undefined ? null : int(v));
    return rows.map((c) => ({
      id: int(c.id),
      appliedOn: c.applied_on,
      status: c.status,
      place: c.place?.trim() ?? null,
      rule: c.rule === null ? null : Number(c.rule),
      reason: c.decision?.reason ?? null,
      segments: (c.decision?.segments ?? []).map((s) => ({ province: s.province, months: s.months })),
      transfers: transfers.rows
        .filter((t) => int(t.collection_id) === int(c.id))
        .map((t) => ({
          id: int(t.id),
          fromProvince: t.from_province?.trim() ?? null,
          status: t.status,
          months: n(t.months),
          totalFen: n(t.total_fen),
          /** a part refused because it had moved on: the province whose transfer brought its months */
          cameThrough: t.came_through,
        })),
    }));
  }
}
