// Handled across provinces (跨省通办, 国办发〔2020〕35号; domain-2.md §5): an application filed in the
// province where the person is (its service hall) and decided by the province that holds the record.
// The services: the insurance certificate (参保证明) and the personal rights record statement
// (个人权益记录) of the time the person was insured in another province.
// - filing province: `xp.request` → the holding province; the hall shows the application
//   (`case.status`, ref fed_xp_request:<id>): submitted;
// - holding province: takes the request in, answers `xp.status` accepted, decides from its own record
//   and answers `xp.status` completed with the statement (or rejected with the reason);
// - filing province: each `xp.status` moves its row forward (never back: a late `accepted` after
//   `completed` changes nothing) and reports into the hall in the same transaction.
// Every message acts exactly once (fed.messaging.ts); every status change is audited.
import { noteText, readNote, type Note, type Words } from '../core/bilingual.ts';
import { noteLine } from './transfer.repository.ts';
import { applicant } from './transfer-support.ts';
import type { Actor } from '../auth/actor.ts';
import { systemActor } from '../auth/actor.ts';
import { authorize, foundInScope } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import { maskIdNumber } from '../core/ids.ts';
import { regionName } from '../core/regions.ts';
import { cleanForeignText } from '../core/text.ts';
import { formatMoney } from '../core/money.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { publishCaseStatusEvent } from '../hall/case-status.event.ts';
import { enqueue, type Handler } from './fed.messaging.ts';
import * as repo from './cross-province.repository.ts';
import {
  XP_SERVICES,
  type XpRow,
  type XpService,
  type XpStatement,
  type XpStatus,
} from './cross-province.repository.ts';

const RANK: Record<XpStatus, number> = { submitted: 0, accepted: 1, completed: 2, rejected: 2 };

const SERVICE_ZH: Record<XpService, string> = {
  'insurance-certificate': '参保证明',
  'record-statement': '个人权益记录',
};
const SERVICE_EN: Record<XpService, string> = {
  'insurance-certificate': 'an insurance certificate',
  'record-statement': 'a record statement',
};
const SCHEME_ZH: Record<string, string> = {
  employee_pension: '企业职工基本养老保险',
  resident_pension: '城乡居民基本养老保险',
  unemployment: '失业保险',
  injury: '工伤保险',
};
const SCHEME_EN: Record<string, string> = {
  employee_pension: 'employees’ basic pension',
  resident_pension: 'residents’ basic pension',
  unemployment: 'unemployment insurance',
  injury: 'work-injury insurance',
};

async function caseStatus(tx: Db, r: XpRow, status: XpStatus, actor: string, region: string, note: Note) {
  if (r.person_id === null) return;
  await publishCaseStatusEvent(tx, {
    service: r.service,
    ref: `fed_xp_request:${r.id}`,
    personId: Number(r.person_id),
    status,
    actor,
    note,
    regionCode: region.trim(),
    channel: 'online',
    link: '/agency/cross-province',
    citizenPath: `/citizen/cross-province/${r.id}`,
  });
}

const maskName = (n: string) => (n.length <= 1 ? '*' : `${n.slice(0, 1)}${'*'.repeat(n.length - 1)}`);

/** The statement of the person's insurance here, from this province's own record. */
async function statementOf(tx: Db, self: string, personId: number, service: XpService): Promise<XpStatement> {
  const p = await repo.personNameAndIdNumber(tx, personId);
  const rows = await repo.schemesOf(tx, personId);
  let accounts: XpStatement['accounts'] = null;
  if (service === 'record-statement') {
    const a = await repo.accountBalancesOf(tx, personId);
    accounts = { employeePensionFen: int(a?.emp), residentPensionFen: int(a?.res) };
  }
  return {
    province: self,
    asOf: today(),
    nameMasked: maskName(p.name),
    idNumberMasked: maskIdNumber(p.id_number),
    schemes: rows.map((r) => ({
      scheme: r.scheme,
      status: r.status,
      since: r.since,
      until: r.until,
      months: int(r.months),
    })),
    accounts,
  };
}

/**
 * A statement another province sent, rebuilt field by field (unknown fields dropped), or null when it
 * is not one: a peer's signature proves who sent it, not that it is well-formed, and a malformed one
 * kept as it came would break every page that shows the request.
 */
function asStatement(x: unknown): XpStatement | null {
  const obj = (v: unknown): Record<string, unknown> | null =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  const text = (v: unknown): v is string => typeof v === 'string' && v.length <= 64;
  const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  const s = obj(x);
  if (!s || !text(s['province']) || !text(s['asOf']) || !text(s['nameMasked']) || !text(s['idNumberMasked']))
    return null;
  const list = s['schemes'];
  if (!Array.isArray(list) || list.length > 20) return null;
  const schemes: XpStatement['schemes'] = [];
  for (const e of list) {
    const r = obj(e);
    const until = r?.['until'];
    if (!r || !text(r['scheme']) || !text(r['status']) || !text(r['since']) || !count(r['months']))
      return null;
    if (until !== null && !text(until)) return null;
    schemes.push({
      scheme: cleanForeignText(r['scheme']),
      status: cleanForeignText(r['status']),
      since: cleanForeignText(r['since']),
      until: until === null ? null : cleanForeignText(until),
      months: r['months'],
    });
  }
  let accounts: XpStatement['accounts'] = null;
  if (s['accounts'] !== null) {
    const a = obj(s['accounts']);
    if (!a || !count(a['employeePensionFen']) || !count(a['residentPensionFen'])) return null;
    accounts = { employeePensionFen: a['employeePensionFen'], residentPensionFen: a['residentPensionFen'] };
  }
  return {
    province: cleanForeignText(s['province']),
    asOf: cleanForeignText(s['asOf']),
    nameMasked: cleanForeignText(s['nameMasked']),
    idNumberMasked: cleanForeignText(s['idNumberMasked']),
    schemes,
    accounts,
  };
}

function summary(s: XpStatement): Note {
  const zh = s.schemes.map((x) => `${SCHEME_ZH[x.scheme] ?? x.scheme} ${x.months} 个月`);
  const en = s.schemes.map((x) => `${SCHEME_EN[x.scheme] ?? x.scheme} ${x.months} months`);
  const a = s.accounts;
  return {
    zh:
      `${zh.length > 0 ? zh.join('，') : '无缴费记录'}` +
      (a === null
        ? ''
        : `；个人账户 职工 ${formatMoney(a.employeePensionFen)}、城乡居民 ${formatMoney(a.residentPensionFen)}`),
    en:
      `${en.length > 0 ? en.join(', ') : 'no contribution record'}` +
      (a === null
        ? ''
        : `; personal accounts: employees’ ${formatMoney(a.employeePensionFen)}, residents’ ${formatMoney(a.residentPensionFen)}`),
  };
}

/** A stored note for the reader, in each language (rows before migration 1582 read as readNote does). */
const noteOf = (v: unknown): Words | null => {
  const n = readNote(v);
  return n === null ? null : noteText(n);
};

function shape(r: XpRow & { person_name: string | null }) {
  return {
    id: int(r.id),
    personName: r.person_name,
    ref: r.ref,
    side: r.side,
    service: r.service,
    personId: r.person_id === null ? null : int(r.person_id),
    filedIn: r.filed_in.trim(),
    handledBy: r.handled_by.trim(),
    status: r.status,
    appliedBy: r.applied_by,
    result: r.result,
    note: noteOf(r.note),
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    acceptedOn: r.accepted_on,
    closedOn: r.closed_on,
  };
}

export class CrossProvinceService {
  /** The messages of 跨省通办 a province takes in (each runs in the transaction that takes it in). */
  static handlers(self: string): Record<string, Handler> {
    const actor = systemActor(`federation:${self}`);
    return {
      // At the holding province: accept, decide from the own record, answer.
      'xp.request': async (tx, env) => {
        const b = env.body as { ref?: unknown; service?: unknown; idNumber?: unknown };
        if (typeof b?.ref !== 'string' || typeof b.idNumber !== 'string') return;
        const service = XP_SERVICES.find((s) => s === b.service);
        if (await repo.handledRequestExists(tx, b.ref)) return;
        const person = await repo.personByIdNumber(tx, b.idNumber);
        const reason: Note | null = !service
          ? { zh: '本省不办理此事项', en: `service ${String(b.service)} not handled here` }
          : !person
            ? { zh: '本省无此人参保记录', en: 'no record of this person here' }
            : null;
        const result =
          reason === null && service && person
            ? await statementOf(tx, self, Number(person.id), service)
            : null;
        const status: XpStatus = reason === null ? 'completed' : 'rejected';
        const note = result !== null ? summary(result) : reason;
        const id = await repo.insertHandledRequest(tx, {
          ref: b.ref,
          service: service ?? 'insurance-certificate',
          personId: person?.id ?? null,
          filedIn: env.from,
          handledBy: self,
          status,
          result,
          note,
          on: today(),
        });
        await appendAudit(tx, actor, {
          action: 'xp.decide',
          entityType: 'fed_xp_request',
          entityId: int(id),
          region: person?.region ?? self,
          subjectPersonId: person ? Number(person.id) : null,
          after: { ref: b.ref, service: service ?? null, filedIn: env.from, status },
        });
        await enqueue(tx, env.from, 'xp.status', { ref: b.ref, status: 'accepted', on: today() });
        // the message between provinces carries one line (and, for nodes that read it, the note as data)
        await enqueue(tx, env.from, 'xp.status', {
          ref: b.ref,
          status,
          on: today(),
          result,
          note: note === null ? null : noteLine(note),
        });
      },

      // At the filing province: move forward, report into the hall.
      'xp.status': async (tx, env) => {
        const b = env.body as {
          ref?: unknown;
          status?: unknown;
          result?: unknown;
          note?: unknown;
          on?: unknown;
        };
        if (typeof b?.ref !== 'string') return;
        const status = (['accepted', 'completed', 'rejected'] as const).find((s) => s === b.status);
        if (!status) return;
        const x = await repo.lockFiledRequest(tx, b.ref);
        if (!x || x.handled_by.trim() !== env.from || RANK[status] <= RANK[x.status]) return;
        const from = { zh: regionName(env.from), en: regionName(env.from, 'en') };
        const foreign = typeof b.note === 'string' ? cleanForeignText(b.note) : null;
        const accepted = { zh: `${from.zh}已受理`, en: `accepted by ${from.en}` };
        // the other province's one line, in its halves when it has both (readNote's rule)
        const said = foreign === null ? null : readNote(foreign);
        const note: Note | null = said ?? (status === 'accepted' ? accepted : null);
        const words = note === null ? { zh: '', en: '' } : noteText(note);
        const result = status === 'completed' ? asStatement(b.result) : null;
        // The day the deciding province did it (its message says), else the day it arrived here.
        const on = typeof b.on === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(b.on) ? b.on : today();
        const closed = status === 'accepted' ? null : on;
        await repo.moveFiledRequest(tx, x.id, { status, note, result, on, closed });
        const region = x.person_id ? ((await repo.personRegion(tx, Number(x.person_id))) ?? self) : self;
        await appendAudit(tx, actor, {
          action: 'xp.status',
          entityType: 'fed_xp_request',
          entityId: int(x.id),
          region,
          subjectPersonId: x.person_id === null ? null : Number(x.person_id),
          before: { status: x.status },
          after: { status, handledBy: env.from },
        });
        const what = SERVICE_ZH[x.service] ?? x.service;
        const whatEn = SERVICE_EN[x.service] ?? x.service;
        await caseStatus(
          tx,
          x,
          status,
          `${from.zh}社会保险经办机构`, // who acted, as the applicant reads it in the hall
          region,
          status === 'completed'
            ? { zh: `${from.zh}出具${what}：${words.zh}`, en: `${from.en} issued ${whatEn}: ${words.en}` }
            : status === 'rejected'
              ? { zh: `${from.zh}不予办理：${words.zh}`, en: `${from.en} refused: ${words.en}` }
              : (said ?? accepted), // the other province's own words
        );
      },
    };
  }

  constructor(
    private readonly db: Db,
    private readonly self: string,
    private readonly provinces: readonly string[],
  ) {}

  /** Filed here, for the province that holds the record (it decides). */
  async file(
    actor: Actor,
    input: { service: XpService; province: string; idNumber?: string; personId?: number },
  ): Promise<{ id: number; status: XpStatus }> {
    if (!this.provinces.includes(input.province) || input.province === this.self)
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'province',
        zh: '所填省份不是联网的其他省份',
        en: 'the province given is not another province of the federation',
      });
    return this.db.transaction().execute(async (tx) => {
      const person = await applicant(tx, actor, input);
      const ref = crypto.randomUUID();
      const to = { zh: regionName(input.province), en: regionName(input.province, 'en') };
      const row = await repo.insertFiledRequest(tx, {
        ref,
        service: input.service,
        personId: person.id,
        filedIn: this.self,
        handledBy: input.province,
        appliedBy: actor.username,
      });
      if (!row) throw new Error('insert returned nothing');
      await enqueue(tx, input.province, 'xp.request', {
        ref,
        service: input.service,
        idNumber: person.id_number,
        filedOn: today(),
      });
      await caseStatus(tx, row, 'submitted', actor.username, person.region, {
        zh: `跨省通办：已转${to.zh}办理${SERVICE_ZH[input.service]}`,
        en: `sent to ${to.en}`,
      });
      await appendAudit(tx, actor, {
        action: 'xp.file',
        entityType: 'fed_xp_request',
        entityId: int(row.id),
        region: person.region,
        subjectPersonId: Number(person.id),
        after: { ref, service: input.service, handledBy: input.province, status: 'submitted' },
      });
      return { id: int(row.id), status: 'submitted' as const };
    });
  }

  async get(actor: Actor, id: number) {
    // another person's or region's request answers as an unknown id, neither repeating it
    const x = foundInScope(actor, 'transfer.read', await repo.requestById(this.db, id), (r) => ({
      personId: r.person_id === null ? null : Number(r.person_id),
      region: r.region ?? this.self,
    }));
    return shape(x);
  }

  async list(actor: Actor) {
    const scope = authorize(actor, 'transfer.read');
    const own = actor.role === 'citizen' ? actor.personId : null;
    const rows = await repo.requestsOf(this.db, own);
    const out = [];
    for (const x of rows) {
      // A request with no person here (refused for want of a record) belongs to the province as a whole.
      if (scope === 'region') {
        try {
          authorize(actor, 'transfer.read', { region: x.region ?? this.self });
        } catch {
          continue;
        }
      }
      out.push(shape(x));
    }
    return out;
  }
}
