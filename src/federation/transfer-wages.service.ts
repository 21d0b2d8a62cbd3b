// The average wages of months credited before migration 1070 (pension relation transfer): the old place
// then sent the segments' bases only, so the new place booked them without the average wage their
// index needs, and the award and the rights record leave those months out (no index can be computed).
// The old place still has its bill lines: at start, the new place asks it once per transfer
// (`transfer.wages.request`), the old place answers each month's average wage of what it sent
// (`transfer.wages`), and the new place fills in the segments it booked from that province — split into
// runs of equal wage, each change audited. Only segments without a wage are touched, so a second answer
// changes nothing. Each transfer in records where its repair stands (`fed_transfer.wages_repair`,
// migration 1420: needed → asked → answered, each step audited); the start reads only the `needed`
// ones (a partial index), so once all are answered it costs nothing, and an answer is taken only for a
// transfer that was asked, from the province it came from. Segments an old place carried on from an earlier one are not its own bill lines:
// those it cannot answer for, and they stay as they are. The SQL is in transfer-wages.repository.ts.
import { systemActor } from '../auth/actor.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { enqueue, type Handler } from './fed.messaging.ts';
import { personRegion, transferByRef } from './transfer.repository.ts';
import * as repo from './transfer-wages.repository.ts';

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
      const rows = await repo.transfersNeedingWages(tx);
      for (const t of rows) {
        const from = t.from_province.trim();
        await enqueue(tx, from, 'transfer.wages.request', { ref: t.ref });
        await repo.setWagesRepair(tx, t.id, 'asked');
        await appendAudit(tx, systemActor('federation'), {
          action: 'transfer.wages.request',
          entityType: 'fed_transfer',
          entityId: int(t.id),
          region: await personRegion(tx, t.person_id, from),
          subjectPersonId: t.person_id === null ? null : Number(t.person_id),
          before: { wagesRepair: 'needed' },
          after: { wagesRepair: 'asked', askedOf: from },
        });
      }
      return { requested: rows.length };
    });
  }

  /**
   * At the new place, in the transaction that booked a transfer's segments: mark it for the repair if
   * any of its old place's own segments came without a wage (an old place not yet sending them).
   */
  static async markIfMissing(tx: Db, transferId: number): Promise<void> {
    await repo.markWagesRepairNeeded(tx, transferId);
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
        const w = await repo.averageWagesSent(tx, t.person_id, t.funds?.['segments'] ?? [], self);
        const body: WagesBody = {
          ref: t.ref,
          months: w.map((r) => ({ period: r.period, averageWageFen: int(r.wage) })),
        };
        await enqueue(tx, env.from, 'transfer.wages', body);
      },
      // At the new place: fill in the segments booked from that province without a wage.
      'transfer.wages': async (tx, env) => {
        const b = env.body as WagesBody;
        const t = await transferByRef(tx, String(b.ref), 'in');
        if (!t || t.kind !== 'pension' || t.status !== 'completed' || t.from_province?.trim() !== env.from)
          return;
        // Only an answer to a request: nobody else may write wages into this province's record.
        if (t.wages_repair !== 'asked' && t.wages_repair !== 'answered') return;
        const wage = new Map<string, number>();
        for (const m of Array.isArray(b.months) ? b.months : [])
          if (PERIOD.test(String(m.period)) && Number.isSafeInteger(m.averageWageFen) && m.averageWageFen > 0)
            wage.set(m.period, m.averageWageFen);
        const segs = await repo.wagelessSegments(tx, t.id, env.from);
        let lineNo = await repo.lastSegmentLine(tx, t.id);
        const filled: Array<{ lineNo: number; from: string; to: string; averageWageFen: number }> = [];
        for (const s of segs) {
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
          await repo.setSegmentWage(tx, t.id, s.line_no, first!.to, first!.w);
          filled.push({ lineNo: s.line_no, from: first!.from, to: first!.to, averageWageFen: first!.w });
          for (const r of rest) {
            lineNo += 1;
            await repo.splitSegment(tx, t.id, s.line_no, {
              newLineNo: lineNo,
              from: r.from,
              to: r.to,
              averageWageFen: r.w,
            });
            filled.push({ lineNo, from: r.from, to: r.to, averageWageFen: r.w });
          }
        }
        const first = t.wages_repair === 'asked';
        if (first) await repo.setWagesRepair(tx, t.id, 'answered');
        if (filled.length === 0 && !first) return;
        await appendAudit(tx, actor, {
          action: 'transfer.wages.credit',
          entityType: 'fed_transfer',
          entityId: int(t.id),
          region: await personRegion(tx, t.person_id, self),
          subjectPersonId: t.person_id === null ? null : Number(t.person_id),
          before: {
            wagesRepair: t.wages_repair,
            segments: segs.map((s) => ({
              lineNo: s.line_no,
              from: s.from_period,
              to: s.to_period,
              averageWageFen: null,
            })),
          },
          after: { wagesRepair: 'answered', segments: filled },
        });
      },
    };
  }
}
