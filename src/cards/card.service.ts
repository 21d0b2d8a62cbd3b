// Use cases of the card register (社会保障卡): the holder's cards and history, application (by the
// person, by an employer for its staff in a batch), production, issue, activation, temporary and
// formal loss, unblocking, reissue with a new card number, cancellation at death (from the registry's
// person.died event), the e-card QR token, the revocation snapshot and terminal use records.
// Every state change writes a card_event (the holder's history) and an audit entry, in one transaction.
import type { CardStep } from './cards.audit-actions.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { auditStaffReads } from '../audit/staff-read.ts';
import { maskIdNumber } from '../core/ids.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInScope, permits, type Action } from '../auth/policy.ts';
import { dayOf, now, today } from '../core/clock.ts';
import { dayNumber, fromDayNumber } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { idNumberQuery, maskBankAccount } from '../registry/person.rules.ts';
import { findEmployer } from '../registry/employer.repository.ts';
import { findPerson } from '../registry/person.repository.ts';
import { PersonService } from '../registry/person.service.ts';
import {
  activatedCardOfLiving,
  advanceCards,
  cancelLiveCard,
  cardBatchInRegion,
  cardEvents,
  cardRegion,
  cardRegister,
  cardUseClash,
  cardsOfPerson,
  findCard,
  firstUseBeforeIssue,
  holdsLiveCard,
  insertCard,
  insertCardBatch,
  insertCardEvent,
  insertCardUses,
  insertEmployerBatchCards,
  liveCardsOfTheDead,
  markCardLost,
  publishCardBlocked,
  revokedCardRefs,
  setCardBank,
  setCardStatus,
  type CardRow,
  type CardUse,
} from './card.repository.ts';
import { terminalForUpload } from './card-terminal.service.ts';
import {
  CARD_BANK_REASON,
  EARLIEST_CARD_USE,
  firstUseBeforeRegistration,
  normalizeCardBankAccount,
  CARD_STATUS_TEXT,
  LIVE_STATUSES,
  TEMPORARY_LOSS_DAYS_DEFAULT,
  nextStatus,
  type CardTransition,
} from './card.rules.ts';
import type { CardStatus } from './card.tables.ts';
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

/** No such card, or another's: the same answer, which does not repeat the number asked for. */
const notFound = (): SbError => new SbError('SB_ERR_NOT_FOUND', { field: 'id', zh: '社保卡', en: 'card' });

export class CardService {
  /** `params` gives the regional temporary-loss validity; without it the default (7 days) applies. */
  constructor(
    private readonly db: Db,
    private readonly params?: ParamStore,
  ) {}

  /**
   * Loads a card for `action`: another citizen's card, or another region's for staff, answers as an unknown
   * one (404), so no one learns which cards exist; a role without the action is refused whatever the id.
   */
  private async cardFor(tx: Db, actor: Actor, action: Action, id: number, lock = false): Promise<CardRow> {
    authorize(actor, action);
    const row = await findCard(tx, id, lock);
    if (!row || !permits(actor, action, { personId: Number(row.person_id), region: row.region }))
      throw notFound();
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
    await insertCardEvent(tx, { cardId: card.id, from, to, kind, note, actor: actor.username });
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
      await publishCardBlocked(tx, {
        personId: Number(card.person_id),
        cardId: card.id,
        status: to,
        region: card.region,
        lossUntil: typeof extra['loss_until'] === 'string' ? extra['loss_until'] : null,
      });
  }

  private async transition(
    actor: Actor,
    action: Action,
    id: number,
    t: Extract<CardTransition, CardStep>,
    note: string | null,
    set: { loss_until?: string | null; issued_on?: string } = {},
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
      const row = await setCardStatus(tx, id, { status: to, at: now().toISOString(), ...set });
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
    foundInScope(actor, 'card.read', await findPerson(this.db, personId), (p) => ({
      personId,
      region: p.region,
    }));
    return this.listFor(this.db, personId, page, pageSize);
  }

  private async listFor(db: Db, personId: number, page: number, pageSize: number) {
    const { rows, total } = await cardsOfPerson(db, personId, { page, pageSize });
    return { items: rows.map(view), total, page, pageSize };
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
    const { rows, total } = await cardRegister(
      this.db,
      { region, status: input.status, cardNo: search.cardNo, idNumber: search.idNumber, last4: search.last4 },
      input,
    );
    // A search names people: every card it returns is a staff read of its holder, audited.
    if (search.filter !== null)
      await auditStaffReads(
        this.db,
        actor,
        rows.map((r) => ({
          action: 'card.search',
          personId: Number(r.person_id),
          region: r.region,
          entityType: 'card',
          entityId: Number(r.id),
          after: { filter: { region, ...search.filter } },
        })),
      );
    return {
      items: rows.map(view),
      total,
      page: input.page,
      pageSize: input.pageSize,
    };
  }

  async history(actor: Actor, id: number): Promise<{ card: CardView; events: CardEventView[] }> {
    const card = await this.cardFor(this.db, actor, 'card.read', id);
    const events = await cardEvents(this.db, id);
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
    const region = await cardRegion(this.db, id);
    if (region === undefined) return TEMPORARY_LOSS_DAYS_DEFAULT;
    const r = this.params.tryResolve<number>('cards/temporary-loss-days', region, today());
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
      const row = await setCardBank(tx, id, { bankName, bankAccount });
      await insertCardEvent(tx, {
        cardId: id,
        from: card.status,
        to: card.status,
        kind: 'bank',
        note: `${bankName} ${maskBankAccount(bankAccount)}`,
        actor: actor.username,
      });
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

  /** The agency's production steps: applied → produced → issued (the card's issue day: no use before it). */
  async advance(actor: Actor, id: number, step: 'produce' | 'issue') {
    return this.transition(
      actor,
      'card.produce',
      id,
      step,
      null,
      step === 'issue' ? { issued_on: today() } : {},
    );
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
      if (input.batchId !== undefined && !(await cardBatchInRegion(tx, input.batchId, region)))
        throw new SbError('SB_ERR_NOT_FOUND', { field: 'batchId' });
      const at = now().toISOString();
      const note = input.batchId === undefined ? `region ${region}` : `employer batch ${input.batchId}`;
      const cardIds = await advanceCards(tx, {
        from,
        to,
        kind: input.step,
        region,
        batchId: input.batchId,
        note,
        actor: actor.username,
        at,
        day: today(),
      });
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
        await markCardLost(tx, id, now().toISOString());
        await this.record(tx, actor, old, old.status, 'lost', 'formal-loss', note ?? null);
      } else if (old.status !== 'lost')
        throw new SbError('SB_ERR_CONFLICT', {
          field: 'status',
          zh: `社保卡当前状态（${CARD_STATUS_TEXT[old.status].zh}）不能补卡`,
          en: `the card is ${CARD_STATUS_TEXT[old.status].en}: it cannot be reissued`,
        });
      const created = await this.newCard(tx, {
        personId: Number(old.person_id),
        region: old.region,
        via: 'reissue',
        batchId: null,
        replaces: id,
        bank: { bank_name: old.bank_name, bank_account: old.bank_account },
      });
      await this.record(tx, actor, created, null, 'applied', 'reissue', note ?? null, { replaces: id });
      return view(created);
    });
  }

  /** A new card, refused while the person holds a live one. */
  private async newCard(tx: Db, c: Parameters<typeof insertCard>[1]): Promise<CardRow> {
    if (await holdsLiveCard(tx, c.personId))
      throw new SbError('SB_ERR_DUPLICATE', {
        zh: '已有一张有效的社保卡',
        en: 'the person already holds a live card',
      });
    return insertCard(tx, c);
  }

  /** Application by the person (or a clerk for them). */
  async apply(actor: Actor, personId: number): Promise<CardView> {
    return this.db.transaction().execute(async (tx) => {
      const p = foundInScope(
        actor,
        'card.apply',
        await findPerson(tx, personId),
        (row) => ({ personId, region: row.region }),
        'personId',
      );
      if (p.death_date !== null)
        throw new SbError('SB_ERR_CONFLICT', { zh: '人员已死亡', en: 'the person has died' });
      const card = await this.newCard(tx, {
        personId,
        region: p.region,
        via: actor.role === 'citizen' ? 'person' : 'clerk',
        batchId: null,
        replaces: null,
        bank: { bank_name: null, bank_account: null },
      });
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
    const e = foundInScope(actor, 'card.batch-apply', await findEmployer(this.db, employerId), (row) => ({
      employerIds: [employerId],
      region: row.region,
    }));
    const day = today();
    return this.db.transaction().execute(async (tx) => {
      const batchId = await insertCardBatch(tx, {
        employerId,
        region: e.region,
        requested: personIds?.length ?? 0,
        createdBy: actor.username,
      });
      const inserted = await insertEmployerBatchCards(tx, {
        batchId,
        employerId,
        day,
        only: personIds === undefined ? null : personIds,
        actor: actor.username,
      });
      await appendAudit(tx, actor, {
        action: 'card.batch-apply',
        entityType: 'card_batch',
        entityId: batchId,
        region: e.region,
        after: {
          employerId,
          accepted: inserted.length,
          cardIds: inserted.map((r) => Number(r.id)),
        },
      });
      return {
        batchId,
        accepted: inserted.length,
        requested: personIds?.length ?? null,
      };
    });
  }

  /** The e-card QR token for the holder's activated card (60 s; a reference, never the ID number). */
  async qr(actor: Actor): Promise<{ token: string; expiresAt: string }> {
    authorize(actor, 'ecard.qr', { personId: actor.personId ?? -1 });
    if (actor.personId === null) throw new SbError('SB_ERR_FORBIDDEN');
    // A death the registry recorded stops the e-card at once, even before the event is consumed.
    const card = await activatedCardOfLiving(this.db, actor.personId);
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
    const pending = await liveCardsOfTheDead(this.db);
    let cancelled = 0;
    for (const c of pending) {
      await this.db.transaction().execute(async (tx) => {
        if (!(await cancelLiveCard(tx, c.id, now().toISOString()))) return;
        await this.record(tx, actor, c, c.status, 'cancelled', 'cancel-death', `death ${c.death_date}`);
        cancelled++;
      });
    }
    return { cancelled };
  }

  /**
   * Terminal use records (刷卡记录), idempotent by (terminal, sequence): a resent batch adds nothing. They
   * come only through a registered terminal of the region in service (the register, card-terminal.service.ts),
   * sent by the terminal itself with its key or by a clerk of the region.
   */
  async uploadUses(
    actor: Actor,
    input: { terminalId: string; region: string; records: CardUse[] },
  ): Promise<{ received: number; inserted: number; duplicates: number }> {
    authorize(actor, 'card.use-upload', { region: input.region });
    const r = input.records;
    // A use is a life sign (静默认证): one on a day not yet come would certify a pensioner alive then.
    const on = today();
    const usedOn = r.map((u) => dayOf(new Date(u.usedAt)));
    const ahead = usedOn.findIndex((day) => day > on);
    if (ahead >= 0)
      throw new SbError('SB_ERR_VALIDATION', {
        field: `records.${ahead}.usedAt`,
        zh: '用卡时间晚于今天',
        en: 'the use is dated after today',
      });
    return this.db.transaction().execute(async (tx) => {
      const terminal = await terminalForUpload(tx, actor, input.terminalId, input.region);
      // A terminal saw nothing before it was registered: an older use under its id is made up or misfiled.
      const unregistered = firstUseBeforeRegistration(terminal, usedOn);
      if (unregistered !== null)
        throw new SbError('SB_ERR_VALIDATION', {
          field: `records.${unregistered}.usedAt`,
          zh: '用卡时间早于这个用卡终端的登记日期',
          en: 'the use is dated before its terminal was registered',
        });
      // Nor on a day before the card existed: such a use was stored, and certified its holder then.
      const early = await firstUseBeforeIssue(tx, r, EARLIEST_CARD_USE);
      if (early !== null)
        throw new SbError('SB_ERR_VALIDATION', {
          field: `records.${early}.usedAt`,
          zh: '用卡时间早于这张卡的发卡日期',
          en: 'the use is dated before its card was issued',
        });
      const inserted = await insertCardUses(tx, {
        terminalId: input.terminalId,
        // the register says what the terminal is
        terminalKind: terminal.kind,
        region: input.region,
        uploadedBy: actor.username,
        records: r,
      });
      // A number a terminal used keeps its record: the same number sent with other content was dropped
      // as a duplicate, which let a record be overwritten unseen.
      const clash = await cardUseClash(tx, { terminalId: input.terminalId, records: r });
      if (clash !== null)
        throw new SbError('SB_ERR_CONFLICT', {
          field: `records.${clash}.seq`,
          zh: '该终端的这一流水号已有另一条用卡记录',
          en: 'this terminal already holds another record under this number',
        });
      if (inserted > 0)
        await appendAudit(tx, actor, {
          action: 'card.use-upload',
          entityType: 'card_terminal',
          entityId: input.terminalId,
          region: input.region,
          // manual: a clerk carried the uses to the counter; a terminal's own upload is what a device vouched for
          after: { received: r.length, inserted, manual: actor.role !== 'terminal' },
        });
      return { received: r.length, inserted, duplicates: r.length - inserted };
    });
  }

  /** Lost, temporarily lost and cancelled card references, for terminals (public: references only). */
  async revocationSnapshot(): Promise<RevocationSnapshot & { count: number }> {
    // Cards of persons whose death is recorded but not yet consumed (person.died) are listed too.
    const refs = await revokedCardRefs(this.db);
    return { generatedAt: now().toISOString(), count: refs.length, refs };
  }
}
