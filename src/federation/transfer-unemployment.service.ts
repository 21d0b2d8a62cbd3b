// Unemployment relation transfer across provinces (domain-2.md §2.6): the person applies at the new
// place (POST /api/v1/transfers with kind `unemployment`); the exchange locates the place left; it
// stops any paying claim, computes the funds with `unemployment-transfer-funds` (the unpaid benefit
// plus half of it for the medical, training and placement subsidies; no funds under a year paid there)
// and posts them out of its unemployment fund; the new place posts them in and credits the months
// (contribution months carried, benefit months still due, paid at its own standard). Each step is one
// message taken in exactly once (fed.messaging.ts), on the same path as the pension transfer.
import { sql } from 'kysely';
import type { Note } from '../core/bilingual.ts';
import { systemActor } from '../auth/actor.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { periodOf } from '../core/dates.ts';
import { regionName } from '../core/regions.ts';
import { formatMoney } from '../core/money.ts';
import { Trace } from '../core/trace.ts';
import type { HolidayCalendar } from '../core/working-days.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { ClaimTransferService } from '../unemployment/claim-transfer.service.ts';
import { enqueue, idHash, type Handler } from './fed.messaging.ts';
import {
  noteJson,
  noteLine,
  personRegion,
  recordStep,
  transferByRef,
  transferCaseStatus,
} from './transfer.repository.ts';
import { UI_TRANSFER_STEP_LIMITS, unemploymentTransferFunds } from './transfer.rules.ts';

export interface UiTransferRequestBody {
  ref: string;
  idNumber: string;
  toProvince: string;
  appliedOn: string;
}

export interface UiTransferFundsBody {
  ref: string;
  contribMonths: number;
  carriedContribMonths: number;
  remainingMonths: number;
  outMonthlyFen: number;
  benefitFen: number;
  subsidiesFen: number;
  fundsMove: boolean;
  fundsFen: number;
  sentOn: string;
}

const step = (
  tx: Db,
  cal: HolidayCalendar,
  id: number,
  name: keyof typeof UI_TRANSFER_STEP_LIMITS,
  node: string,
  from: string,
  note?: Note,
) => recordStep(tx, cal, id, name, UI_TRANSFER_STEP_LIMITS[name], node, from, note);

export class UnemploymentTransferService {
  /** The messages of an unemployment insurance transfer a province takes in. */
  static handlers(self: string, cal: HolidayCalendar): Record<string, Handler> {
    const actor = systemActor(`federation:${self}`);
    return {
      // At the place left: stop the claim, compute and post the funds out, send them with the months.
      'ui-transfer.request': async (tx, env) => {
        const b = env.body as UiTransferRequestBody;
        if (typeof b.ref !== 'string' || (await transferByRef(tx, b.ref, 'out'))) return;
        const p = await tx
          .selectFrom('person')
          .select(['id', 'region', 'id_number'])
          .where('id_number', '=', String(b.idNumber))
          .executeTakeFirst();
        const on = today();
        if (!p) {
          const reason: Note = { zh: '转出地无此人参保记录', en: 'no record of this person here' };
          await sql`INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by, note)
            VALUES (${b.ref}, 'out', 'unemployment', ${idHash(String(b.idNumber))}, NULL, ${self}, ${env.from}, 'refused', ${env.from}, ${noteJson(reason)}::jsonb)`.execute(
            tx,
          );
          await enqueue(tx, env.from, 'transfer.refused', { ref: b.ref, reason: noteLine(reason) });
          return;
        }
        const personId = Number(p.id);
        const contribMonths = await new ClaimTransferService(tx).unemploymentContributionMonths(personId);
        // Months brought here by an earlier transfer in count too (domain-2.md §7.5 UT-03).
        const earlier = await sql<{ n: unknown }>`
          SELECT coalesce(sum((funds->>'contribMonths')::int), 0)::bigint AS n FROM fed_transfer
          WHERE person_id = ${personId} AND direction = 'in' AND kind = 'unemployment' AND status = 'completed'`.execute(
          tx,
        );
        const claim = await new ClaimTransferService(tx).stopClaimForTransfer(actor, personId, on, env.from);
        const trace = new Trace();
        const funds = unemploymentTransferFunds(
          {
            outPlaceContribMonths: contribMonths,
            remainingMonths: claim?.remainingMonths ?? 0,
            outMonthlyFen: claim?.monthlyFen ?? 0,
            earlierMonths: int(earlier.rows[0]?.n),
          },
          trace,
        );
        const body: UiTransferFundsBody = {
          ref: b.ref,
          contribMonths,
          carriedContribMonths: funds.carriedContribMonths,
          remainingMonths: claim?.remainingMonths ?? 0,
          outMonthlyFen: claim?.monthlyFen ?? 0,
          benefitFen: funds.benefitFen,
          subsidiesFen: funds.subsidiesFen,
          fundsMove: funds.fundsMove,
          fundsFen: funds.fundsFen,
          sentOn: on,
        };
        const ins = await sql<{ id: number }>`
          INSERT INTO fed_transfer (ref, direction, kind, id_hash, person_id, from_province, to_province, status, applied_by,
            months, total_fen, funds)
          VALUES (${b.ref}, 'out', 'unemployment', ${idHash(p.id_number)}, ${personId}, ${self}, ${env.from}, 'sent', ${env.from},
            ${body.remainingMonths}, ${funds.fundsFen}, ${JSON.stringify({ ...body, claimId: claim?.claimId ?? null, trace: trace.steps })}::jsonb)
          RETURNING id`.execute(tx);
        const id = int(ins.rows[0]?.id);
        await step(tx, cal, id, 'letter-sent', env.from, String(b.appliedOn), {
          zh: '收到转入联系函',
          en: 'letter received',
        });
        await step(tx, cal, id, 'funds-sent', self, String(b.appliedOn), {
          zh: '转出关系和基金',
          en: 'relation and funds sent',
        });
        if (funds.fundsFen > 0)
          await postEntry(tx, actor, {
            fund: 'unemployment',
            region: p.region,
            period: periodOf(on),
            entryDate: on,
            kind: 'transfer-out',
            description: `失业保险关系转出至${regionName(env.from)} / unemployment relation transferred to ${regionName(env.from, 'en')}`,
            idempotencyKey: `fed-ui-transfer-out:${b.ref}`,
            source: { type: 'fed_transfer', id },
            lines: [
              { account: ACCOUNTS.transferExpenditure, debitFen: funds.fundsFen },
              { account: ACCOUNTS.bank, creditFen: funds.fundsFen },
            ],
          });
        await appendAudit(tx, actor, {
          action: 'transfer.send',
          entityType: 'fed_transfer',
          entityId: id,
          region: p.region,
          subjectPersonId: personId,
          after: { kind: 'unemployment', toProvince: env.from, ...body },
        });
        await enqueue(tx, env.from, 'ui-transfer.funds', body);
      },

      // At the new place: post the funds in, credit the months, tell the place left.
      'ui-transfer.funds': async (tx, env) => {
        const b = env.body as UiTransferFundsBody;
        const t = await transferByRef(tx, String(b.ref), 'in');
        if (
          !t ||
          t.kind !== 'unemployment' ||
          t.status !== 'requested' ||
          t.from_province?.trim() !== env.from
        )
          return;
        const id = int(t.id);
        const on = today();
        const region = await personRegion(tx, t.person_id, self);
        const fundsFen = int(b.fundsFen);
        await sql`UPDATE fed_transfer SET status = 'completed', months = ${int(b.remainingMonths)}, total_fen = ${fundsFen},
          funds = ${JSON.stringify(b)}::jsonb, updated_at = now() WHERE id = ${id}`.execute(tx);
        await step(tx, cal, id, 'funds-sent', env.from, String(b.sentOn), {
          zh: '转出地已划转基金',
          en: 'funds sent by the place left',
        });
        await step(tx, cal, id, 'credited', self, on, {
          zh: '记录缴费月数和剩余领取月数',
          en: 'months credited',
        });
        if (fundsFen > 0)
          await postEntry(tx, actor, {
            fund: 'unemployment',
            region,
            period: periodOf(on),
            entryDate: on,
            kind: 'transfer-in',
            description: `失业保险关系自${regionName(env.from)}转入 / unemployment relation transferred in from ${regionName(env.from, 'en')}`,
            idempotencyKey: `fed-ui-transfer-in:${b.ref}`,
            source: { type: 'fed_transfer', id },
            lines: [
              { account: ACCOUNTS.bank, debitFen: fundsFen },
              { account: ACCOUNTS.transferIncome, creditFen: fundsFen },
            ],
          });
        await appendAudit(tx, actor, {
          action: 'transfer.credit',
          entityType: 'fed_transfer',
          entityId: id,
          region,
          subjectPersonId: t.person_id === null ? null : Number(t.person_id),
          before: { status: t.status },
          after: { status: 'completed', kind: 'unemployment', ...b },
        });
        await enqueue(tx, env.from, 'transfer.booked', { ref: b.ref, bookedOn: on });
        await transferCaseStatus(tx, t, 'completed', actor.username, region, {
          zh: `失业保险关系已从${regionName(env.from)}转入：累计缴费 ${int(b.carriedContribMonths)} 个月，剩余领取 ${int(b.remainingMonths)} 个月（按本地标准发放），转入资金 ${formatMoney(fundsFen)}`,
          en: `unemployment insurance moved in from ${regionName(env.from, 'en')}: ${int(b.carriedContribMonths)} months of contributions, ${int(b.remainingMonths)} months of benefit left (at this province's rates), ${formatMoney(fundsFen)} of funds`,
        });
      },
    };
  }
}
