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
// pooling region (they may have no bill line here). The SQL is in account-interest.repository.ts.
import type { Actor } from '../auth/actor.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { today } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import * as repo from './account-interest.repository.ts';
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
  const bounds = await repo.interestPersonBounds(db);
  const lo = Number(bounds?.lo ?? 0);
  const hi = Number(bounds?.hi ?? -1);
  const job = await repo.startInterestJob(db, key, lo);
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
  const hasPrevious = await repo.yearCredited(db, region, year - 1);
  for (
    let from = Math.max(first, Math.floor(start / INTEREST_CHUNK) * INTEREST_CHUNK);
    from <= hi;
    from += INTEREST_CHUNK
  ) {
    const to = from + INTEREST_CHUNK - 1;
    await db.transaction().execute(async (tx) => {
      const r = await repo.creditInterestChunk(tx, { year, region, ratePercent, from, to, hasPrevious });
      for (const row of r) {
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
      await repo.interestChunkDone(tx, job.id, to + 1);
    });
    report.chunks++;
    opts.onProgress?.(Math.min(to, hi) - lo + 1, hi - lo + 1);
  }
  await db.transaction().execute(async (tx) => {
    await repo.interestJobDone(tx, job.id);
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
