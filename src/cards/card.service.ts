// Use cases of the card register (社会保障卡): the holder's cards and history, application (by the
// person, by an employer for its staff in a batch), production, issue, activation, temporary and
// formal loss, unblocking, reissue with a new card number, cancellation at death (from the registry's
// person.died event), the e-card QR token, the revocation snapshot and terminal use records.
// Every state change writes a card_event (the holder's history) and an audit entry, in one transaction.
import { sql } from 'kysely';
import type { CardStep } from './cards.audit-actions.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { auditStaffReads } from '../audit/staff-read.ts';
import { maskIdNumber } from '../core/ids.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, type Action } from '../auth/policy.ts';
import { now, today } from '../core/clock.ts';
import { dayNumber, fromDayNumber } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { idNumberQuery, maskBankAccount } from '../registry/person.rules.ts';
import { PersonService } from '../registry/person.service.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import {
  CARD_BANK_REASON,
  normalizeCardBankAccount,
  CARD_STATUS_TEXT,
  LIVE_STATUSES,
  REVOKED_STATUSES,
  TEMPORARY_LOSS_DAYS_DEFAULT,
  nextStatus,
  type CardTransition,
} from './card.rules.ts';
import type { CardStatus, TerminalKind } from './card.tables.ts';
import { EcardKeyService } from './ecard-key.service.ts';
import type { RevocationSnapshot } from './ecard-verifier.ts';

/**
 * The register's search: the holder's whole ID number (check character validated), or its last four
 * characters together with the holder's whole name, or the card number (9 digits).
 */
function cardSearch(input: { idNumber?: string; name?: string; cardNo?: string }): {
  idNumber?: string;
  last4?: { last4: string; name: string };
  cardNo?: string;
  filter: Record<string, string> | null;
} {
  const out: ReturnType<typeof cardSearch> = { filter: null };
  const filter: Record<string, string> = {};
  const name = input.name?.trim() ?? '';
  if (input.cardNo !== undefined && input.cardNo.trim() !== '') {
    const c = input.cardNo.trim();
    if (!/^[0-9]{9}$/.test(c))
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'cardNo',
        zh: '社保卡卡号应为9位数字',
        en: 'the card number has 9 digits',
      });
    out.cardNo = c;
    filter.cardNo = c;
  }
  if (input.idNumber !== undefined && input.idNumber.trim() !== '') {
    const q = idNumberQuery(input.idNumber, name);
    if ('exact' in q) {
      out.idNumber = q.exact;
      filter.idNumber = maskIdNumber(q.exact);
    } else {
      out.last4 = q;
      filter.idNumber = `**************${q.last4}`;
      filter.name = name;
    }
  } else if (name !== '')
    throw new SbError('SB_ERR_PARTIAL_ID_NUMBER', {
      field: 'idNumber',
      zh: '按姓名查询须同时输入身份证号码后四位',
      en: 'a name goes with the last four characters of the ID number',
    });
  if (Object.keys(filter).length > 0) out.filter = filter;
  return out;
}

export interface CardView {
  id: number;
  personId: number;
  region: string;
  cardNo: string;
  status: CardStatus;
  appliedVia: string;
  appliedAt: string;
  statusChangedAt: string;
  lossUntil: string | null;
  replacesCardId: number | null;
  /** 社保卡金融功能: the bank and the account, masked (last 4 digits) in every answer. */
  bankName: string | null;
  bankAccount: string | null;
}

export interface CardEventView {
  id: number;
  fromStatus: CardStatus | null;
  toStatus: CardStatus;
  kind: string;
  note: string | null;
  actor: string;
  at: string;
}

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

type CardRow = {
  id: number;
  person_id: number;
  region: string;
  card_no: string;
  card_ref: string;
  status: CardStatus;
  applied_via: string;
  applied_at: string;
  status_changed_at: string;
  loss_until: string | null;
  replaces_card_id: number | null;
  bank_name: string | null;
  bank_account: string | null;
};

function view(r: CardRow): CardView {
  return {
    id: Number(r.id),
    personId: Number(r.person_id),
    region: r.region,
    cardNo: r.card_no,
    status: r.status,
    appliedVia: r.applied_via,
    appliedAt: iso(r.applied_at),
    statusChangedAt: iso(r.status_changed_at),
    lossUntil: r.loss_until,
    replacesCardId: r.replaces_card_id === null ? null : Number(r.replaces_card_id),
    bankName: r.bank_name,
    bankAccount: maskBankAccount(r.bank_account),
  };
}

const CARD_COLUMNS = [
  'id',
  'person_id',
  'region',
  'card_no',
  'card_ref',
  'status',
  'applied_via',
  'applied_at',
  'status_changed_at',
  'loss_until',
  'replaces_card_id',
  'bank_name',
  'bank_account',
] as const;

/** No such card, or another's: the same answer, which does not repeat the number asked for. */
const notFound = (): SbError => new SbError('SB_ERR_NOT_FOUND', { field: 'id', zh: '社保卡', en: 'card' });

/** New card number (9 digits, from a sequence), card reference and chip id, as SQL expressions. */
const NEW_CARD_NO = sql<string>`lpad(nextval('card_no_seq')::text, 9, '0')`;
const NEW_HEX32 = sql<string>`replace(gen_random_uuid()::text, '-', '')`;

export class CardService {
  /** `params` gives the regional temporary-loss validity; without it the default (7 days) applies. */
  constructor(
    private readonly db: Db,
    private readonly params?: ParamStore,
  ) {}

  /** Loads a card for `action`: a citizen sees only their own (another's answers as unknown, 404). */
  private async cardFor(tx: Db, actor: Actor, action: Action, id: number, lock = false): Promise<CardRow> {
    let q = tx.selectFrom('card').select(CARD_COLUMNS).where('id', '=', id);
    if (lock) q = q.forUpdate();
    const row = (await q.executeTakeFirst()) as CardRow | undefined;
    if (!row) throw notFound();
    if (actor.role === 'citizen' && actor.personId !== Number(row.person_id)) throw notFound();
    authorize(actor, action, { personId: Number(row.person_id), region: row.region });
    return row;
  }

  private async record(
    tx: Db,
    actor: Actor,
    card: { id: number; person_id: number; region: string },
    from: CardStatus | null,
    to: CardStatus,
    kind: CardStep,
    note: string | null,
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    await tx
      .insertInto('card_event')
      .values({ card_id: card.id, from_status: from, to_status: to, kind, note, actor: actor.username })
      .execute();
    await appendAudit(tx, actor, {
      action: `card.${kind}`,
      entityType: 'card',
      entityId: card.id,
      region: card.region,
      subjectPersonId: Number(card.person_id),
      before: from === null ? null : { status: from },
      after: { status: to, ...extra },
      reason: note,
    });
    // The online hall tells the holder their card is blocked (挂失: temporary or formal).
    if ((to === 'temp_lost' || to === 'lost') && from !== to)
      await tx
        .insertInto('outbox')
        .values({
          topic: 'card.blocked',
          payload: JSON.stringify({
            personId: Number(card.person_id),
            cardId: card.id,
            status: to,
            region: card.region,
            lossUntil: typeof extra['loss_until'] === 'string' ? extra['loss_until'] : null,
          }),
        })
        .execute();
  }

  private async transition(
    actor: Actor,
    action: Action,
    id: number,
    t: Extract<CardTransition, CardStep>,
    note: string | null,
    set: { loss_until?: string | null } = {},
    then?: (tx: Db, row: CardRow) => Promise<void>,
  ): Promise<CardView> {
    return this.db.transaction().execute(async (tx) => {
      const card = await this.cardFor(tx, actor, action, id, true);
      const to = nextStatus(card.status, t);
      if (to === null)
        throw new SbError('SB_ERR_CONFLICT', {
          field: 'status',
          zh: `社保卡当前状态（${CARD_STATUS_TEXT[card.status].zh}）不能办理此业务`,
          en: `the card is ${CARD_STATUS_TEXT[card.status].en}: ${t} is not possible`,
        });
      const row = (await tx
        .updateTable('card')
        .set({ status: to, status_changed_at: now().toISOString(), ...set })
        .where('id', '=', id)
        .returning(CARD_COLUMNS)
        .executeTakeFirstOrThrow()) as CardRow;
      await this.record(tx, actor, card, card.status, to, t, note, set);
      if (then) await then(tx, row);
      return view(row);
    });
  }

  /** The holder's own cards, newest first, paginated. */
  async listOwn(actor: Actor, page = 1, pageSize = 20) {
    authorize(actor, 'card.read', { personId: actor.personId ?? -1 });
    if (actor.personId === null) throw new SbError('SB_ERR_FORBIDDEN');
    return this.listFor(this.db, actor.personId, page, pageSize);
  }

  /** A person's cards for staff (their region) or the person. */
  async listPerson(actor: Actor, personId: number, page = 1, pageSize = 20) {
    const p = await this.db
      .selectFrom('person')
      .select(['id', 'region'])
      .where('id', '=', personId)
      .executeTakeFirst();
    if (!p) throw new SbError('SB_ERR_NOT_FOUND', { field: 'id' });
    authorize(actor, 'card.read', { personId, region: p.region });
    return this.listFor(this.db, personId, page, pageSize);
  }

  private async listFor(db: Db, personId: number, page: number, pageSize: number) {
    const [rows, total] = await Promise.all([
      db
        .selectFrom('card')
        .select(CARD_COLUMNS)
        .where('person_id', '=', personId)
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      db
        .selectFrom('card')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('person_id', '=', personId)
        .executeTakeFirstOrThrow(),
    ]);
    return { items: (rows as CardRow[]).map(view), total: Number(total.n), page, pageSize };
  }

  /** The card register of the staff member's region (and sub-regions), by status, newest first. */
  async listRegion(
    actor: Actor,
    input: {
      region?: string;
      status?: CardStatus;
      idNumber?: string;
      name?: string;
      cardNo?: string;
      page: number;
      pageSize: number;
    },
  ) {
    const region = input.region ?? actor.region ?? '000000';
    authorize(actor, 'card.register', { region });
    const search = cardSearch(input);
    let q = this.db.selectFrom('card').where(regionCoversSql(sql.ref('card.region'), region));
    if (input.status !== undefined) q = q.where('status', '=', input.status);
    if (search.cardNo !== undefined) q = q.where('card.card_no', '=', search.cardNo);
    if (search.idNumber !== undefined) {
      const idNumber = search.idNumber;
      q = q.where('card.person_id', 'in', (eb) =>
        eb.selectFrom('person').select('person.id').where('person.id_number', '=', idNumber),
      );
    }
    if (search.last4 !== undefined) {
      const { last4, name } = search.last4;
      q = q.where('card.person_id', 'in', (eb) =>
        eb
          .selectFrom('person')
          .select('person.id')
          .where('person.name', '=', name)
          .where(sql<boolean>`right(person.id_number, 4) = ${last4}`),
      );
    }
    const [rows, total] = await Promise.all([
      q
        .select(CARD_COLUMNS)
        .orderBy('id', 'desc')
        .limit(input.pageSize)
        .offset((input.page - 1) * input.pageSize)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    // A search names people: every card it returns is a staff read of its holder, audited.
    if (search.filter !== null)
      await auditStaffReads(
        this.db,
        actor,
        (rows as CardRow[]).map((r) => ({
          action: 'card.search',
          personId: Number(r.person_id),
          region: r.region,
          entityType: 'card',
          entityId: Number(r.id),
          after: { filter: { region, ...search.filter } },
        })),
      );
    return {
      items: (rows as CardRow[]).map(view),
      total: Number(total.n),
      page: input.page,
      pageSize: input.pageSize,
    };
  }

  async history(actor: Actor, id: number): Promise<{ card: CardView; events: CardEventView[] }> {
    const card = await this.cardFor(this.db, actor, 'card.read', id);
    const events = await this.db
      .selectFrom('card_event')
      .selectAll()
      .where('card_id', '=', id)
      .orderBy('id', 'asc')
      .execute();
    return {
      card: view(card),
      events: events.map((e) => ({
        id: Number(e.id),
        fromStatus: e.from_status,
        toStatus: e.to_status,
        kind: e.kind,
        note: e.note,
        actor: e.actor,
        at: iso(e.at),
      })),
    };
  }

  /** 挂失: temporary (online, at once, default) or formal (permanent; reissue follows). */
  async reportLoss(actor: Actor, id: number, input: { kind?: 'temporary' | 'formal'; note?: string }) {
    if (input.kind === 'formal')
      return this.transition(actor, 'card.loss', id, 'formal-loss', input.note ?? null, { loss_until: null });
    const days = await this.temporaryLossDays(id);
    const until = fromDayNumber(dayNumber(today()) + days);
    return this.transition(actor, 'card.loss', id, 'temporary-loss', input.note ?? null, {
      loss_until: until,
    });
  }

  private async temporaryLossDays(id: number): Promise<number> {
    if (!this.params?.has('cards/temporary-loss-days')) return TEMPORARY_LOSS_DAYS_DEFAULT;
    const card = await this.db.selectFrom('card').select('region').where('id', '=', id).executeTakeFirst();
    if (!card) return TEMPORARY_LOSS_DAYS_DEFAULT;
    const r = this.params.tryResolve<number>('cards/temporary-loss-days', card.region, today());
    return typeof r?.value === 'number' ? r.value : TEMPORARY_LOSS_DAYS_DEFAULT;
  }

  /** 解挂: lifts a temporary loss (the holder found the card). */
  async unblock(actor: Actor, id: number) {
    return this.transition(actor, 'card.loss', id, 'unblock', null, { loss_until: null });
  }

  /**
   * 启用. An activated card's bank account becomes the person's account in the registry (the
   * payrolls pay there), in the same transaction, audited on the person with CARD_BANK_REASON.
   */
  async activate(actor: Actor, id: number) {
    return this.transition(actor, 'card.activate', id, 'activate', null, {}, async (tx, row) => {
      if (row.bank_account !== null)
        await new PersonService(tx).recordBankAccount(
          actor,
          Number(row.person_id),
          { bankName: row.bank_name, bankAccount: row.bank_account },
          CARD_BANK_REASON,
        );
    });
  }

  /**
   * 绑定金融账户: the card's bank and account (the holder for their own card, or a clerk). A card that
   * is already activated passes the account on to the person at once; a lost or cancelled one is 409.
   */
  async setBank(
    actor: Actor,
    id: number,
    input: { bankName: string; bankAccount: string },
  ): Promise<CardView> {
    const bankAccount = normalizeCardBankAccount(input.bankAccount);
    const bankName = input.bankName.trim();
    if (bankName.length < 1 || bankName.length > 100)
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'bankName',
        zh: '开户银行应为1至100个字符',
        en: 'the bank name has 1 to 100 characters',
      });
    return this.db.transaction().execute(async (tx) => {
      const card = await this.cardFor(tx, actor, 'card.apply', id, true);
      if (!LIVE_STATUSES.includes(card.status))
        throw new SbError('SB_ERR_CONFLICT', {
          field: 'status',
          zh: `社保卡当前状态（${CARD_STATUS_TEXT[card.status].zh}）不能绑定银行账户`,
          en: `the card is ${CARD_STATUS_TEXT[card.status].en}: no bank account can be bound to it`,
        });
      const row = (await tx
        .updateTable('card')
        .set({ bank_name: bankName, bank_account: bankAccount })
        .where('id', '=', id)
        .returning(CARD_COLUMNS)
        .executeTakeFirstOrThrow()) as CardRow;
      await tx
        .insertInto('card_event')
        .values({
          card_id: id,
          from_status: card.status,
          to_status: card.status,
          kind: 'bank',
          note: `${bankName} ${maskBankAccount(bankAccount)}`,
          actor: actor.username,
        })
        .execute();
      await appendAudit(tx, actor, {
        action: 'card.bank',
        entityType: 'card',
        entityId: id,
        region: card.region,
        subjectPersonId: Number(card.person_id),
        before: { bankName: card.bank_name, bankAccount: maskBankAccount(card.bank_account) },
        after: { bankName, bankAccount: maskBankAccount(bankAccount) },
        reason: null,
      });
      if (card.status === 'activated')
        await new PersonService(tx).recordBankAccount(
          actor,
          Number(card.person_id),
          { bankName, bankAccount },
          CARD_BANK_REASON,
        );
      return view(row);
    });
  }

  /** The agency's production steps: applied → produced → issued. */
  async advance(actor: Actor, id: number, step: 'produce' | 'issue') {
    return this.transition(actor, 'card.produce', id, step, null);
  }

  /**
   * Production batch (批量制卡、发卡): every `applied` card of the region (or of one employer batch)
   * becomes `produced`, or every `produced` one `issued` — one UPDATE … RETURNING, the card_event
   * rows from its result and one audit entry naming the cards, in one transaction. Repeating it
   * moves nothing (the cards are no longer in the starting state). A batch outside the clerk's
   * region is 404.
   */
  async advanceBatch(
    actor: Actor,
    input: { step: 'produce' | 'issue'; region?: string; batchId?: number },
  ): Promise<{ step: 'produce' | 'issue'; moved: number; cardIds: number[] }> {
    const region = input.region ?? actor.region ?? '000000';
    authorize(actor, 'card.produce', { region });
    const from: CardStatus = input.step === 'produce' ? 'applied' : 'produced';
    const to: CardStatus = input.step === 'produce' ? 'produced' : 'issued';
    return this.db.transaction().execute(async (tx) => {
      if (input.batchId !== undefined) {
        const b = await tx
          .selectFrom('card_batch')
          .select('id')
          .where('id', '=', input.batchId)
          .where(regionCoversSql(sql.ref('card_batch.region'), region))
          .executeTakeFirst();
        if (!b) throw new SbError('SB_ERR_NOT_FOUND', { field: 'batchId' });
      }
      const at = now().toISOString();
      const note = input.batchId === undefined ? `region ${region}` : `employer batch ${input.batchId}`;
      const moved = await sql<{ id: number }>`
        WITH moved AS (
          UPDATE card SET status = ${to}, status_changed_at = ${at}
          WHERE status = ${from} AND ${regionCoversSql(sql.ref('card.region'), region)}
            AND (${input.batchId === undefined}::boolean OR batch_id = ${input.batchId ?? null}::bigint)
          RETURNING id),
        ev AS (
          INSERT INTO card_event (card_id, from_status, to_status, kind, note, actor)
          SELECT id, ${from}, ${to}, ${input.step}, ${note}, ${actor.username} FROM moved)
        SELECT id FROM moved ORDER BY id`.execute(tx);
      const cardIds = moved.rows.map((r) => Number(r.id));
      if (cardIds.length > 0)
        await appendAudit(tx, actor, {
          action: `card.batch-${input.step}`,
          entityType: input.batchId === undefined ? 'region' : 'card_batch',
          entityId: input.batchId ?? region,
          region,
          before: { status: from },
          after: { status: to, moved: cardIds.length, cardIds },
          reason: note,
        });
      return { step: input.step, moved: cardIds.length, cardIds };
    });
  }

  /** 补卡: a formally lost card is replaced by a new card with a new number (and reference). */
  async reissue(actor: Actor, id: number, note?: string): Promise<CardView> {
    return this.db.transaction().execute(async (tx) => {
      const old = await this.cardFor(tx, actor, 'card.apply', id, true);
      if (old.status === 'temp_lost' || old.status === 'activated' || old.status === 'issued') {
        await tx
          .updateTable('card')
          .set({ status: 'lost', status_changed_at: now().toISOString(), loss_until: null })
          .where('id', '=', id)
          .execute();
        await this.record(tx, actor, old, old.status, 'lost', 'formal-loss', note ?? null);
      } else if (old.status !== 'lost')
        throw new SbError('SB_ERR_CONFLICT', {
          field: 'status',
          zh: `社保卡当前状态（${CARD_STATUS_TEXT[old.status].zh}）不能补卡`,
          en: `the card is ${CARD_STATUS_TEXT[old.status].en}: it cannot be reissued`,
        });
      const created = await this.insertCard(tx, Number(old.person_id), old.region, 'reissue', null, id, {
        bank_name: old.bank_name,
        bank_account: old.bank_account,
      });
      await this.record(tx, actor, created, null, 'applied', 'reissue', note ?? null, { replaces: id });
      return view(created);
    });
  }

  private async insertCard(
    tx: Db,
    personId: number,
    region: string,
    via: 'person' | 'clerk' | 'reissue',
    batchId: number | null,
    replaces: number | null,
    bank: { bank_name: string | null; bank_account: string | null } = { bank_name: null, bank_account: null },
  ): Promise<CardRow> {
    const live = await tx
      .selectFrom('card')
      .select('id')
      .where('person_id', '=', personId)
      .where('status', 'in', LIVE_STATUSES)
      .executeTakeFirst();
    if (live)
      throw new SbError('SB_ERR_DUPLICATE', {
        zh: '已有一张有效的社保卡',
        en: 'the person already holds a live card',
      });
    return await tx
      .insertInto('card')
      .values({
        person_id: personId,
        region,
        card_no: NEW_CARD_NO,
        card_ref: NEW_HEX32,
        chip_id: NEW_HEX32,
        status: 'applied',
        applied_via: via,
        batch_id: batchId,
        replaces_card_id: replaces,
        ...bank,
      })
      .returning(CARD_COLUMNS)
      .executeTakeFirstOrThrow();
  }

  /** Application by the person (or a clerk for them). */
  async apply(actor: Actor, personId: number): Promise<CardView> {
    return this.db.transaction().execute(async (tx) => {
      const p = await tx
        .selectFrom('person')
        .select(['id', 'region', 'death_date'])
        .where('id', '=', personId)
        .executeTakeFirst();
      if (!p || (actor.role === 'citizen' && actor.personId !== personId))
        throw new SbError('SB_ERR_NOT_FOUND', { field: 'personId' });
      authorize(actor, 'card.apply', { personId, region: p.region });
      if (p.death_date !== null)
        throw new SbError('SB_ERR_CONFLICT', { zh: '人员已死亡', en: 'the person has died' });
      const card = await this.insertCard(
        tx,
        personId,
        p.region,
        actor.role === 'citizen' ? 'person' : 'clerk',
        null,
        null,
      );
      await this.record(tx, actor, card, null, 'applied', 'apply', null);
      return view(card);
    });
  }

  /**
   * Employer batch application (单位批量申领): one card for each of the employer's current staff
   * (optionally only those listed) who is alive and holds no live card. Set-based; audited once per
   * batch and once per card event.
   */
  async batchApply(actor: Actor, employerId: number, personIds?: number[]) {
    const e = await this.db
      .selectFrom('employer')
      .select(['id', 'region'])
      .where('id', '=', employerId)
      .executeTakeFirst();
    if (!e) throw new SbError('SB_ERR_NOT_FOUND', { field: 'employerId' });
    authorize(actor, 'card.batch-apply', { employerIds: [employerId], region: e.region });
    const day = today();
    return this.db.transaction().execute(async (tx) => {
      const batch = await tx
        .insertInto('card_batch')
        .values({
          employer_id: employerId,
          region: e.region,
          requested: personIds?.length ?? 0,
          accepted: 0,
          created_by: actor.username,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const only = personIds === undefined ? null : personIds;
      const inserted = await sql<{ id: number; person_id: number; region: string }>`
        INSERT INTO card (person_id, region, card_no, card_ref, chip_id, status, applied_via, batch_id)
        SELECT DISTINCT ON (p.id) p.id, p.region, lpad(nextval('card_no_seq')::text, 9, '0'),
               replace(gen_random_uuid()::text, '-', ''), replace(gen_random_uuid()::text, '-', ''),
               'applied', 'employer', ${batch.id}
        FROM employment m JOIN person p ON p.id = m.person_id
        WHERE m.employer_id = ${employerId} AND m.start_date <= ${day}::date
          AND (m.end_date IS NULL OR m.end_date >= ${day}::date)
          AND p.death_date IS NULL
          AND (${only === null}::boolean OR p.id = ANY(${only ?? []}::bigint[]))
          AND NOT EXISTS (SELECT 1 FROM card c WHERE c.person_id = p.id
                          AND c.status IN ('applied', 'produced', 'issued', 'activated', 'temp_lost'))
        ORDER BY p.id
        RETURNING id, person_id, region`.execute(tx);
      await sql`
        INSERT INTO card_event (card_id, from_status, to_status, kind, note, actor)
        SELECT c.id, NULL, 'applied', 'apply', ${`employer batch ${batch.id}`}, ${actor.username}
        FROM card c WHERE c.batch_id = ${batch.id}`.execute(tx);
      await tx
        .updateTable('card_batch')
        .set({ accepted: inserted.rows.length })
        .where('id', '=', batch.id)
        .execute();
      await appendAudit(tx, actor, {
        action: 'card.batch-apply',
        entityType: 'card_batch',
        entityId: batch.id,
        region: e.region,
        after: {
          employerId,
          accepted: inserted.rows.length,
          cardIds: inserted.rows.map((r) => Number(r.id)),
        },
      });
      return {
        batchId: Number(batch.id),
        accepted: inserted.rows.length,
        requested: personIds?.length ?? null,
      };
    });
  }

  /** The e-card QR token for the holder's activated card (60 s; a reference, never the ID number). */
  async qr(actor: Actor): Promise<{ token: string; expiresAt: string }> {
    authorize(actor, 'ecard.qr', { personId: actor.personId ?? -1 });
    if (actor.personId === null) throw new SbError('SB_ERR_FORBIDDEN');
    // A death the registry recorded stops the e-card at once, even before the event is consumed.
    const card = await this.db
      .selectFrom('card')
      .innerJoin('person', 'person.id', 'card.person_id')
      .select(['card.card_ref', 'card.region'])
      .where('card.person_id', '=', actor.personId)
      .where('card.status', '=', 'activated')
      .where('person.death_date', 'is', null)
      .executeTakeFirst();
    if (!card)
      throw new SbError('SB_ERR_CONFLICT', {
        zh: '没有已启用的社保卡，无法出示电子社保卡（如已挂失，请先解挂或补卡）',
        en: 'no activated card: the e-card cannot be shown (unblock or reissue a lost card first)',
      });
    const { token, expiresAt } = await new EcardKeyService(this.db).signToken(
      { ref: card.card_ref, region: card.region },
      now(),
    );
    return { token, expiresAt };
  }

  /** Cancels the live cards of persons whose death the registry published (person.died); idempotent. */
  async processDeathEvents(actor: Actor): Promise<{ cancelled: number }> {
    const pending = await sql<{
      id: number;
      person_id: number;
      region: string;
      status: CardStatus;
      death_date: string;
    }>`
      SELECT c.id, c.person_id, c.region, c.status, o.payload->>'deathDate' AS death_date
      FROM outbox o JOIN card c ON c.person_id = (o.payload->>'personId')::bigint
      WHERE o.topic = 'person.died'
        AND c.status IN ('applied', 'produced', 'issued', 'activated', 'temp_lost')
      ORDER BY o.id LIMIT 10000`.execute(this.db);
    let cancelled = 0;
    for (const c of pending.rows) {
      await this.db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable('card')
          .set({ status: 'cancelled', status_changed_at: now().toISOString(), loss_until: null })
          .where('id', '=', c.id)
          .where('status', 'in', LIVE_STATUSES)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) return;
        await this.record(tx, actor, c, c.status, 'cancelled', 'cancel-death', `death ${c.death_date}`);
        cancelled++;
      });
    }
    return { cancelled };
  }

  /** Terminal use records (刷卡记录), idempotent by (terminal, sequence): a resent batch adds nothing. */
  async uploadUses(
    actor: Actor,
    input: {
      terminalId: string;
      terminalKind: TerminalKind;
      region: string;
      records: Array<{
        seq: number;
        cardRef: string;
        usedAt: string;
        accepted: boolean;
        reason?: string | null;
      }>;
    },
  ): Promise<{ received: number; inserted: number; duplicates: number }> {
    authorize(actor, 'card.use-upload', { region: input.region });
    const r = input.records;
    return this.db.transaction().execute(async (tx) => {
      const res = await sql<{ n: number }>`
        INSERT INTO card_use (terminal_id, seq, terminal_kind, region, card_ref, card_id, person_id, used_at, accepted, reason, uploaded_by)
        SELECT ${input.terminalId}, u.seq, ${input.terminalKind}, ${input.region}, u.ref, c.id, c.person_id,
               u.used_at, u.accepted, u.reason, ${actor.username}
        FROM unnest(${r.map((x) => x.seq)}::bigint[], ${r.map((x) => x.cardRef)}::text[],
                    ${r.map((x) => x.usedAt)}::timestamptz[], ${r.map((x) => x.accepted)}::boolean[],
                    ${r.map((x) => x.reason ?? null)}::text[]) AS u(seq, ref, used_at, accepted, reason)
        LEFT JOIN card c ON c.card_ref = u.ref
        ON CONFLICT (terminal_id, seq) DO NOTHING`.execute(tx);
      const inserted = Number(res.numAffectedRows ?? 0);
      if (inserted > 0)
        await appendAudit(tx, actor, {
          action: 'card.use-upload',
          entityType: 'card_terminal',
          entityId: input.terminalId,
          region: input.region,
          after: { received: r.length, inserted },
        });
      return { received: r.length, inserted, duplicates: r.length - inserted };
    });
  }

  /** Lost, temporarily lost and cancelled card references, for terminals (public: references only). */
  async revocationSnapshot(): Promise<RevocationSnapshot & { count: number }> {
    // Cards of persons whose death is recorded but not yet consumed (person.died) are listed too.
    const rows = await this.db
      .selectFrom('card')
      .select('card.card_ref')
      .where((eb) =>
        eb.or([
          eb('card.status', 'in', REVOKED_STATUSES),
          eb.and([
            eb('card.status', 'in', LIVE_STATUSES),
            eb.exists(
              eb
                .selectFrom('person')
                .select('person.id')
                .whereRef('person.id', '=', 'card.person_id')
                .where('person.death_date', 'is not', null),
            ),
          ]),
        ]),
      )
      .orderBy('card.card_ref')
      .execute();
    return { generatedAt: now().toISOString(), count: rows.length, refs: rows.map((r) => r.card_ref) };
  }
}
