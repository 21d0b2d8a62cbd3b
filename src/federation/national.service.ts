// The national exchange (the same code in the `national` role): it holds the national person index —
// which provinces hold a segment of whose relation, by hashed ID number — and nothing else of a
// person. Provinces keep it current with `index.update` messages.
import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import { fundStatements } from '../ledger/fund-report.repository.ts';
import { Trace } from '../core/trace.ts';
import { enqueue, idHash, NATIONAL, type Handler } from './fed.messaging.ts';
import { articleForm, type FundFigures } from './national-article.rules.ts';
import { indexSegments, pensionPaymentPlace } from './transfer.rules.ts';

export interface IndexUpdate {
  idHash: string;
  province: string;
  months: number;
  lastPeriod: string | null;
  relationHeld: boolean;
}

// ---- national figures (fund income, expenditure and balance per province and in total) ----

// ---- the article's form (seed article, 中国劳动保障报 2022-01-19: "截至2021年9月底，养老、失业、工伤三项
// 基本险基金总收入4.78万亿元，总支出4.57万亿元，累计结余6.53万亿元") ----

export class NationalService {
  /** The national figures' messages the exchange takes in. */
  static nationalFigureHandlers(): Record<string, Handler> {
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

  /** The national figures' messages a province takes in. */
  static provinceFigureHandlers(self: string): Record<string, Handler> {
    return {
      'figures.request': async (tx, env) => {
        if (env.from !== NATIONAL) return;
        const { period } = env.body as { period: string };
        if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) return;
        await enqueue(tx, NATIONAL, 'figures.report', {
          period,
          province: self,
          funds: await new NationalService(tx).provinceFigures(period),
        });
      },
    };
  }

  /** The messages the exchange takes in for the national index. */
  static handlers(): Record<string, Handler> {
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

  constructor(private readonly db: Db) {}

  /** The provinces holding segments of one person (by hashed ID number). */
  async indexLookup(hash: string) {
    const r = await sql<{
      province: string;
      months: unknown;
      last_period: string | null;
      relation_held: boolean;
    }>`
    SELECT province, months, last_period, relation_held FROM fed_person_index WHERE id_hash = ${hash} ORDER BY last_period NULLS LAST, province`.execute(
      this.db,
    );
    return r.rows.map((x) => ({
      province: x.province,
      months: int(x.months),
      lastPeriod: x.last_period,
      relationHeld: x.relation_held,
    }));
  }

  async indexSummary() {
    const r = await sql<{ province: string; persons: unknown; held: unknown; multi: unknown }>`
    SELECT province, count(*)::bigint AS persons, count(*) FILTER (WHERE relation_held)::bigint AS held,
      count(*) FILTER (WHERE id_hash IN (SELECT id_hash FROM fed_person_index GROUP BY id_hash HAVING count(*) > 1))::bigint AS multi
    FROM fed_person_index GROUP BY province ORDER BY province`.execute(this.db);
    return r.rows.map((x) => ({
      province: x.province,
      persons: int(x.persons),
      relationsHeld: int(x.held),
      withOtherProvinces: int(x.multi),
    }));
  }

  /**
   * A province answers the exchange's request with its funds' figures, from its journal, in the form the
   * national figures are published in: income and expenditure from January through the period, and the
   * balance accumulated at the period's end ("1–9月基金总收入…总支出…截至9月底累计结余…").
   */
  async provinceFigures(period: string): Promise<FundFigures[]> {
    const byFund = new Map<string, FundFigures>();
    for (const s of await fundStatements(this.db, {
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

  /** The exchange asks every province for a period's figures (answers arrive as messages). */
  async requestFigures(provinces: readonly string[], period: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const p of provinces) await enqueue(tx, p, 'figures.request', { period });
    });
  }

  async nationalReport(provinces: readonly string[], period: string) {
    const r = await sql<{
      province: string;
      fund: string;
      income_fen: unknown;
      expenditure_fen: unknown;
      balance_fen: unknown;
      personal_account_fen: unknown;
      reported_at: unknown;
    }>`SELECT * FROM fed_national_figures WHERE period = ${period} ORDER BY province, fund`.execute(this.db);
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

  /**
   * The place of payment at retirement (66号 Art. 6) from the index's view of every province's
   * segments: the provinces in the order of their last month, the one holding the relation last.
   */
  async paymentPlace(idNumber: string, hukou: string) {
    const rows = await this.indexLookup(idHash(idNumber));
    const segments = indexSegments(rows);
    const trace = new Trace();
    const place = pensionPaymentPlace(hukou, segments, trace);
    return { ...place, segments, trace: trace.steps };
  }
}
