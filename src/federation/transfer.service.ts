// Pension relation transfer across provinces (国办发〔2009〕66号 Art. 8; domain-2.md §1.5–1.6):
// the person (or the new province's clerk) applies at the new place, which sends the 同意接收函 to the
// old place; the old place computes the funds (`pension-transfer-funds`), posts them out of its fund
// and sends the record and the money; the new place posts them in, credits the record lines and the
// account, and confirms. Every step is one message taken in exactly once (fed.messaging.ts).
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { periodOf } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { formatYuan } from '../core/money.ts';
import { Trace } from '../core/trace.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { projectParams } from '../core/params-loader.ts';
import { addWorkingDays, calendarFrom } from '../core/working-days.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { systemActor } from '../auth/actor.ts';
import { enqueue, idHash, NATIONAL, type Envelope, type Handler } from './fed.messaging.ts';
import {
  pensionTransferFunds,
  toSegments,
  TRANSFER_STEP_LIMITS,
  type PaidSegment,
} from './transfer.rules.ts';

export type TransferStatus = 'requested' | 'sent' | 'credited' | 'completed' | 'refused';

export interface TransferRequestBody {
  ref: string;
  idNumber: string;
  toProvince: string;
  appliedOn: string;
}
export interface TransferFundsBody {
  ref: string;
  segments: PaidSegment[];
  months: number;
  pooledByYear: Record<string, number>;
  pooledFen: number;
  accountFen: number;
  totalFen: number;
  sentOn: string;
}

interface TransferRow {
  id: number;
  ref: string;
  direction: 'in' | 'out';
  id_hash: string;
  person_id: number | null;
  from_province: string;
  to_province: string;
  status: TransferStatus;
  applied_by: string;
  months: number | null;
  pooled_fen: number | null;
  account_fen: number | null;
  total_fen: number | null;
  funds: { pooledByYear?: Record<string, number> } | null;
  note: string | null;
  created_at: string;
  updated_at: string;
}

const SERVICE = 'pension-transfer';
const PROVINCE = /^[1-8]\d0000$/;

function notFound(id: number | string): SbError {
  return new SbError('SB_ERR_NOT_FOUND', { zh: `转移申请 ${id}`, en: `transfer ${id}` });
}

async function step(
  tx: Db,
  transferId: number,
  name: keyof typeof TRANSFER_STEP_LIMITS,
  node: string,
  from: string,
  note?: string,
) {
  const limit = TRANSFER_STEP_LIMITS[name];
  const on = today();
  const dueBy = limit > 0 ? addWorkingDays(from, limit, calendarFrom(projectParams())) : null;
  await sql`INSERT INTO fed_transfer_step (transfer_id, step, on_day, due_by, node, note)
    VALUES (${transferId}, ${name}, ${on}, ${dueBy}, ${node}, ${note ?? null})
    ON CONFLICT (transfer_id, step) DO NOTHING`.execute(tx);
}

async function caseStatus(
  tx: Db,
  t: { id: number; person_id: number | null },
  status: 'submitted' | 'accepted' | 'completed' | 'rejected',
  actor: string,
  regionCode: string,
  note: string,
) {
  const payload = {
    service: SERVICE,
    ref: `fed_transfer:${t.id}`,
    ...(t.person_id === null ? {} : { personId: t.person_id }),
    status,
    actor,
    note,
    regionCode,
  };
  await tx
    .insertInto('outbox')
    .values({ topic: 'case.status', payload: JSON.stringify(payload) })
    .execute();
}

async function byRef(tx: Db, ref: string, direction: 'in' | 'out'): Promise<TransferRow | undefined> {
  const r =
    await sql<TransferRow>`SELECT * FROM fed_transfer WHERE ref = ${ref} AND direction = ${direction} FOR UPDATE`.execute(
      tx,
    );
  return r.rows[0];
}

export class TransferService {
  constructor(
    private readonly db: Db,
    /** this instance's province code */
    private readonly self: string,
    private readonly provinces: readonly string[],
  ) {}

  /** Step 1–2 at the new place: the application and the letter of acceptance to the old place. */
  async apply(
    actor: Actor,
    input: { idNumber?: string; personId?: number; fromProvince: string },
  ): Promise<{ id: number; status: TransferStatus }> {
    if (
      !PROVINCE.test(input.fromProvince) ||
      !this.provinces.includes(input.fromProvince) ||
      input.fromProvince === this.self
    )
      throw new SbError('SB_ERR_VALIDATION', {
        field: 'fromProvince',
        zh: `转出省份 ${input.fromProvince} 不是联网的其他省份`,
        en: `${input.fromProvince} is not another province of the federation`,
      });
    return this.db.transaction().execute(async (tx) => {
      const personId = input.personId ?? (actor.role === 'citizen' ? actor.personId : null);
      let q = tx.selectFrom('person').select(['id', 'id_number', 'region', 'death_date']);
      if (input.idNumber !== undefined) q = q.where('id_number', '=', input.idNumber.toUpperCase());
      else if (personId !== null && personId !== undefined) q = q.where('id', '=', personId);
      else throw new SbError('SB_ERR_REQUIRED', { field: 'idNumber', zh: '身份证号码', en: 'idNumber' });
      const person = await q.executeTakeFirst();
      if (!person)
        throw new SbError('SB_ERR_NOT_FOUND', {
          field: 'idNumber',
          zh: '本省未登记此人',
          en: 'no such person registered in this province',
        });
      authorize(actor, 'transfer.apply', { personId: Number(person.id), region: person.region });
      const insured = await tx
        .selectFrom('enrolment')
        .select('id')
        .where('person_id', '=', person.id)
        .where('scheme', '=', 'employee_pension')
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (!insured)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: '申请转入须先在本省参加职工基本养老保险',
          en: 'the person must be insured in this province before applying to transfer in',
        });
      const open = await sql<{
        id: number;
      }>`SELECT id FROM fed_transfer WHERE person_id = ${person.id} AND direction = 'in'
        AND from_province = ${input.fromProvince} AND status IN ('requested', 'sent') LIMIT 1`.execute(tx);
      if (open.rows.length > 0)
        throw new SbError('SB_ERR_CONFLICT', {
          zh: `已有办理中的转移申请 ${open.rows[0]?.id}`,
          en: `transfer ${open.rows[0]?.id} is in progress`,
        });
      const ref = crypto.randomUUID();
      const on = today();
      const ins = await sql<{
        id: number;
      }>`INSERT INTO fed_transfer (ref, direction, id_hash, person_id, from_province, to_province, status, applied_by)
        VALUES (${ref}, 'in', ${idHash(person.id_number)}, ${person.id}, ${input.fromProvince}, ${this.self}, 'requested', ${actor.username})
        RETURNING id`.execute(tx);
      const id = int(ins.rows[0]?.id);
      await step(tx, id, 'applied', this.self, on);
      await step(tx, id, 'letter-sent', this.self, on, '同意接收函 / letter of acceptance');
      const body: TransferRequestBody = {
        ref,
        idNumber: person.id_number,
        toProvince: this.self,
        appliedOn: on,
      };
      await enqueue(tx, input.fromProvince, 'transfer.request', body);
      await caseStatus(
        tx,
        { id, person_id: Number(person.id) },
        'submitted',
        actor.username,
        person.region,
        `养老保险关系转入申请已受理，已向转出地（${input.fromProvince}）发出联系函`,
      );
      await appendAudit(tx, actor, {
        action: 'transfer.apply',
        entityType: 'fed_transfer',
        entityId: id,
        region: person.region,
        subjectPersonId: Number(person.id),
        after: { ref, fromProvince: input.fromProvince, toProvince: this.self, status: 'requested' },
      });
      return { id, status: 'requested' as const };
    });
  }

  async get(actor: Actor, id: number) {
    const r = await sql<
      TransferRow & { region: string | null }
    >`SELECT t.*, p.region FROM fed_transfer t LEFT JOIN person p ON p.id = t.person_id WHERE t.id = ${id}`.execute(
      this.db,
    );
    const t = r.rows[0];
    if (!t) throw notFound(id);
    authorize(actor, 'transfer.read', {
      personId: t.person_id === null ? null : Number(t.person_id),
      region: t.region ?? this.self,
    });
    return this.shape(t);
  }

  async list(actor: Actor, q: { ref?: string }) {
    authorize(actor, 'transfer.read');
    const r = await sql<
      TransferRow & { region: string | null }
    >`SELECT t.*, p.region FROM fed_transfer t LEFT JOIN person p ON p.id = t.person_id
      WHERE (${q.ref ?? null}::text IS NULL OR t.ref = ${q.ref ?? null})
        AND (${actor.role === 'citizen' ? actor.personId : null}::bigint IS NULL OR t.person_id = ${actor.role === 'citizen' ? actor.personId : null})
      ORDER BY t.id DESC LIMIT 500`.execute(this.db);
    const out = [];
    for (const t of r.rows) out.push(await this.shape(t));
    return out;
  }

  private async shape(t: TransferRow) {
    const steps = await sql<{
      step: string;
      on_day: string;
      due_by: string | null;
      node: string;
      note: string | null;
    }>`
      SELECT step, on_day, due_by, node, note FROM fed_transfer_step WHERE transfer_id = ${t.id}
      ORDER BY array_position(ARRAY['applied', 'letter-sent', 'funds-sent', 'credited', 'completed'], step), at`.execute(
      this.db,
    );
    const funds = t.funds ?? null;
    const n = (v: unknown) => (v === null || v === undefined ? null : int(v));
    return {
      id: int(t.id),
      ref: t.ref,
      direction: t.direction,
      status: t.status,
      personId: n(t.person_id),
      fromProvince: t.from_province,
      toProvince: t.to_province,
      appliedBy: t.applied_by,
      months: n(t.months),
      pooledFen: n(t.pooled_fen),
      accountFen: n(t.account_fen),
      totalFen: n(t.total_fen),
      pooledByYear: funds?.pooledByYear ?? null,
      note: t.note,
      steps: steps.rows.map((s) => ({
        step: s.step,
        on: String(s.on_day).slice(0, 10),
        dueBy: s.due_by === null ? null : String(s.due_by).slice(0, 10),
        node: s.node,
        note: s.note,
      })),
    };
  }
}

/** The message handlers of a province: each runs inside the transaction that takes the message in. */
export function transferHandlers(self: string): Record<string, Handler> {
  const actor = systemActor(`federation:${self}`);
  return {
    // Step 3 at the old place: compute the funds, post them out, send record and money.
    'transfer.request': async (tx, env: Envelope) => {
      const b = env.body as TransferRequestBody;
      if (await byRef(tx, b.ref, 'out')) return;
      const person = await tx
        .selectFrom('person')
        .select(['id', 'region', 'id_number'])
        .where('id_number', '=', b.idNumber)
        .executeTakeFirst();
      const on = today();
      const refuse = async (reason: string) => {
        await sql`INSERT INTO fed_transfer (ref, direction, id_hash, person_id, from_province, to_province, status, applied_by, note)
          VALUES (${b.ref}, 'out', ${idHash(b.idNumber)}, ${person?.id ?? null}, ${self}, ${env.from}, 'refused', ${env.from}, ${reason})`.execute(
          tx,
        );
        await enqueue(tx, env.from, 'transfer.refused', { ref: b.ref, reason });
      };
      if (!person) return refuse('转出地无此人参保记录 / no record of this person here');
      const months = await sql<{ period: string; base: unknown }>`
        SELECT l.period, sum(l.base_fen)::bigint AS base FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
        WHERE l.person_id = ${person.id} AND b.status = 'paid' AND b.payer_kind <> 'resident' AND (l.pension_employer_fen + l.pension_employee_fen) > 0
        GROUP BY l.period ORDER BY l.period`.execute(tx);
      if (months.rows.length === 0) return refuse('转出地无缴费记录 / no paid months here');
      const acct = await sql<{ credits: unknown; interest: unknown }>`
        SELECT (SELECT coalesce(sum(l.personal_account_fen), 0) FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
                WHERE l.person_id = ${person.id} AND b.status = 'paid')::bigint AS credits,
               (SELECT coalesce(sum(interest_fen), 0) FROM account_interest_credit WHERE person_id = ${person.id} AND fund = 'employee_pension')::bigint AS interest`.execute(
        tx,
      );
      const accountFen = int(acct.rows[0]?.credits) + int(acct.rows[0]?.interest);
      const segments = toSegments(months.rows.map((m) => ({ period: m.period, baseFen: int(m.base) })));
      const trace = new Trace();
      const funds = pensionTransferFunds({ segments, accountFen, accountType: 'regular' }, trace);
      const totalFen = funds.totalFen ?? funds.pooledFen + accountFen;
      const ins = await sql<{
        id: number;
      }>`INSERT INTO fed_transfer (ref, direction, id_hash, person_id, from_province, to_province, status, applied_by,
          months, pooled_fen, account_fen, total_fen, funds)
        VALUES (${b.ref}, 'out', ${idHash(b.idNumber)}, ${person.id}, ${self}, ${env.from}, 'sent', ${env.from},
          ${funds.months}, ${funds.pooledFen}, ${accountFen}, ${totalFen}, ${JSON.stringify({ segments, pooledByYear: funds.pooledByYear, trace: trace.steps })}::jsonb)
        RETURNING id`.execute(tx);
      const id = int(ins.rows[0]?.id);
      await step(tx, id, 'letter-sent', env.from, b.appliedOn, '收到同意接收函 / letter received');
      await step(tx, id, 'funds-sent', self, on, '转出关系和基金 / relation and funds sent');
      await postEntry(tx, actor, {
        fund: 'employee_pension',
        region: person.region,
        period: periodOf(on),
        entryDate: on,
        kind: 'transfer-out',
        description: `养老保险关系转出至 ${env.from} / pension relation transferred to ${env.from}`,
        idempotencyKey: `fed-transfer-out:${b.ref}`,
        source: { type: 'fed_transfer', id },
        lines: [
          { account: ACCOUNTS.transferExpenditure, debitFen: totalFen },
          { account: ACCOUNTS.bank, creditFen: totalFen },
        ],
      });
      await appendAudit(tx, actor, {
        action: 'transfer.send',
        entityType: 'fed_transfer',
        entityId: id,
        region: person.region,
        subjectPersonId: Number(person.id),
        after: {
          ref: b.ref,
          toProvince: env.from,
          months: funds.months,
          pooledFen: funds.pooledFen,
          accountFen,
          totalFen,
        },
      });
      const body: TransferFundsBody = {
        ref: b.ref,
        segments,
        months: funds.months,
        pooledByYear: funds.pooledByYear,
        pooledFen: funds.pooledFen,
        accountFen,
        totalFen,
        sentOn: on,
      };
      await enqueue(tx, env.from, 'transfer.funds', body);
      await enqueue(tx, NATIONAL, 'index.update', {
        idHash: idHash(b.idNumber),
        province: self,
        months: funds.months,
        lastPeriod: segments.at(-1)?.to ?? null,
        relationHeld: false,
      });
    },

    // Step 4 at the new place: post the money in, credit the record lines, confirm.
    'transfer.funds': async (tx, env) => {
      const b = env.body as TransferFundsBody;
      const t = await byRef(tx, b.ref, 'in');
      if (!t || t.status !== 'requested' || t.from_province !== env.from) return;
      const person = await tx
        .selectFrom('person')
        .select(['id', 'region', 'id_number'])
        .where('id', '=', Number(t.person_id))
        .executeTakeFirstOrThrow();
      const on = today();
      const id = int(t.id);
      await sql`UPDATE fed_transfer SET status = 'completed', months = ${b.months}, pooled_fen = ${b.pooledFen}, account_fen = ${b.accountFen},
        total_fen = ${b.totalFen}, funds = ${JSON.stringify({ segments: b.segments, pooledByYear: b.pooledByYear })}::jsonb, updated_at = now() WHERE id = ${id}`.execute(
        tx,
      );
      await step(tx, id, 'funds-sent', env.from, b.sentOn, '转出地已划转基金 / funds sent by the old place');
      await step(tx, id, 'credited', self, on, '记录个人权益 / record and account credited');
      if (b.segments.length > 0)
        await sql`INSERT INTO fed_credited_segment (transfer_id, line_no, person_id, from_province, from_period, to_period, monthly_base_fen)
          SELECT ${id}, s.n, ${person.id}, ${env.from}, s.f, s.t, s.b
          FROM unnest(${`{${b.segments.map((s) => s.from).join(',')}}`}::text[], ${`{${b.segments.map((s) => s.to).join(',')}}`}::text[],
                      ${`{${b.segments.map((s) => s.monthlyBaseFen).join(',')}}`}::bigint[]) WITH ORDINALITY AS s(f, t, b, n)
          ON CONFLICT DO NOTHING`.execute(tx);
      await postEntry(tx, actor, {
        fund: 'employee_pension',
        region: person.region,
        period: periodOf(on),
        entryDate: on,
        kind: 'transfer-in',
        description: `养老保险关系自 ${env.from} 转入 / pension relation transferred in from ${env.from}`,
        idempotencyKey: `fed-transfer-in:${b.ref}`,
        source: { type: 'fed_transfer', id },
        lines: [
          { account: ACCOUNTS.bank, debitFen: b.totalFen },
          { account: ACCOUNTS.transferIncome, creditFen: b.totalFen },
        ],
      });
      await appendAudit(tx, actor, {
        action: 'transfer.credit',
        entityType: 'fed_transfer',
        entityId: id,
        region: person.region,
        subjectPersonId: Number(person.id),
        before: { status: t.status },
        after: {
          status: 'completed',
          months: b.months,
          pooledFen: b.pooledFen,
          accountFen: b.accountFen,
          totalFen: b.totalFen,
        },
      });
      await enqueue(tx, env.from, 'transfer.booked', { ref: b.ref, bookedOn: on });
      const held = await sql<{
        months: unknown;
      }>`SELECT count(DISTINCT l.period)::bigint AS months FROM contribution_bill_line l JOIN contribution_bill bb ON bb.id = l.bill_id
        WHERE l.person_id = ${person.id} AND bb.status = 'paid' AND bb.payer_kind <> 'resident'`.execute(tx);
      await enqueue(tx, NATIONAL, 'index.update', {
        idHash: idHash(person.id_number),
        province: self,
        months: int(held.rows[0]?.months),
        lastPeriod: null,
        relationHeld: true,
      });
      await caseStatus(
        tx,
        t,
        'completed',
        actor.username,
        person.region,
        `养老保险关系已从 ${env.from} 转入：${b.months} 个月，转入资金 ${formatYuan(b.totalFen)} 元`,
      );
    },

    // The old place learns that the new place booked it: the transfer is complete on both sides.
    'transfer.booked': async (tx, env) => {
      const b = env.body as { ref: string; bookedOn: string };
      const t = await byRef(tx, b.ref, 'out');
      if (!t || t.status !== 'sent' || t.to_province !== env.from) return;
      await sql`UPDATE fed_transfer SET status = 'completed', updated_at = now() WHERE id = ${t.id}`.execute(
        tx,
      );
      await step(tx, int(t.id), 'completed', env.from, b.bookedOn, '转入地已记录 / booked at the new place');
    },

    'transfer.refused': async (tx, env) => {
      const b = env.body as { ref: string; reason: string };
      const t = await byRef(tx, b.ref, 'in');
      if (!t || t.status !== 'requested' || t.from_province !== env.from) return;
      await sql`UPDATE fed_transfer SET status = 'refused', note = ${b.reason}, updated_at = now() WHERE id = ${t.id}`.execute(
        tx,
      );
      const region = await tx
        .selectFrom('person')
        .select('region')
        .where('id', '=', Number(t.person_id))
        .executeTakeFirst();
      await caseStatus(
        tx,
        t,
        'rejected',
        actor.username,
        region?.region ?? self,
        `转出地不予转移：${b.reason}`,
      );
    },
  };
}

/** Money out of and into this province by transfers, from its journal (for the reliability check). */
export async function transferTotals(db: Db) {
  const r = await sql<{ out_fen: unknown; in_fen: unknown }>`
    SELECT coalesce(sum(l.debit_fen) FILTER (WHERE e.kind = 'transfer-out' AND l.account_code = ${ACCOUNTS.transferExpenditure}), 0)::bigint AS out_fen,
           coalesce(sum(l.credit_fen) FILTER (WHERE e.kind = 'transfer-in' AND l.account_code = ${ACCOUNTS.transferIncome}), 0)::bigint AS in_fen
    FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id WHERE e.kind IN ('transfer-out', 'transfer-in')`.execute(
    db,
  );
  return { outFen: int(r.rows[0]?.out_fen), inFen: int(r.rows[0]?.in_fen) };
}
