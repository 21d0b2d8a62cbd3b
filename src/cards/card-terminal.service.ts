// 用卡终端登记 The register of card terminals: a region's clerk or administrator registers the terminals
// (bus gates, library doors, hospital counters) whose use records the region uploads, and retires them.
// Use records go only through a registered terminal of the uploading region that is still in service
// (`terminalForUpload`): a terminal no longer belongs to whoever uploads under its id first, and a clerk
// cannot file life signs under an id nobody registered. Each change is audited.
import { appendAudit } from '../audit/audit.repository.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize, foundInRegion } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import { isKnownRegion } from '../core/regions.ts';
import type { Db } from '../db/connection.ts';
import {
  findTerminal,
  insertTerminal,
  retireTerminal,
  terminalsOfRegion,
  terminalsSeenOn,
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
}

const view = (r: TerminalRow): TerminalView => ({
  terminalId: r.terminal_id,
  kind: r.kind,
  name: r.name,
  region: r.region.trim(),
  registeredOn: r.registered_on,
  retiredOn: r.retired_on,
  registeredBy: r.registered_by,
});

/**
 * The terminal an upload of `region` goes through, locked against a retirement while the upload runs.
 * An id not registered and one registered by another region get one answer (404 `terminalId`), which
 * says nothing of the other region's terminal; a retired terminal of the region is 409.
 */
export async function terminalForUpload(tx: Db, terminalId: string, region: string): Promise<TerminalRow> {
  const t = await findTerminal(tx, terminalId, true);
  if (t === undefined || t.region.trim() !== region)
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

  /** Registers a terminal of the region (the staff member's own by default), in service from today. */
  async register(
    actor: Actor,
    input: { terminalId: string; kind: TerminalKind; name: string; region?: string },
  ): Promise<TerminalView> {
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
    return this.db.transaction().execute(async (tx) => {
      const row = await insertTerminal(tx, {
        terminalId: input.terminalId,
        kind: input.kind,
        name,
        region,
        on: today(),
        by: actor.username,
      });
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
        after: { kind: row.kind, name: row.name, region, registeredOn: row.registered_on },
      });
      return view(row);
    });
  }

  /** Retires a terminal of the region from today: it takes no more uploads; its records stay. */
  async retire(actor: Actor, terminalId: string): Promise<TerminalView> {
    return this.db.transaction().execute(async (tx) => {
      const t = foundInRegion(actor, 'card.terminal', await findTerminal(tx, terminalId, true));
      if (t.retired_on !== null)
        throw new SbError('SB_ERR_CONFLICT', {
          field: 'terminalId',
          zh: '这个用卡终端已经停用',
          en: 'this card terminal is already retired',
        });
      const on = today();
      const row = await retireTerminal(tx, terminalId, on);
      await appendAudit(tx, actor, {
        action: 'card.terminal-retire',
        entityType: 'card_terminal',
        entityId: terminalId,
        region: row.region.trim(),
        before: { retiredOn: null },
        after: { retiredOn: on },
      });
      return view(row);
    });
  }
}
