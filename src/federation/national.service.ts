// The national exchange (the same code in the `national` role): it holds the national person index —
// which provinces hold a segment of whose relation, by hashed ID number — and nothing else of a
// person. Provinces keep it current with `index.update` messages.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { fundStatements } from '../ledger/fund-report.repository.ts';
import { Trace } from '../core/trace.ts';
import { dec, formatYuan } from '../core/money.ts';
import { enqueue, idHash, NATIONAL, type Handler } from './fed.messaging.ts';
import { pensionPaymentPlace } from './transfer.rules.ts';

export interface IndexUpdate {
  idHash: string;
  province: string;
  months: number;
  lastPeriod: string | null;
  relationHeld: boolean;
}

export function nationalHandlers(): Record<string, Handler> {
  return {
    'index.update': async (tx, env) => {
      const b = env.body as IndexUpdate;
      // Only a province speaks for itself in the index.
      if (b.province !== env.from || !/^[0-9a-f]{64}$/.test(b.idHash)) return;
      await sql`INSERT INTO fed_person_index (id_hash, province, months, last_period, relation_held)
        VALUES (${b.idHash}, ${b.province}, ${b.months}, ${b.lastPeriod}, ${b.relationHeld})
        ON CONFLICT (id_hash, province) DO UPDATE SET months = excluded.months,
          last_period = coalesce(excluded.last_period, fed_person_index.last_period),
          relation_held = excluded.relation_held, updated_at = now()`.execute(tx);
    },
  };
}

/** The provinces holding segments of one person (by hashed ID number). */
export async function indexLookup(db: Db, hash: string) {
  const r = await sql<{
    province: string;
    months: unknown;
    last_period: string | null;
    relation_held: boolean;
  }>`
    SELECT province, months, last_period, relation_held FROM fed_person_index WHERE id_hash = ${hash} ORDER BY last_period NULLS LAST, province`.execute(
    db,
  );
  return r.rows.map((x) => ({
    province: x.province,
    months: int(x.months),
    lastPeriod: x.last_period,
    relationHeld: x.relation_held,
  }));
}

export async function indexSummary(db: Db) {
  const r = await sql<{ province: string; persons: unknown; held: unknown; multi: unknown }>`
    SELECT province, count(*)::bigint AS persons, count(*) FILTER (WHERE relation_held)::bigint AS held,
      count(*) FILTER (WHERE id_hash IN (SELECT id_hash FROM fed_person_index GROUP BY id_hash HAVING count(*) > 1))::bigint AS multi
    FROM fed_person_index GROUP BY province ORDER BY province`.execute(db);
  return r.rows.map((x) => ({
    province: x.province,
    persons: int(x.persons),
    relationsHeld: int(x.held),
    withOtherProvinces: int(x.multi),
  }));
}

// ---- national figures (fund income, expenditure and balance per province and in total) ----

export interface FundFigures {
  fund: string;
  incomeFen: number;
  expenditureFen: number;
  balanceFen: number;
  personalAccountFen: number;
}

/**
 * A province answers the exchange's request with its funds' figures, from its journal, in the form the
 * national figures are published in: income and expenditure from January through the period, and the
 * balance accumulated at the period's end ("1–9月基金总收入…总支出…截至9月底累计结余…").
 */
export async function provinceFigures(db: Db, period: string): Promise<FundFigures[]> {
  const byFund = new Map<string, FundFigures>();
  for (const s of await fundStatements(db, {
    fromPeriod: `${period.slice(0, 4)}-01`,
    throughPeriod: period,
  })) {
    const f = byFund.get(s.fund) ?? {
      fund: s.fund,
      incomeFen: 0,
      expenditureFen: 0,
      balanceFen: 0,
      personalAccountFen: 0,
    };
    f.incomeFen += s.incomeFen;
    f.expenditureFen += s.expenditureFen;
    f.balanceFen += s.balanceFen;
    f.personalAccountFen += s.personalAccountFen;
    byFund.set(s.fund, f);
  }
  return [...byFund.values()].sort((a, b) => (a.fund < b.fund ? -1 : 1));
}

export function provinceFigureHandlers(self: string): Record<string, Handler> {
  return {
    'figures.request': async (tx, env) => {
      if (env.from !== NATIONAL) return;
      const { period } = env.body as { period: string };
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) return;
      await enqueue(tx, NATIONAL, 'figures.report', {
        period,
        province: self,
        funds: await provinceFigures(tx, period),
      });
    },
  };
}

export function nationalFigureHandlers(): Record<string, Handler> {
  return {
    'figures.report': async (tx, env) => {
      const b = env.body as { period: string; province: string; funds: FundFigures[] };
      if (b.province !== env.from) return;
      for (const f of b.funds)
        await sql`INSERT INTO fed_national_figures (period, province, fund, income_fen, expenditure_fen, balance_fen, personal_account_fen)
          VALUES (${b.period}, ${b.province}, ${f.fund}, ${f.incomeFen}, ${f.expenditureFen}, ${f.balanceFen}, ${f.personalAccountFen})
          ON CONFLICT (period, province, fund) DO UPDATE SET income_fen = excluded.income_fen, expenditure_fen = excluded.expenditure_fen,
            balance_fen = excluded.balance_fen, personal_account_fen = excluded.personal_account_fen, reported_at = now()`.execute(
          tx,
        );
    },
  };
}

/** The exchange asks every province for a period's figures (answers arrive as messages). */
export async function requestFigures(db: Db, provinces: readonly string[], period: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const p of provinces) await enqueue(tx, p, 'figures.request', { period });
  });
}

export async function nationalReport(db: Db, provinces: readonly string[], period: string) {
  const r = await sql<{
    province: string;
    fund: string;
    income_fen: unknown;
    expenditure_fen: unknown;
    balance_fen: unknown;
    personal_account_fen: unknown;
    reported_at: unknown;
  }>`SELECT * FROM fed_national_figures WHERE period = ${period} ORDER BY province, fund`.execute(db);
  const byProvince: Record<string, { funds: FundFigures[]; reportedAt: string }> = {};
  const total = new Map<string, FundFigures>();
  for (const x of r.rows) {
    const f: FundFigures = {
      fund: x.fund,
      incomeFen: int(x.income_fen),
      expenditureFen: int(x.expenditure_fen),
      balanceFen: int(x.balance_fen),
      personalAccountFen: int(x.personal_account_fen),
    };
    const p = (byProvince[x.province] ??= {
      funds: [],
      reportedAt: new Date(String(x.reported_at)).toISOString(),
    });
    p.funds.push(f);
    const t = total.get(f.fund) ?? {
      fund: f.fund,
      incomeFen: 0,
      expenditureFen: 0,
      balanceFen: 0,
      personalAccountFen: 0,
    };
    t.incomeFen += f.incomeFen;
    t.expenditureFen += f.expenditureFen;
    t.balanceFen += f.balanceFen;
    t.personalAccountFen += f.personalAccountFen;
    total.set(f.fund, t);
  }
  const totalFunds = [...total.values()];
  return {
    period,
    provinces: byProvince,
    total: totalFunds,
    missing: provinces.filter((p) => !byProvince[p]),
    article: {
      total: articleForm(period, '全国', 'Nationwide', totalFunds),
      provinces: Object.fromEntries(
        Object.entries(byProvince).map(([p, v]) => [p, articleForm(period, p, p, v.funds)]),
      ),
    },
  };
}

// ---- the article's form (seed article, 中国劳动保障报 2022-01-19: "截至2021年9月底，养老、失业、工伤三项
// 基本险基金总收入4.78万亿元，总支出4.57万亿元，累计结余6.53万亿元") ----

const FUND_ZH: Record<string, string> = {
  employee_pension: '职工养老',
  resident_pension: '城乡居民养老',
  unemployment: '失业',
  injury: '工伤',
};
const FUND_EN: Record<string, string> = {
  employee_pension: 'employee pension',
  resident_pension: 'residents’ pension',
  unemployment: 'unemployment',
  injury: 'work injury',
};

/** An amount in fen as the article writes it: 万亿元, 亿元 or 万元 with two decimals (half-up), else 元. */
export function articleAmount(fenAmount: number): { zh: string; en: string } {
  const units: Array<[number, string, string]> = [
    [1_000_000_000_000_00, '万亿元', 'trillion yuan'],
    [100_000_000_00, '亿元', 'hundred million yuan'],
    [10_000_00, '万元', 'ten thousand yuan'],
  ];
  const abs = Math.abs(fenAmount);
  for (const [size, zh, en] of units)
    if (abs >= size) {
      const v = dec(fenAmount).div(size).toFixed(2);
      return { zh: `${v}${zh}`, en: `${v} ${en}` };
    }
  return { zh: `${formatYuan(fenAmount)}元`, en: `${formatYuan(fenAmount)} yuan` };
}

export interface ArticleForm {
  incomeFen: number;
  expenditureFen: number;
  balanceFen: number;
  funds: string[];
  zh: string;
  en: string;
}

/** Income and expenditure from January through the period, and the accumulated balance, as one sentence. */
export function articleForm(
  period: string,
  whereZh: string,
  whereEn: string,
  funds: FundFigures[],
): ArticleForm {
  const sum = (k: 'incomeFen' | 'expenditureFen' | 'balanceFen') => funds.reduce((s, f) => s + f[k], 0);
  const incomeFen = sum('incomeFen');
  const expenditureFen = sum('expenditureFen');
  const balanceFen = sum('balanceFen');
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  const names = funds.map((f) => f.fund);
  const zhFunds = `${names.map((f) => FUND_ZH[f] ?? f).join('、')}${names.length > 1 ? `${['', '一', '两', '三', '四'][names.length] ?? names.length}项` : ''}基金`;
  const enFunds = `the ${names.map((f) => FUND_EN[f] ?? f).join(', ')} fund${names.length > 1 ? 's' : ''}`;
  const [i, e, b] = [incomeFen, expenditureFen, balanceFen].map(articleAmount) as [
    { zh: string; en: string },
    { zh: string; en: string },
    { zh: string; en: string },
  ];
  return {
    incomeFen,
    expenditureFen,
    balanceFen,
    funds: names,
    zh: `${whereZh}：截至${year}年${month}月底，${zhFunds}总收入${i.zh}，总支出${e.zh}，累计结余${b.zh}。`,
    en: `${whereEn}: January–${period}, ${enFunds} took in ${i.en} and spent ${e.en}; accumulated balance at the end of ${period}: ${b.en}.`,
  };
}

/**
 * The place of payment at retirement (66号 Art. 6) from the index's view of every province's
 * segments: the provinces in the order of their last month, the one holding the relation last.
 */
export async function paymentPlace(db: Db, idNumber: string, hukou: string) {
  const rows = await indexLookup(db, idHash(idNumber));
  const ordered = [...rows.filter((r) => !r.relationHeld), ...rows.filter((r) => r.relationHeld)];
  const segments = ordered
    .filter((r) => r.months > 0)
    .map((r) => ({ province: r.province, months: r.months }));
  const trace = new Trace();
  const place = pensionPaymentPlace(hukou, segments, trace);
  return { ...place, segments, trace: trace.steps };
}
