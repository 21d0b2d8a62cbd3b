// The average wages of months credited before migration 1070 (pension relation transfer): the old place
// then sent the segments' bases only, so the new place booked them without the average wage their
// index needs, and the award and the rights record leave those months out (no index can be computed).
// The old place still has its bill lines: at start, the new place asks it once per transfer
// (`transfer.wages.request`), the old place answers each month's average wage of what it sent
// (`transfer.wages`), and the new place fills in the segments it booked from that province — split into
// runs of equal wage, each change audited. Only segments without a wage are touched, so a second answer
// changes nothing. Segments an old place carried on from an earlier one are not its own bill lines:
// those it cannot answer for, and they stay as they are.
import { sql } from 'kysely';
import { systemActor } from '../auth/actor.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { enqueue, type Handler } from './fed.messaging.ts';
import { personRegion, transferByRef } from './transfer.repository.ts';

interface WagesBody {
  ref: string;
  months: Array<{ period: string; averageWageFen: number }>;
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const next = (p: string): string => {
  const y = Number(p.slice(0, 4));
  const m = Number(p.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

export class CreditedWageRepair {
  constructor(private readonly db: Db) {}

  /** At start: one request per transfer in whose old place's own segments were booked without a wage. */
  async requestMissing(): Promise<{ requested: number }> {
    return this.db.transaction().execute(async (tx) => {
      const r = await sql<{ id: unknown; ref: string; from_province: string }>`
        SELECT t.id, t.ref, t.from_province FROM fed_transfer t
        WHERE t.direction = 'in' AND t.kind = 'pension' AND t.status = 'completed' AND t.from_province IS NOT NULL
          AND NOT coalesce((t.funds ? 'wagesAsked'), false)
          AND EXISTS (SELECT 1 FROM fed_credited_segment s WHERE s.transfer_id = t.id AND s.average_wage_fen IS NULL
            AND s.from_province = t.from_province)
        ORDER BY t.id FOR UPDATE OF t`.execute(tx);
      for (const t of r.rows) {
        await enqueue(tx, t.from_province.trim(), 'transfer.wages.request', { ref: t.ref });
        await sql`UPDATE fed_transfer SET funds = coalesce(funds, '{}'::jsonb) || jsonb_build_object('wagesAsked', true),
          updated_at = now() WHERE id = ${t.id}`.execute(tx);
      }
      return { requested: r.rows.length };
    });
  }

  static handlers(self: string): Record<string, Handler> {
    const actor = systemActor(`federation:${self}`);
    return {
      // At the old place: each month's average wage of the months it sent, from its own bill lines.
      'transfer.wages.request': async (tx, env) => {
        const b = env.body as { ref: string };
        const t = await transferByRef(tx, String(b.ref), 'out');
        if (!t || t.kind !== 'pension' || t.to_province.trim() !== env.from || t.person_id === null) return;
        if (!['sent', 'completed'].includes(t.status)) return;
        const w = await sql<{ period: string; wage: unknown }>`
          SELECT l.period, max(b.average_wage_fen)::bigint AS wage
          FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id,
            jsonb_array_elements(${JSON.stringify(t.funds?.['segments'] ?? [])}::jsonb) s
          WHERE l.person_id = ${t.person_id} AND b.status = 'paid' AND b.payer_kind <> 'resident'
            AND (l.pension_employer_fen + l.pension_employee_fen) > 0
            AND l.period BETWEEN s ->> 'from' AND s ->> 'to'
            AND coalesce(s ->> 'province', ${self}) = ${self}
          GROUP BY l.period ORDER BY l.period`.execute(tx);
        const body: WagesBody = {
          ref: t.ref,
          months: w.rows.map((r) => ({ period: r.period, averageWageFen: int(r.wage) })),
        };
        await enqueue(tx, env.from, 'transfer.wages', body);
      },
      // At the new place: fill in the segments booked from that province without a wage.
      'transfer.wages': async (tx, env) => {
        const b = env.body as WagesBody;
        const t = await transferByRef(tx, String(b.ref), 'in');
        if (!t || t.kind !== 'pension' || t.status !== 'completed' || t.from_province?.trim() !== env.from)
          return;
        const wage = new Map<string, number>();
        for (const m of Array.isArray(b.months) ? b.months : [])
          if (PERIOD.test(String(m.period)) && Number.isSafeInteger(m.averageWageFen) && m.averageWageFen > 0)
            wage.set(m.period, m.averageWageFen);
        const segs = await sql<{ line_no: number; from_period: string; to_period: string }>`
          SELECT line_no, from_period, to_period FROM fed_credited_segment
          WHERE transfer_id = ${t.id} AND average_wage_fen IS NULL AND from_province = ${env.from}
          ORDER BY line_no FOR UPDATE`.execute(tx);
        const max = await sql<{ n: unknown }>`
          SELECT coalesce(max(line_no), 0) AS n FROM fed_credited_segment WHERE transfer_id = ${t.id}`.execute(
          tx,
        );
        let lineNo = int(max.rows[0]?.n);
        const filled: Array<{ lineNo: number; from: string; to: string; averageWageFen: number }> = [];
        for (const s of segs.rows) {
          // Runs of months with the same wage; a month the answer lacks leaves the segment as it is.
          const runs: Array<{ from: string; to: string; w: number }> = [];
          let complete = true;
          for (let p = s.from_period; p <= s.to_period; p = next(p)) {
            const w = wage.get(p);
            if (w === undefined) {
              complete = false;
              break;
            }
            const last = runs.at(-1);
            if (last && last.w === w) last.to = p;
            else runs.push({ from: p, to: p, w });
          }
          if (!complete || runs.length === 0) continue;
          const [first, ...rest] = runs;
          await sql`UPDATE fed_credited_segment SET to_period = ${first!.to}, average_wage_fen = ${first!.w}
            WHERE transfer_id = ${t.id} AND line_no = ${s.line_no}`.execute(tx);
          filled.push({ lineNo: s.line_no, from: first!.from, to: first!.to, averageWageFen: first!.w });
          for (const r of rest) {
            lineNo += 1;
            await sql`INSERT INTO fed_credited_segment (transfer_id, line_no, person_id, from_province, from_period, to_period,
                monthly_base_fen, average_wage_fen, moved_out_by)
              SELECT transfer_id, ${lineNo}, person_id, from_province, ${r.from}, ${r.to}, monthly_base_fen, ${r.w}, moved_out_by
              FROM fed_credited_segment WHERE transfer_id = ${t.id} AND line_no = ${s.line_no}`.execute(tx);
            filled.push({ lineNo, from: r.from, to: r.to, averageWageFen: r.w });
          }
        }
        if (filled.length === 0) return;
        await appendAudit(tx, actor, {
          action: 'transfer.wages.credit',
          entityType: 'fed_transfer',
          entityId: int(t.id),
          region: await personRegion(tx, t.person_id, self),
          subjectPersonId: t.person_id === null ? null : Number(t.person_id),
          before: {
            segments: segs.rows.map((s) => ({
              lineNo: s.line_no,
              from: s.from_period,
              to: s.to_period,
              averageWageFen: null,
            })),
          },
          after: { segments: filled },
        });
      },
    };
  }
}
