// The place of payment gathers the records at retirement (国办发〔2009〕66号 Art. 6; domain-2.md §1.4):
// a province where the person applies asks the national exchange to decide the place of payment
// with `pension-payment-place` from its index's view of every province's segments (`payment.place`).
// If this province is the place, it opens one transfer in from every other province holding a
// segment (they send their segments and funds on the transfer's messages, temporary accounts at their
// rates); if another province is, the applicant is told where to apply. The collection is complete
// when every transfer it opened is.
import { noteText, readNote, type Note } from '../core/bilingual.ts';
import type { Actor } from '../auth/actor.ts';
import { systemActor } from '../auth/actor.ts';
import { authorize, foundInScope } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import { regionName } from '../core/regions.ts';
import { cleanForeignText } from '../core/text.ts';
import type { ParamStore } from '../core/params.ts';
import { calendarFrom, type HolidayCalendar } from '../core/working-days.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { enqueue, idHash, NATIONAL, type Handler } from './fed.messaging.ts';
import {
  collectionById,
  collectionByRefForUpdate,
  collectionCaseStatus as caseStatus,
  collectionListed,
  collectionsOfPerson,
  collectionsPage,
  collectionTallyForUpdate,
  completeCollection,
  insertCollectedTransfer,
  insertCollection,
  markCameThrough,
  movedOnParts,
  openCollection,
  recordPlacement,
  transfersOfCollections,
  type CollectionRow,
  type CollectionStatus,
  type PaymentPlacedBody,
} from './transfer-collect.repository.ts';
import { recordStep, transferCaseStatus } from './transfer.repository.ts';
import { TRANSFER_STEP_LIMITS } from './transfer.rules.ts';
import { applicant, stillToAsk } from './transfer-support.ts';

export type { CollectionStatus, PaymentPlacedBody } from './transfer-collect.repository.ts';

/** The clerk's list: rows a page unless the caller asks for fewer or more (at most 200). */
export const COLLECTION_PAGE = 50;

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
        const c = await collectionByRefForUpdate(tx, String(b.ref));
        if (!c || c.status !== 'requested') return;
        const id = int(c.id);
        const personId = int(c.person_id);
        if (b.place !== self) {
          await recordPlacement(tx, id, 'elsewhere', b);
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
        await recordPlacement(tx, id, 'gathering', b);
        for (const province of from) {
          const ref = crypto.randomUUID();
          const tid = await insertCollectedTransfer(tx, {
            ref,
            idHash: idHash(c.id_number),
            personId,
            from: province,
            self,
            appliedBy: c.applied_by,
            collectionId: id,
          });
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
    const c = await collectionTallyForUpdate(tx, collectionId);
    if (!c || c.status !== 'gathering' || int(c.pending) > 0) return;
    await completeCollection(tx, collectionId);
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
    const parts = await movedOnParts(tx, collectionId);
    for (const p of parts) {
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
      await markCameThrough(tx, id, { note, via, months });
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
      const open = await openCollection(tx, person.id);
      if (open !== undefined)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: `已有办理中的归集申请 ${open}`,
          en: `collection ${open} is in progress`,
        });
      const ref = crypto.randomUUID();
      const id = await insertCollection(tx, { ref, personId: person.id, appliedBy: actor.username });
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
    // A clerk lists the collections of the people of their region.
    const region = scope === 'region' ? actor.region : null;
    const limit = q.limit ?? COLLECTION_PAGE;
    const below = q.cursor === undefined ? null : await this.cursorId(q.cursor, region);
    const rows = await collectionsPage(this.db, { region, below, limit: limit + 1 });
    const items = rows.slice(0, limit).map((c) => ({
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
    return { items, next: rows.length > limit && last ? String(last.id) : null };
  }

  /** The id a cursor names, if it is a collection the caller's list (of `region`, all when null) holds; else a 400. */
  private async cursorId(cursor: string, region: string | null): Promise<number> {
    const invalid = new SbError('SB_ERR_INVALID_CURSOR', { field: 'cursor' });
    if (!/^[1-9][0-9]{0,14}$/.test(cursor)) throw invalid;
    const id = Number(cursor);
    if (!(await collectionListed(this.db, id, region))) throw invalid;
    return id;
  }

  async get(actor: Actor, id: number) {
    // another person's or region's collection answers as an unknown id, neither repeating it
    const c = foundInScope(actor, 'transfer.read', await collectionById(this.db, id), (x) => ({
      personId: int(x.person_id),
      region: x.region,
    }));
    const shaped = (await this.shape([c]))[0];
    if (!shaped) throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
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
    return this.shape(await collectionsOfPerson(this.db, actor.personId));
  }

  /** The decision and the transfers of each collection (one query for all their transfers). */
  private async shape(rows: Array<CollectionRow & { applied_on: string }>) {
    const ids = rows.map((c) => int(c.id));
    const transfers = await transfersOfCollections(this.db, ids);
    const n = (v: unknown) => (v === null || v === undefined ? null : int(v));
    return rows.map((c) => ({
      id: int(c.id),
      appliedOn: c.applied_on,
      status: c.status,
      place: c.place?.trim() ?? null,
      rule: c.rule === null ? null : Number(c.rule),
      reason: c.decision?.reason ?? null,
      segments: (c.decision?.segments ?? []).map((s) => ({ province: s.province, months: s.months })),
      transfers: transfers
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
