// 用卡终端登记 The register of card terminals: a region's clerk or administrator registers the terminals
// (bus gates, library doors, hospital counters) whose use records the region uploads, and retires them.
// Use records go only through a registered terminal of the uploading region that is still in service
// (`terminalForUpload`): a terminal no longer belongs to whoever uploads under its id first, and a clerk
// cannot file life signs under an id nobody registered. Each terminal has its own upload key (shown once
// at registration and at each new issue, stored hashed: src/auth/machine-key.ts), so the device can send
// its uses itself and the trail says which uses a device vouched for. Each change is audited.
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import {
  authenticateMachineKey,
  newMachineKey,
  oldKeyValidUntil,
  type OldKeyFate,
} from '../auth/machine-key.ts';
import { machineNamed } from '../auth/machines.ts';
import { authorize, foundInRegion, regionCovers } from '../auth/policy.ts';
import { now, today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import { isKnownRegion } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import {
  endOldTerminalKey,
  findTerminal,
  insertTerminal,
  replaceTerminalKey,
  retireTerminal,
  terminalOfKey,
  terminalsOfRegion,
  terminalsSeenOn,
  type StoredKey,
  type TerminalRow,
} from './card-terminal.repository.ts';
import type { TerminalKind } from './card.tables.ts';

export interface TerminalView {
  terminalId: string;
  kind: TerminalKind;
  name: string;
  region: string;
  registeredOn: string;
  retiredOn: string | null;
  registeredBy: string;
  /** the upload key's first letters (`sbt_…`) and the day it was issued; none when retired or never issued */
  keyPrefix: string | null;
  keyIssuedOn: string | null;
  /** the key a rotation kept beside the new one, and until when (ISO time): none once the new key was used */
  oldKeyPrefix: string | null;
  oldKeyValidUntil: string | null;
}

/** A terminal with its new upload key: the only answer that carries the key itself. */
export type TerminalWithKey = TerminalView & { key: string };

const iso = (at: string | Date | null): string | null => (at === null ? null : new Date(at).toISOString());

/** The terminal as the register shows it: a kept old key past its deadline is shown as none (it no longer opens). */
const view = (r: TerminalRow): TerminalView => {
  const oldValid = r.old_key_until !== null && new Date(r.old_key_until) > now();
  return {
    terminalId: r.terminal_id,
    kind: r.kind,
    name: r.name,
    region: r.region.trim(),
    registeredOn: r.registered_on,
    retiredOn: r.retired_on,
    registeredBy: r.registered_by,
    keyPrefix: r.key_prefix,
    keyIssuedOn: r.key_issued_on,
    oldKeyPrefix: oldValid ? r.old_key_prefix : null,
    oldKeyValidUntil: oldValid ? iso(r.old_key_until) : null,
  };
};

/** A new upload key issued today: the key (to show once) and what the register stores of it. */
function issueKey(): { key: string; stored: StoredKey } {
  const { key, prefix, hash } = newMachineKey(machineNamed('terminal').keyKind);
  return { key, stored: { hash, prefix, on: today() } };
}

/**
 * A terminal calling with its upload key → an actor `terminal:<id>` of the terminal's region that may
 * upload for that terminal only. A rotation's kept old key opens too until its deadline; the new key's
 * first call ends it (audited). Unknown, malformed and stopped keys (rotated, past their overlap, or of a
 * retired terminal) answer alike, 401 SB_ERR_TERMINAL_KEY_INVALID, and never say whether a terminal
 * exists; failures are throttled by the calling address as the hospital keys' are.
 */
export async function authenticateTerminalKey(db: Db, key: string | null, source: string): Promise<Actor> {
  const t = await authenticateMachineKey(db, {
    kind: machineNamed('terminal').keyKind,
    key,
    source,
    invalid: 'SB_ERR_TERMINAL_KEY_INVALID',
    lookup: (hash) => terminalOfKey(db, hash, now()),
  });
  const actor: Actor = {
    userId: null,
    username: `terminal:${t.terminal_id}`,
    role: 'terminal',
    personId: null,
    employerId: null,
    region: t.region.trim(),
    terminalId: t.terminal_id,
  };
  if (t.newKey && t.oldKept)
    await db.transaction().execute(async (tx) => {
      const ended = await endOldTerminalKey(tx, t.terminal_id);
      if (ended === undefined) return; // a concurrent first call ended it
      await appendAudit(tx, actor, {
        action: 'card.terminal-old-key-end',
        entityType: 'card_terminal',
        entityId: t.terminal_id,
        region: actor.region ?? '',
        before: { oldKeyPrefix: ended.prefix, oldKeyValidUntil: ended.until },
        after: { oldKeyPrefix: null },
      });
    });
  return actor;
}

/**
 * The terminal an upload of `region` goes through, locked against a retirement while the upload runs.
 * An id not registered, one registered by another region and (for a terminal's key) another terminal's
 * get one answer (404 `terminalId`), which says nothing of the other terminal; a retired terminal of the
 * region is 409.
 */
export async function terminalForUpload(
  tx: Db,
  actor: Actor,
  terminalId: string,
  region: string,
): Promise<TerminalRow> {
  const t = await findTerminal(tx, terminalId, true);
  // a terminal's key uploads for that terminal only: another id is answered as one never registered
  const notTheKeys = actor.role === 'terminal' && actor.terminalId !== terminalId;
  if (t === undefined || t.region.trim() !== region || notTheKeys)
    throw new SbError('SB_ERR_NOT_FOUND', {
      field: 'terminalId',
      zh: '本地区没有登记这个用卡终端，请先在“用卡终端登记”中登记',
      en: 'no card terminal of this region is registered under this id: register it first',
    });
  if (t.retired_on !== null)
    throw new SbError('SB_ERR_CONFLICT', {
      field: 'terminalId',
      zh: '这个用卡终端已停用，不再接收用卡记录',
      en: 'this card terminal is retired: it takes no more use records',
    });
  return t;
}

export class CardTerminalService {
  constructor(private readonly db: Db) {}

  /**
   * Which registered terminal saw the person's card on each of `days` (the days a card comparison
   * certified them): for the certification capability's page of a person, which has already checked
   * that the reader may see the person.
   */
  async seenOn(personId: number, days: readonly string[]): Promise<Array<TerminalView & { day: string }>> {
    return (await terminalsSeenOn(this.db, personId, days)).map((r) => ({ ...view(r), day: r.day }));
  }

  /** The terminals of the staff member's region (or a sub-region), in service first. */
  async list(actor: Actor, input: { region?: string; page: number; pageSize: number }) {
    const region = input.region ?? actor.region ?? '000000';
    authorize(actor, 'card.terminal', { region });
    const { rows, total } = await terminalsOfRegion(this.db, region, input);
    return { items: rows.map(view), total, page: input.page, pageSize: input.pageSize };
  }

  /**
   * Registers a terminal of the region (the staff member's own by default), in service from today, with
   * its first upload key (in this answer only).
   */
  async register(
    actor: Actor,
    input: { terminalId: string; kind: TerminalKind; name: string; region?: string },
  ): Promise<TerminalWithKey> {
    const region = input.region ?? actor.region ?? '';
    if (!isKnownRegion(region)) throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region' });
    authorize(actor, 'card.terminal', { region });
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100)
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'name',
        zh: '终端名称（地点）应为1至100个字符',
        en: 'the terminal’s name (its place) has 1 to 100 characters',
      });
    const { key, stored } = issueKey();
    return this.db.transaction().execute(async (tx) => {
      const row = await insertTerminal(
        tx,
        { terminalId: input.terminalId, kind: input.kind, name, region, on: today(), by: actor.username },
        stored,
      );
      if (row === undefined)
        throw new SbError('SB_ERR_DUPLICATE', {
          field: 'terminalId',
          zh: '这个终端编号已经登记过',
          en: 'a terminal is already registered under this id',
        });
      await appendAudit(tx, actor, {
        action: 'card.terminal-register',
        entityType: 'card_terminal',
        entityId: row.terminal_id,
        region,
        after: {
          kind: row.kind,
          name: row.name,
          region,
          registeredOn: row.registered_on,
          keyPrefix: stored.prefix,
        },
      });
      return { ...view(row), key };
    });
  }

  /**
   * A new upload key for a terminal in service (a device replaced, a key exposed, a fleet re-keyed; the
   * first key of a terminal the migration registered). `stop-now` stops the old key at once; `overlap`
   * keeps it valid until the device first calls with the new key or the overlap runs out
   * (machine-key.ts). The key is in this answer only; the audit entry keeps the prefixes.
   */
  async newKey(actor: Actor, terminalId: string, oldKey: OldKeyFate = 'stop-now'): Promise<TerminalWithKey> {
    const { key, stored } = issueKey();
    return this.db.transaction().execute(async (tx) => ({
      ...(await this.newKeyIn(tx, actor, terminalId, oldKey, stored)),
      key,
    }));
  }

  /**
   * New upload keys for terminals of one region, all or none (`shebao cards terminal-keys`, a province's
   * rollout): an id not registered, of another region or retired refuses the whole list, naming its place
   * in the list. Each key is audited as the operator's, as one issued on the page.
   */
  async newKeys(
    actor: Actor,
    input: { region: string; terminalIds: readonly string[]; oldKey: OldKeyFate },
  ): Promise<TerminalWithKey[]> {
    if (!isKnownRegion(input.region)) throw new SbError('SB_ERR_UNKNOWN_REGION', { field: 'region' });
    authorize(actor, 'card.terminal', { region: input.region });
    // an id twice would re-key its terminal twice, the first new key becoming the kept old one
    if (input.terminalIds.length === 0 || new Set(input.terminalIds).size !== input.terminalIds.length)
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'terminalIds',
        zh: '终端编号清单为空或有重复',
        en: 'the list of terminal ids is empty or names an id twice',
      });
    const scoped: Actor = { ...actor, region: input.region };
    return this.db.transaction().execute(async (tx) => {
      const issued: TerminalWithKey[] = [];
      for (const [i, terminalId] of input.terminalIds.entries()) {
        const t = await findTerminal(tx, terminalId, true);
        if (t === undefined || !regionCovers(input.region, t.region.trim()))
          throw new SbError('SB_ERR_NOT_FOUND', {
            field: `terminalIds.${i}`,
            zh: '本地区没有登记这个用卡终端',
            en: 'no card terminal of this region is registered under this id',
          });
        if (t.retired_on !== null)
          throw new SbError('SB_ERR_CONFLICT', {
            field: `terminalIds.${i}`,
            zh: '这个用卡终端已停用，不能再发放上传密钥',
            en: 'this card terminal is retired: it gets no upload key',
          });
        const { key, stored } = issueKey();
        issued.push({ ...(await this.newKeyIn(tx, scoped, terminalId, input.oldKey, stored)), key });
      }
      return issued;
    });
  }

  private async newKeyIn(
    tx: Db,
    actor: Actor,
    terminalId: string,
    oldKey: OldKeyFate,
    stored: StoredKey,
  ): Promise<TerminalView> {
    return this.changeInService(
      tx,
      actor,
      terminalId,
      {
        zh: '这个用卡终端已停用，不能再发放上传密钥',
        en: 'this card terminal is retired: it gets no upload key',
      },
      async (t) => {
        const row = await replaceTerminalKey(
          tx,
          terminalId,
          stored,
          oldKeyValidUntil(oldKey, t.region.trim(), now()),
        );
        return {
          row,
          action: 'card.terminal-key',
          before: { keyPrefix: t.key_prefix, keyIssuedOn: t.key_issued_on },
          after: {
            keyPrefix: stored.prefix,
            keyIssuedOn: stored.on,
            oldKey,
            oldKeyPrefix: row.old_key_prefix,
            oldKeyValidUntil: iso(row.old_key_until),
          },
        };
      },
    );
  }

  /** Retires a terminal of the region from today: it takes no more uploads, its keys stop; its records stay. */
  async retire(actor: Actor, terminalId: string): Promise<TerminalView> {
    const on = today();
    return this.db.transaction().execute((tx) =>
      this.changeInService(
        tx,
        actor,
        terminalId,
        { zh: '这个用卡终端已经停用', en: 'this card terminal is already retired' },
        async (t) => ({
          row: await retireTerminal(tx, terminalId, on),
          action: 'card.terminal-retire',
          before: { retiredOn: null, keyPrefix: t.key_prefix, oldKeyPrefix: t.old_key_prefix },
          after: { retiredOn: on, keyPrefix: null, oldKeyPrefix: null },
        }),
      ),
    );
  }

  /**
   * One change to a terminal of the actor's region that is still in service (a retired one is 409 `id`,
   * another region's 404 as one never registered), audited with what it was and what it became.
   */
  private async changeInService(
    tx: Db,
    actor: Actor,
    terminalId: string,
    retired: { zh: string; en: string },
    change: (t: TerminalRow) => Promise<{
      row: TerminalRow;
      action: 'card.terminal-key' | 'card.terminal-retire';
      before: Record<string, unknown>;
      after: Record<string, unknown>;
    }>,
  ): Promise<TerminalView> {
    const t = foundInRegion(actor, 'card.terminal', await findTerminal(tx, terminalId, true));
    if (t.retired_on !== null) throw new SbError('SB_ERR_CONFLICT', { field: 'id', ...retired });
    const { row, action, before, after } = await change(t);
    await appendAudit(tx, actor, {
      action,
      entityType: 'card_terminal',
      entityId: terminalId,
      region: row.region.trim(),
      before,
      after,
    });
    return view(row);
  }
}
