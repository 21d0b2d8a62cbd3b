// Year-end personal-account interest (`shebao accounts interest --year`): set-based per chunk of
// persons, each chunk one transaction that writes the credits and posts their total (Dr pooled fund,
// Cr personal-account fund) with an idempotency key. A rerun credits nobody twice (primary key per
// person, fund and year); a crash resumes at the next chunk (progress in job_run).
//
// Accounts that moved with a pension relation count where they went (as the record does,
// pension/person-record.repository.ts): a credit to the record at the new place (pension_record_credit:
// a transfer in, either side of a scheme bridging) adds, the account a transfer sent from here
// (fed_transfer out, on the day the funds were sent) takes away. A move before the year is part of the
// opening balance; one within it earns from its month like a contribution of that month, (13 − m)/12
// of the year's rate, and is kept as moved_fen. Such a person belongs to the region by their own region's
// pooling region (they may have no bill line here).
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { accountInterestRate } from './account-interest.rules.ts';

export const INTEREST_CHUNK = 50_000;

export interface InterestReport {
  year: number;
  region: string;
  ratePercent: number;
  persons: number;
  interestFen: number;
  chunks: number;
  resumedFrom: number;
}

export async function runAccountInterest(
  db: Db,
  params: ParamStore,
  actor: Actor,
  opts: { year: number; region: string; onProgress?: (done: number, total: number) => void },
): Promise<InterestReport> {
  const { year, region } = opts;
  if (`${year}-12-31` > today())
    throw new SbError('SB_ERR_OUT_OF_RANGE', {
      field: 'year',
      zh: `${year} 年尚未结束`,
      en: `${year} has not ended`,
    });
  const ratePercent = accountInterestRate(params, year);
  const key = `${year}:${region}`;
  const bounds = await sql<{
    lo: number | null;
    hi: number | null;
  }>`SELECT min(lo)::bigint AS lo, max(hi)::bigint AS hi FROM (
        SELECT min(person_id) AS lo, max(person_id) AS hi FROM contribution_bill_line
        UNION ALL SELECT min(person_id), max(person_id) FROM pension_record_credit) b`.execute(db);
  const lo = Number(bounds.rows[0]?.lo ?? 0);
  const hi = Number(bounds.rows[0]?.hi ?? -1);
  await db
    .insertInto('job_run')
    .values({ kind: 'account-interest', key, status: 'running', detail: JSON.stringify({ next: lo }) })
    .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
    .execute();
  const job = await db
    .selectFrom('job_run')
    .selectAll()
    .where('kind', '=', 'account-interest')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  const detail = (typeof job.detail === 'string' ? JSON.parse(job.detail) : job.detail) as { next?: number };
  const start = job.status === 'done' ? hi + 1 : Math.max(lo, detail.next ?? lo);
  const report: InterestReport = {
    year,
    region,
    ratePercent,
    persons: 0,
    interestFen: 0,
    chunks: 0,
    resumedFrom: start,
  };
  const first = Math.floor(lo / INTEREST_CHUNK) * INTEREST_CHUNK;
  // Incremental when the year before was credited in this region (a bill of an earlier year paid
  // after that year's run is not in its opening balance: a known limit).
  const prevRow = await db
    .selectFrom('account_interest_credit')
    .select('year')
    .where('region', '=', region)
    .where('year', '=', year - 1)
    .limit(1)
    .executeTakeFirst();
  const hasPrevious = prevRow !== undefined;
  for (
    let from = Math.max(first, Math.floor(start / INTEREST_CHUNK) * INTEREST_CHUNK);
    from <= hi;
    from += INTEREST_CHUNK
  ) {
    const to = from + INTEREST_CHUNK - 1;
    await db.transaction().execute(async (tx) => {
      await sql`SET LOCAL work_mem = '256MB'`.execute(tx);
      // Accounts moved with a relation, by person and fund: before the year, within it, and the
      // within-year amounts weighted by the months they earn (13 − month).
      const pooling = sql`(CASE WHEN p.region LIKE '%00' THEN p.region ELSE left(p.region, 4) || '00' END)`;
      const moves = sql`
        moves AS (
          SELECT c.person_id, c.fund, c.period, c.account_fen AS fen
          FROM pension_record_credit c JOIN person p ON p.id = c.person_id
          WHERE c.account_fen <> 0 AND c.period <= ${`${year}-12`} AND c.person_id BETWEEN ${from} AND ${to} AND ${pooling} = ${region}
          UNION ALL
          SELECT t.person_id, 'employee_pension', to_char(s.on_day, 'YYYY-MM'), -t.account_fen
          FROM fed_transfer t JOIN fed_transfer_step s ON s.transfer_id = t.id AND s.step = 'funds-sent'
          JOIN person p ON p.id = t.person_id
          WHERE t.direction = 'out' AND t.kind = 'pension' AND t.status IN ('sent', 'completed') AND t.account_fen <> 0
            AND s.on_day <= ${`${year}-12-31`} AND t.person_id BETWEEN ${from} AND ${to} AND ${pooling} = ${region}
        ), mv AS (
          SELECT person_id, fund,
            sum(CASE WHEN period < ${`${year}-01`} THEN fen ELSE 0 END) AS before,
            sum(CASE WHEN period >= ${`${year}-01`} THEN fen ELSE 0 END) AS moved,
            sum(CASE WHEN period >= ${`${year}-01`} THEN fen * (13 - substr(period, 6, 2)::int) ELSE 0 END) AS moved_months
          FROM moves GROUP BY 1, 2
        )`;
      // When last year was credited, the opening balance is last year's closing and only this year's
      // lines and moves are read; otherwise (the first year) every earlier line and move is summed.
      const incremental = sql`
        WITH ${moves}, acc AS (
          SELECT l.person_id, CASE WHEN b.payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END AS fund,
            sum(l.personal_account_fen) AS during
          FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
          WHERE b.status = 'paid' AND b.region = ${region} AND l.period BETWEEN ${`${year}-01`} AND ${`${year}-12`} AND l.person_id BETWEEN ${from} AND ${to}
          GROUP BY 1, 2
        ), prev AS (
          SELECT person_id, fund, opening_fen + contributions_fen + moved_fen + interest_fen AS closing FROM account_interest_credit
          WHERE year = ${year - 1} AND region = ${region} AND person_id BETWEEN ${from} AND ${to}
        ), base AS (
          SELECT coalesce(a.person_id, p.person_id) AS person_id, coalesce(a.fund, p.fund) AS fund, coalesce(p.closing, 0) AS before,
            coalesce(a.during, 0) AS during, 0 AS moved, 0 AS moved_months
          FROM acc a FULL JOIN prev p ON p.person_id = a.person_id AND p.fund = a.fund
          UNION ALL
          SELECT person_id, fund, 0, 0, moved, moved_months FROM mv WHERE moved <> 0
        )`;
      const full = sql`
        WITH ${moves}, lines AS (
          SELECT l.person_id, CASE WHEN b.payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END AS fund,
            sum(CASE WHEN l.period < ${`${year}-01`} THEN l.personal_account_fen ELSE 0 END)
              + coalesce((SELECT sum(c.interest_fen) FROM account_interest_credit c WHERE c.person_id = l.person_id AND c.year < ${year}
                            AND c.fund = CASE WHEN b.payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END), 0) AS before,
            sum(CASE WHEN l.period >= ${`${year}-01`} THEN l.personal_account_fen ELSE 0 END) AS during
          FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
          WHERE b.status = 'paid' AND b.region = ${region} AND l.period <= ${`${year}-12`} AND l.person_id BETWEEN ${from} AND ${to}
          GROUP BY l.person_id, b.payer_kind
        ), base AS (
          SELECT person_id, fund, before, during, 0 AS moved, 0 AS moved_months FROM lines
          UNION ALL
          SELECT person_id, fund, before, 0, moved, moved_months FROM mv
        )`;
      const r = await sql<{ fund: string; n: number; interest: number }>`
        ${hasPrevious ? incremental : full}, ins AS (
          INSERT INTO account_interest_credit (person_id, fund, year, region, rate_percent, opening_fen, contributions_fen, moved_fen, interest_fen)
          SELECT person_id, fund, ${year}, ${region}, ${ratePercent}, sum(before), sum(during), sum(moved),
            round(sum(before) * ${ratePercent}::numeric / 100) + round(sum(during) * ${ratePercent}::numeric / 100 * 13 / 24)
              + round(sum(moved_months) * ${ratePercent}::numeric / 100 / 12)
          FROM base GROUP BY person_id, fund
          ON CONFLICT (person_id, fund, year) DO NOTHING
          RETURNING fund, interest_fen
        )
        SELECT fund, count(*)::bigint AS n, coalesce(sum(interest_fen), 0)::bigint AS interest FROM ins GROUP BY fund`.execute(
        tx,
      );
      for (const row of r.rows) {
        const interest = Number(row.interest);
        report.persons += Number(row.n);
        report.interestFen += interest;
        if (interest === 0) continue;
        await postEntry(tx, actor, {
          fund: row.fund as 'employee_pension' | 'resident_pension',
          region,
          period: `${year}-12`,
          entryDate: today(),
          kind: 'contribution.interest',
          description: `${year} 年个人账户记账利息（利率 ${ratePercent}%，人员 ${from}–${to}）/ account interest`,
          idempotencyKey: `interest:${year}:${region}:${row.fund}:${from}`,
          source: { type: 'account-interest', id: key },
          lines: [
            { account: ACCOUNTS.pooledFund, debitFen: interest },
            { account: ACCOUNTS.personalAccountFund, creditFen: interest },
            // The residents' fund is personal accounts through and through (no pooled contributions
            // to draw on): the interest its accounts are credited is the interest its deposits earn,
            // so it is booked as the fund's interest income too. Without this the credited interest
            // came out of nothing and the accounts exceeded the fund they are part of.
            ...(row.fund === 'resident_pension'
              ? [
                  { account: ACCOUNTS.bank, debitFen: interest },
                  { account: ACCOUNTS.interestIncome, creditFen: interest },
                ]
              : []),
          ],
        });
      }
      await tx
        .updateTable('job_run')
        .set({
          detail: JSON.stringify({ next: to + 1 }),
          done: sql`done + 1`,
          updated_at: new Date().toISOString(),
        })
        .where('id', '=', job.id)
        .execute();
    });
    report.chunks++;
    opts.onProgress?.(Math.min(to, hi) - lo + 1, hi - lo + 1);
  }
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('job_run')
      .set({ status: 'done', finished_at: new Date().toISOString(), updated_at: new Date().toISOString() })
      .where('id', '=', job.id)
      .execute();
    await appendAudit(tx, actor, {
      action: 'account.interest',
      entityType: 'job_run',
      entityId: job.id,
      region,
      after: report,
    });
  });
  return report;
}
