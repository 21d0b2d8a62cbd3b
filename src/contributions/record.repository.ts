// The person's record (权益记录单): months contributed per scheme and year, bases, indices, the
// personal account with its interest, and the employers — from the paid bill lines and interest credits.
import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import type { IndexLine } from './contribution-index.rules.ts';

export interface RecordYearRow {
  year: number;
  fund: 'employee_pension' | 'resident_pension';
  pension_months: number;
  unemployment_months: number;
  injury_months: number;
  unpaid_months: number;
  base_sum: number;
  account_credit: number;
}

/**
 * The one query behind the contribution index Z: every paid employee-pension bill line of the
 * person (employers and flexible workers, not residents) with the average wage its bill was assessed
 * against, through `throughPeriod` when given. A month with two employers returns two lines.
 */
export async function contributionIndexLines(
  db: Db,
  personId: number,
  throughPeriod?: string,
): Promise<IndexLine[]> {
  const r = await sql<{ period: string; base_fen: unknown; average_wage_fen: unknown }>`
    SELECT l.period, l.base_fen, b.average_wage_fen
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
    WHERE l.person_id = ${personId} AND b.status = 'paid' AND b.payer_kind <> 'resident'
      AND (l.pension_employer_fen + l.pension_employee_fen) > 0
      ${throughPeriod === undefined ? sql`` : sql`AND l.period <= ${throughPeriod}`}
    ORDER BY l.period, l.bill_id`.execute(db);
  return r.rows.map(indexLineOf);
}

/**
 * The pension relations of the person transferred away (国办发〔2009〕66号; federation): the old
 * place's 'out' rows once sent. Their months and account moved with the relation and count where it
 * went, not here; the bill lines stay here as the copy kept for queries. One rule, read by the award
 * (pensionRecord) and by the record (recordSources): `who` is the person's id or a subquery giving it.
 */
export function movedOutTransfers(who: number | RawBuilder<unknown>) {
  return sql`SELECT t.id, t.to_province, t.account_fen, t.funds, t.created_at FROM fed_transfer t
    WHERE t.person_id = ${who} AND t.direction = 'out' AND t.kind = 'pension' AND t.status IN ('sent', 'completed')`;
}

/** The months those transfers moved, one row a month and province it went to (period, to_province). */
export function movedOutMonths(who: number | RawBuilder<unknown>) {
  return sql`SELECT DISTINCT to_char(g, 'YYYY-MM') AS period, t.to_province
    FROM (${movedOutTransfers(who)}) t, jsonb_array_elements(t.funds -> 'segments') s,
      generate_series(to_date(s ->> 'from', 'YYYY-MM'), to_date(s ->> 'to', 'YYYY-MM'), interval '1 month') g`;
}

/**
 * The months credited here by a pension transfer in (fed_credited_segment), one row a month, with the
 * province they came from and `to_province`: null while they count here, else the province a later
 * transfer of the relation took them to (A → B → C: B sends on what it credited from A with its own
 * months and marks the segments with that transfer, `moved_out_by`). The moved-out rule for credited
 * months, read by the award (pensionRecord) and the record (recordSources) like movedOutMonths.
 */
export function creditedMonths(who: number | RawBuilder<unknown>) {
  return sql`SELECT to_char(g, 'YYYY-MM') AS period, s.monthly_base_fen, s.average_wage_fen, s.from_province,
      s.transfer_id, s.line_no, t.to_province
    FROM fed_credited_segment s LEFT JOIN (${movedOutTransfers(who)}) t ON t.id = s.moved_out_by
      CROSS JOIN LATERAL generate_series(to_date(s.from_period, 'YYYY-MM'), to_date(s.to_period, 'YYYY-MM'), interval '1 month') g
    WHERE s.person_id = ${who}`;
}

function indexLineOf(x: { period: string; base_fen: unknown; average_wage_fen: unknown }): IndexLine {
  return { period: x.period, baseFen: int(x.base_fen), averageWageFen: int(x.average_wage_fen) };
}

export async function recordYears(db: Db, personId: number): Promise<RecordYearRow[]> {
  const r = await sql<RecordYearRow>`
    SELECT substr(l.period, 1, 4)::int AS year,
      CASE WHEN b.payer_kind = 'resident' THEN 'resident_pension' ELSE 'employee_pension' END AS fund,
      count(DISTINCT l.period) FILTER (WHERE b.status = 'paid' AND (l.pension_employer_fen + l.pension_employee_fen) > 0)::bigint AS pension_months,
      count(DISTINCT l.period) FILTER (WHERE b.status = 'paid' AND (l.unemployment_employer_fen + l.unemployment_employee_fen) > 0)::bigint AS unemployment_months,
      count(DISTINCT l.period) FILTER (WHERE b.status = 'paid' AND l.injury_fen > 0)::bigint AS injury_months,
      count(DISTINCT l.period) FILTER (WHERE b.status = 'open')::bigint AS unpaid_months,
      coalesce(sum(l.base_fen) FILTER (WHERE b.status = 'paid' AND b.payer_kind <> 'resident'), 0)::bigint AS base_sum,
      coalesce(sum(l.personal_account_fen) FILTER (WHERE b.status = 'paid'), 0)::bigint AS account_credit
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id
    WHERE l.person_id = ${personId} AND b.status <> 'cancelled'
    GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return r.rows.map(recordYearOf);
}

/** The counts and sums come back as bigint text (or JSON numbers): made numbers here. */
function recordYearOf(x: Omit<RecordYearRow, 'year'> & { year: number | string }): RecordYearRow {
  return {
    year: Number(x.year),
    fund: x.fund,
    pension_months: Number(x.pension_months),
    unemployment_months: Number(x.unemployment_months),
    injury_months: Number(x.injury_months),
    unpaid_months: Number(x.unpaid_months),
    base_sum: Number(x.base_sum),
    account_credit: Number(x.account_credit),
  };
}

export async function interestCredits(db: Db, personId: number) {
  const r = await db
    .selectFrom('account_interest_credit')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('year')
    .orderBy('fund')
    .execute();
  return r.map(interestCreditOf);
}

interface InterestCreditRow {
  year: number;
  fund: 'employee_pension' | 'resident_pension';
  rate_percent: number | string;
  opening_fen: number;
  contributions_fen: number;
  interest_fen: number;
}

function interestCreditOf(x: InterestCreditRow) {
  return {
    year: Number(x.year),
    fund: x.fund,
    ratePercent: Number(x.rate_percent),
    openingFen: Number(x.opening_fen),
    contributionsFen: Number(x.contributions_fen),
    interestFen: Number(x.interest_fen),
  };
}

interface RecordEmployerRow {
  employer_id: number;
  name: string;
  credit_code: string;
  first_period: string;
  last_period: string;
  months: number;
}

function recordEmployerOf(x: RecordEmployerRow) {
  return {
    employerId: Number(x.employer_id),
    name: x.name,
    creditCode: x.credit_code,
    firstPeriod: x.first_period,
    lastPeriod: x.last_period,
    months: Number(x.months),
  };
}

export async function recordEmployers(db: Db, personId: number) {
  const r = await sql<RecordEmployerRow>`
    SELECT e.id AS employer_id, e.name, e.credit_code, min(l.period) AS first_period, max(l.period) AS last_period, count(DISTINCT l.period)::bigint AS months
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id JOIN employer e ON e.id = b.employer_id
    WHERE l.person_id = ${personId} AND b.status = 'paid'
    GROUP BY e.id, e.name, e.credit_code ORDER BY min(l.period)`.execute(db);
  return r.rows.map(recordEmployerOf);
}

/** Line flags in recordSources' encoding (one small integer per line instead of five columns). */
const PENSION = 1;
const UNEMPLOYMENT = 2;
const INJURY = 4;
const PAID = 8;
const OPEN = 16;
const RESIDENT = 32;

type InterestRow = [
  year: number,
  fund: 'employee_pension' | 'resident_pension',
  ratePercent: number | string,
  openingFen: number,
  contributionsFen: number,
  interestFen: number,
];

/** What both record statements give. */
interface RecordRowBase {
  id_number: string;
  name: string;
  region: string;
  /** the summary's year rows (summaryRows), a JSON text */
  summary: string | null;
  employer_names: Array<[number, string, string]> | null;
  interest: InterestRow[] | null;
}

/** A row of the summary statement (summaryStatement). */
interface SummaryStatementRow extends RecordRowBase {
  /** the person's lines not in the summary (of open bills): all of them counted (index-only) less the summary's */
  unsummarized: number | string;
  /** a transfer credited or took months or an account (the lines statement reads them) */
  transfers: boolean;
}

/** A row of the lines statement (linesStatement). */
interface LinesStatementRow extends RecordRowBase {
  lines: LineRow[] | null;
  credited_lines: Array<[string, number, number, string, string | null]> | null;
  credits: Array<[string, 'employee_pension' | 'resident_pension', number, number, string, string]> | null;
  moved_months: Array<[string, string]> | null;
  moved_out: Array<[string, string, number]> | null;
}

/**
 * The person's year rows of the summary, as both statements send them: one JSON array text of the
 * rows' own texts (`row_json`, written with each row: migration 2026_12_04_1595), parsed in the
 * process; null without a row.
 */
const summaryRows = sql`'[' || string_agg(row_json, ',' ORDER BY year, fund) || ']'`;

/** The interest credits, as both statements send them. */
const interestRows = (who: RawBuilder<unknown>) => sql`(SELECT json_agg(json_build_array(year, fund,
    rate_percent, opening_fen, contributions_fen, interest_fen) ORDER BY year, fund)
  FROM account_interest_credit WHERE person_id = ${who})`;

/**
 * The record of most persons: the person, the person's year rows of the summary `record_year` (kept
 * by the database for every writer of bills and lines: migration 2026_12_01_1240), the employers'
 * names and the interest credits; and what says whether that is all — the person's lines counted
 * from the index (index-only) against the summary's closed lines (equal when no line is of an open
 * bill: a year's closed lines are some of its lines, so equal totals mean every year equal), and
 * whether a pension transfer ever credited or took anything of the person's. When it is not all, the
 * lines statement is read instead: a statement with the lines and the transfers in it costs the
 * database twice this one even when they are empty (issue 18).
 */
function summaryStatement(who: RawBuilder<unknown>) {
  return sql<SummaryStatementRow>`/* prepared */
    WITH y AS MATERIALIZED (
      SELECT year, fund, closed_lines, employers, row_json FROM record_year WHERE person_id = ${who})
    SELECT p.id_number, p.name, p.region,
      (SELECT ${summaryRows} FROM y) AS summary,
      (SELECT count(*) - (SELECT coalesce(sum(closed_lines), 0) FROM y)
        FROM contribution_bill_line WHERE person_id = ${who}) AS unsummarized,
      -- By their ids (an index probe each), not by a scan of all employers.
      (SELECT json_agg(json_build_array(e.id, e.name, e.credit_code)) FROM employer e
        WHERE e.id = ANY (ARRAY(SELECT y.employers[i][1] FROM y, generate_subscripts(y.employers, 1) i))) AS employer_names,
      ${interestRows(who)} AS interest,
      EXISTS (SELECT FROM fed_credited_segment WHERE person_id = ${who})
        OR EXISTS (SELECT FROM pension_record_credit WHERE person_id = ${who})
        OR EXISTS (${movedOutTransfers(who)}) AS transfers
    FROM person p WHERE p.id = ${who}`;
}

/**
 * The record of a person with a line of an open bill or a pension transfer: as the summary statement,
 * with the lines of the years whose lines are not all in the summary (every year when a relation
 * moved out: which months moved is decided month by month against the transfers, which a year row
 * cannot say), and what transfers and scheme bridging credited here or took away.
 */
function linesStatement(who: RawBuilder<unknown>) {
  return sql<LinesStatementRow>`/* prepared */
    WITH y AS MATERIALIZED (
      SELECT year, fund, closed_lines, employers, row_json FROM record_year WHERE person_id = ${who}),
    -- The years whose lines are not all in the summary (a line of an open bill): the person's lines
    -- counted by year from the index (index-only), against the summary's closed lines. Every year
    -- when a relation moved out.
    ly AS MATERIALIZED (
      SELECT n.year FROM (
          SELECT substr(period, 1, 4)::int AS year, count(*) AS n FROM contribution_bill_line
          WHERE person_id = ${who} GROUP BY 1) n
        LEFT JOIN (SELECT year, sum(closed_lines) AS c FROM y GROUP BY 1) c USING (year)
      WHERE n.n <> coalesce(c.c, 0) OR EXISTS (${movedOutTransfers(who)})),
    l AS MATERIALIZED (
      SELECT l.period, l.bill_id, l.base_fen, l.personal_account_fen, b.average_wage_fen, b.employer_id,
        CASE WHEN l.pension_employer_fen + l.pension_employee_fen > 0 THEN ${sql.lit(PENSION)} ELSE 0 END
          + CASE WHEN l.unemployment_employer_fen + l.unemployment_employee_fen > 0 THEN ${sql.lit(UNEMPLOYMENT)} ELSE 0 END
          + CASE WHEN l.injury_fen > 0 THEN ${sql.lit(INJURY)} ELSE 0 END
          + CASE b.status WHEN 'paid' THEN ${sql.lit(PAID)} WHEN 'open' THEN ${sql.lit(OPEN)} ELSE 0 END
          + CASE WHEN b.payer_kind = 'resident' THEN ${sql.lit(RESIDENT)} ELSE 0 END AS flags
      FROM ly JOIN contribution_bill_line l ON l.person_id = ${who}
          AND l.period BETWEEN (ly.year::text || '-01')::char(7) AND (ly.year::text || '-12')::char(7)
        JOIN contribution_bill b ON b.id = l.bill_id
      WHERE b.status <> 'cancelled')
    SELECT p.id_number, p.name, p.region,
      (SELECT ${summaryRows} FROM y WHERE year NOT IN (SELECT year FROM ly)) AS summary,
      (SELECT json_agg(ARRAY[substr(period, 1, 4)::bigint * 100 + substr(period, 6, 2)::bigint, base_fen, flags,
          personal_account_fen, average_wage_fen, coalesce(employer_id, 0)] ORDER BY period, bill_id) FROM l) AS lines,
      (SELECT json_agg(json_build_array(e.id, e.name, e.credit_code)) FROM employer e
        WHERE e.id = ANY (ARRAY(SELECT y.employers[i][1] FROM y, generate_subscripts(y.employers, 1) i
          UNION SELECT employer_id FROM l))) AS employer_names,
      ${interestRows(who)} AS interest,
      -- Months credited here by a pension transfer, one line a month, as the award reads them
      -- (pensionRecord: segments with the old place's average wage; those booked before it was sent
      -- have none and the award leaves them out, so does the record).
      -- A credited month a later transfer took on (creditedMonths) names where it went: shown, not counted.
      (SELECT json_agg(json_build_array(c.period, c.monthly_base_fen, c.average_wage_fen, c.from_province, c.to_province)
          ORDER BY c.period, c.transfer_id, c.line_no)
        FROM (${creditedMonths(who)}) c WHERE c.average_wage_fen IS NOT NULL) AS credited_lines,
      -- Months and account a transfer or a scheme bridging credited (or, negative, took) here.
      (SELECT json_agg(json_build_array(c.period, c.fund, c.months, c.account_fen, t.kind, t.from_province)
          ORDER BY c.period, c.id)
        FROM pension_record_credit c JOIN fed_transfer t ON t.id = c.source_id AND c.source_type = 'fed_transfer'
        WHERE c.person_id = ${who}) AS credits,
      -- The months and the account of a pension relation transferred away, by the award's rule
      -- (movedOutMonths, movedOutTransfers): still shown, no longer counted here.
      (SELECT json_agg(json_build_array(m.period, m.to_province) ORDER BY m.period, m.to_province)
        FROM (${movedOutMonths(who)}) m) AS moved_months,
      (SELECT json_agg(json_build_array(to_char(t.created_at, 'YYYY-MM'), t.to_province, coalesce(t.account_fen, 0))
          ORDER BY t.created_at, t.id)
        FROM (${movedOutTransfers(who)}) t) AS moved_out
    FROM person p WHERE p.id = ${who}`;
}

/**
 * A statement's text built once per process, every one of its parameters being the person's id
 * (issue 18: building the text from its parts on every request cost the server more than parsing
 * the answer). The id is a one-row subquery, not a bare parameter: the planner then cannot tailor a
 * plan to one person's statistics, so the prepared statement keeps its one generic plan instead of
 * planning again on every execution (a custom plan looked cheaper for each person and was chosen
 * every time: ~0.2–0.6 ms of planning per record). The plan is the same either way.
 */
function byPerson<R>(statement: (who: RawBuilder<unknown>) => RawBuilder<R>) {
  let compiled: CompiledQuery<R> | undefined;
  return async (db: Db, personId: number): Promise<R | undefined> => {
    compiled ??= statement(sql`(SELECT ${0}::bigint)`).compile(db);
    const r = await db.executeQuery<R>(
      CompiledQuery.raw(
        compiled.sql,
        compiled.parameters.map(() => personId),
      ),
    );
    return r.rows[0];
  };
}
const readSummary = byPerson(summaryStatement);
const readLines = byPerson(linesStatement);

/**
 * Everything the record needs, in one round trip for most persons (two for one with a line of an
 * open bill or a pension transfer): the person (undefined when there is none), the years, the
 * employers, the index lines, the interest credits and what transfers credited or took. The years,
 * the employers and the index lines are the same aggregates as recordYears, recordEmployers and
 * contributionIndexLines (record-sources.db.test.ts and record-summary.db.test.ts compare them with
 * reference queries over the lines for every person of a population).
 *
 * Why a summary: the record read every bill line of the person (one a month and payer: 133 for the
 * bench's person, in 133 heap blocks, each joined to its bill) on every request — ~1 ms of database
 * CPU and most of the process's. The summary is ~12 rows a person, one per year and fund. The lines
 * come back, where they are read, as one JSON array of integers per line (period as yyyymm, base,
 * flags, account, average wage, employer), the cheapest shape to send and to parse.
 */
export async function recordSources(db: Db, personId: number) {
  const head = await readSummary(db, personId);
  const row: (RecordRowBase & Partial<LinesStatementRow>) | undefined =
    head === undefined || (Number(head.unsummarized) === 0 && !head.transfers)
      ? head
      : await readLines(db, personId);
  if (row === undefined)
    return {
      person: undefined,
      years: [],
      employers: [],
      indexLines: [],
      interest: [],
      creditedLines: [],
      movedOutCreditedLines: [],
      credits: [],
      movedOutYears: [],
      movedOutLines: [],
      movedOut: [],
    } as const;
  const names = new Map(
    (row.employer_names ?? []).map(([id, name, creditCode]) => [id, { name, creditCode }]),
  );
  const moved = row.moved_months ?? [];
  const sources =
    moved.length > 0
      ? fromLineRows(row.lines ?? [], moved, names)
      : fromSummary(
          row.summary === null ? [] : (JSON.parse(row.summary) as SummaryRow[]),
          row.lines ?? [],
          names,
        );
  const credited = (row.credited_lines ?? []).map(
    ([period, baseFen, averageWageFen, fromProvince, toProvince]) => ({
      period,
      baseFen: Number(baseFen),
      averageWageFen: Number(averageWageFen),
      fromProvince: fromProvince.trim(),
      toProvince: toProvince === null ? null : toProvince.trim(),
    }),
  );
  return {
    person: { id: personId, id_number: row.id_number, name: row.name, region: row.region },
    ...sources,
    interest: (row.interest ?? []).map(
      ([year, fund, ratePercent, openingFen, contributionsFen, interestFen]) => ({
        year: Number(year),
        fund,
        ratePercent: Number(ratePercent),
        openingFen: Number(openingFen),
        contributionsFen: Number(contributionsFen),
        interestFen: Number(interestFen),
      }),
    ),
    creditedLines: credited.filter((l) => l.toProvince === null),
    /** the credited months a later transfer took on (not in `creditedLines`), with where they went */
    movedOutCreditedLines: credited
      .filter((l) => l.toProvince !== null)
      .map((l) => ({ ...l, toProvince: l.toProvince! })),
    credits: (row.credits ?? []).map(([period, fund, months, accountFen, kind, fromProvince]) => ({
      year: Number(period.slice(0, 4)),
      fund,
      months: Number(months),
      accountFen: Number(accountFen),
      kind: kind === 'scheme-bridging' ? ('bridging' as const) : ('transfer' as const),
      fromProvince: kind === 'scheme-bridging' ? null : fromProvince.trim(),
    })),
    /** the account each transfer took, in the month it was sent */
    movedOut: (row.moved_out ?? []).map(([period, toProvince, accountFen]) => ({
      year: Number(period.slice(0, 4)),
      toProvince: toProvince.trim(),
      accountFen: Number(accountFen),
    })),
  };
}

/** A row of record_year as the record statement sends it. */
type SummaryRow = [
  year: number,
  fund: 'employee_pension' | 'resident_pension',
  paidLines: number,
  pensionMonths: number,
  unemploymentMonths: number,
  injuryMonths: number,
  baseSum: number | string,
  accountCredit: number | string,
  indexLines: Array<[number, number, number]>,
  employers: Array<[number, number]>,
];

type LineRow = [number, number, number, number, number, number];

type EmployerNames = Map<number, { name: string; creditCode: string }>;

/**
 * yyyymm as 'YYYY-MM'. A working life is a few hundred distinct months and every record makes one text
 * a line (133 for the bench's person): each is made once per process and shared (issue 18).
 */
const periodTexts = new Map<number, string>();
function periodOf(ym: number): string {
  let text = periodTexts.get(ym);
  if (text === undefined) {
    text = `${Math.floor(ym / 100)}-${String(ym % 100).padStart(2, '0')}`;
    periodTexts.set(ym, text);
  }
  return text;
}

const byPeriod = (a: { period: string }, b: { period: string }) =>
  a.period < b.period ? -1 : a.period > b.period ? 1 : 0;

/**
 * The record's years, employers and index lines from the person's record_year rows of the years
 * whose lines are all settled, and from the lines of the other years (those with an open bill).
 */
function fromSummary(rows: SummaryRow[], lineRows: LineRow[], names: EmployerNames) {
  const fromLines = fromLineRows(lineRows, [], names);
  const years: RecordYearRow[] = [...fromLines.years];
  const indexLines: IndexLine[] = [...fromLines.indexLines];
  // The employers' paid months as a mask a year, from both sources (their years are disjoint).
  const masks = new Map<number, Map<number, number>>();
  const addMonths = (employerId: number, year: number, mask: number) => {
    let m = masks.get(employerId);
    if (m === undefined) masks.set(employerId, (m = new Map<number, number>()));
    m.set(year, (m.get(year) ?? 0) | mask);
  };
  // Indexed, not destructured: a record walks ~150 small arrays here, and destructuring them cost
  // more than all the rest of this function (issue 18).
  for (const l of lineRows) {
    const ym = l[0];
    const employerId = l[5];
    if (l[2] & PAID && names.has(employerId))
      addMonths(employerId, Math.floor(ym / 100), 1 << ((ym % 100) - 1));
  }
  for (const r of rows) {
    const year = r[0];
    if (r[2] > 0)
      years.push({
        year,
        fund: r[1],
        pension_months: r[3],
        unemployment_months: r[4],
        injury_months: r[5],
        unpaid_months: 0,
        base_sum: Number(r[6]),
        account_credit: Number(r[7]),
      });
    const lines = r[8];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      indexLines.push({ period: periodOf(l[0]), baseFen: l[1], averageWageFen: l[2] });
    }
    const emp = r[9];
    for (let i = 0; i < emp.length; i++) {
      const employerId = emp[i]![0];
      if (names.has(employerId)) addMonths(employerId, year, emp[i]![1]);
    }
  }
  const employers = new Map<number, { first: string; last: string; months: number }>();
  for (const [employerId, byYear] of masks) {
    const ys = [...byYear.keys()].sort((a, b) => a - b);
    const firstYear = ys[0]!;
    const lastYear = ys[ys.length - 1]!;
    const low = byYear.get(firstYear)!;
    const high = byYear.get(lastYear)!;
    let months = 0;
    for (const mask of byYear.values()) for (let m = mask; m !== 0; m &= m - 1) months++;
    employers.set(employerId, {
      first: `${firstYear}-${String(32 - Math.clz32(low & -low)).padStart(2, '0')}`,
      last: `${lastYear}-${String(32 - Math.clz32(high)).padStart(2, '0')}`,
      months,
    });
  }
  return {
    years: years.sort((a, b) => a.year - b.year || (a.fund < b.fund ? -1 : a.fund > b.fund ? 1 : 0)),
    employers: employerRowsOf(employers, names),
    // Stable: within a period, the lines keep their bill order (a period's lines come from one source).
    // Most records have them in order already (the summary's years in order, each year's in order).
    indexLines: indexLines.some((l, i) => i > 0 && byPeriod(indexLines[i - 1]!, l) > 0)
      ? indexLines.sort(byPeriod)
      : indexLines,
    /** the year rows of the months moved out, by the province they went to (not in `years`) */
    movedOutYears: [] as Array<RecordYearRow & { toProvince: string }>,
    /** their index lines (not in `indexLines`) */
    movedOutLines: [] as Array<IndexLine & { toProvince: string }>,
  };
}

function employerRowsOf(
  employers: Map<number, { first: string; last: string; months: number }>,
  names: EmployerNames,
) {
  return [...employers]
    .map(([employerId, e]) => ({
      employerId,
      name: names.get(employerId)!.name,
      creditCode: names.get(employerId)!.creditCode,
      firstPeriod: e.first,
      lastPeriod: e.last,
      months: e.months,
    }))
    .sort((a, b) =>
      a.firstPeriod < b.firstPeriod ? -1 : a.firstPeriod > b.firstPeriod ? 1 : a.employerId - b.employerId,
    );
}

/** The same from the person's lines, splitting off the months whose relation moved out. */
function fromLineRows(rows: LineRow[], movedMonths: Array<[string, string]>, names: EmployerNames) {
  const lines: Line[] = rows.map(([ym, baseFen, flags, accountFen, averageWageFen, employerId]) => ({
    period: periodOf(ym),
    baseFen,
    flags,
    accountFen,
    averageWageFen,
    employerId,
  }));
  // A month whose relation moved out (first province it went to, should two transfers name it).
  const movedTo = new Map<string, string>();
  for (const [period, toProvince] of movedMonths)
    if (!movedTo.has(period)) movedTo.set(period, toProvince.trim());
  // The relation moved is the employee pension's: a residents' line of such a month stays here.
  const movedOf = (l: Line) => (l.flags & RESIDENT ? undefined : movedTo.get(l.period));
  const here = movedTo.size === 0 ? lines : lines.filter((l) => movedOf(l) === undefined);
  const yearRows = yearsOf(here);
  const movedOutYears = [...new Set(movedTo.values())].flatMap((toProvince) =>
    yearsOf(lines.filter((l) => movedOf(l) === toProvince)).map((y) => ({ ...y, toProvince })),
  );
  // The employers: as recordEmployers (paid lines of an employer's bills, ordered by the first period).
  const employers = new Map<number, { first: string; last: string; periods: Set<string> }>();
  for (const l of lines) {
    if (!(l.flags & PAID) || !names.has(l.employerId)) continue;
    const e = employers.get(l.employerId);
    if (e === undefined)
      employers.set(l.employerId, { first: l.period, last: l.period, periods: new Set([l.period]) });
    else {
      e.last = l.period; // the lines come in period order
      e.periods.add(l.period);
    }
  }
  const employerRows = employerRowsOf(
    new Map([...employers].map(([id, e]) => [id, { first: e.first, last: e.last, months: e.periods.size }])),
    names,
  );
  // The index lines: as contributionIndexLines (paid employee-pension lines, by period and bill).
  const isIndexLine = (l: Line) => l.flags & PAID && !(l.flags & RESIDENT) && l.flags & PENSION;
  const indexLines: IndexLine[] = here
    .filter(isIndexLine)
    .map((l) => ({ period: l.period, baseFen: l.baseFen, averageWageFen: l.averageWageFen }));
  const movedOutLines = lines
    .filter((l) => movedOf(l) !== undefined && isIndexLine(l))
    .map((l) => ({
      period: l.period,
      baseFen: l.baseFen,
      averageWageFen: l.averageWageFen,
      toProvince: movedOf(l)!,
    }));
  return {
    years: yearRows,
    employers: employerRows,
    indexLines,
    movedOutYears,
    movedOutLines,
  };
}

interface Line {
  period: string;
  baseFen: number;
  flags: number;
  accountFen: number;
  averageWageFen: number;
  employerId: number;
}

/** The years of some lines: as recordYears (GROUP BY year, fund; months are distinct periods). */
function yearsOf(lines: Line[]): RecordYearRow[] {
  const years = new Map<
    string,
    {
      row: RecordYearRow;
      pension: Set<string>;
      unemployment: Set<string>;
      injury: Set<string>;
      open: Set<string>;
    }
  >();
  for (const l of lines) {
    const fund = l.flags & RESIDENT ? 'resident_pension' : 'employee_pension';
    const year = Number(l.period.slice(0, 4));
    const key = `${year}|${fund}`;
    let y = years.get(key);
    if (y === undefined) {
      y = {
        row: {
          year,
          fund,
          pension_months: 0,
          unemployment_months: 0,
          injury_months: 0,
          unpaid_months: 0,
          base_sum: 0,
          account_credit: 0,
        },
        pension: new Set(),
        unemployment: new Set(),
        injury: new Set(),
        open: new Set(),
      };
      years.set(key, y);
    }
    if (l.flags & PAID) {
      if (l.flags & PENSION) y.pension.add(l.period);
      if (l.flags & UNEMPLOYMENT) y.unemployment.add(l.period);
      if (l.flags & INJURY) y.injury.add(l.period);
      if (!(l.flags & RESIDENT)) y.row.base_sum += l.baseFen;
      y.row.account_credit += l.accountFen;
    }
    if (l.flags & OPEN) y.open.add(l.period);
  }
  return [...years.values()]
    .map((y) => ({
      ...y.row,
      pension_months: y.pension.size,
      unemployment_months: y.unemployment.size,
      injury_months: y.injury.size,
      unpaid_months: y.open.size,
    }))
    .sort((a, b) => a.year - b.year || (a.fund < b.fund ? -1 : a.fund > b.fund ? 1 : 0));
}

/** Bases and bills month by month for one year (the detail of the record). */
export async function recordMonths(db: Db, personId: number, year: number) {
  const r = await sql<{
    period: string;
    employer_name: string | null;
    payer_kind: string;
    base_fen: number;
    personal_account_fen: number;
    status: string;
    average_wage_fen: number;
  }>`
    SELECT l.period, e.name AS employer_name, b.payer_kind, l.base_fen, l.personal_account_fen, b.status, b.average_wage_fen
    FROM contribution_bill_line l JOIN contribution_bill b ON b.id = l.bill_id LEFT JOIN employer e ON e.id = b.employer_id
    WHERE l.person_id = ${personId} AND l.period BETWEEN ${`${year}-01`} AND ${`${year}-12`} AND b.status <> 'cancelled'
    ORDER BY l.period`.execute(db);
  return r.rows;
}
