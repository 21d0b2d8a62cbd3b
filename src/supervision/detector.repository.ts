// The detectors as set-based SQL: each is one SELECT over the whole region that yields finding rows
// (region, fingerprint, person, employer, periods, amount at risk, evidence, summaries). The scan
// (scan.repository.ts) wraps each in one INSERT … ON CONFLICT (fingerprint) DO NOTHING, so a re-run adds
// no duplicate. The fingerprints follow detector.rules.ts `fingerprint` (detector:subject…:period).
// Readers of audit_log tolerate entries arriving late: an entry not yet written is found next scan.
import { sql, type RawBuilder } from 'kysely';
import type { IsoDate } from '../core/dates.ts';
import { regionCoversSql } from '../db/region-sql.ts';
import {
  thresholdsOf,
  windowStart,
  type DetectorName,
  type DetectorThresholds,
  type ThresholdUsed,
} from './detector.rules.ts';

export interface DetectorContext {
  region: string;
  asOf: IsoDate;
  t: DetectorThresholds;
  used: Record<keyof DetectorThresholds, ThresholdUsed>;
}

/** Integer fen as yuan text in SQL (integer arithmetic, as core/money.ts formatYuan). */
const yuan = (fenExpr: RawBuilder<unknown>): RawBuilder<string> =>
  // sum() of bigint is numeric: cast back so `/ 100` divides whole fen, not a decimal.
  sql<string>`(CASE WHEN ${fenExpr} < 0 THEN '-' ELSE '' END || (abs(${fenExpr})::bigint / 100)::text || '.' || lpad((abs(${fenExpr})::bigint % 100)::text, 2, '0'))`;

/** An English count with its noun in SQL, "1 month" or "3 months", as the rules' sentences write it. */
const counted = (n: RawBuilder<unknown>, one: string): RawBuilder<string> =>
  sql<string>`(${n} || CASE WHEN ${n} = 1 THEN ${sql.lit(` ${one}`)} ELSE ${sql.lit(` ${one}s`)} END)`;

const covers = (column: string, region: string) => regionCoversSql(sql.ref(column), region);

const params = (d: DetectorName, c: DetectorContext) => JSON.stringify(thresholdsOf(d, c.used));

/** Pension paid for months after the month of death, with no recovery case open for the death (死亡冒领). */
function pensionAfterDeath(c: DetectorContext): RawBuilder<unknown> {
  return sql`
    SELECT p.region, 'pension_after_death:p' || p.id || ':' || to_char(p.death_date, 'YYYY-MM') AS fingerprint,
      p.id AS person_id, NULL::bigint AS employer_id, min(pp.period) AS period_from, max(pp.period) AS period_to,
      sum(pp.amount_fen)::bigint AS amount,
      jsonb_build_object('deathDate', p.death_date, 'awardIds', jsonb_agg(DISTINCT a.id),
        'payments', jsonb_agg(jsonb_build_object('period', pp.period, 'amountFen', pp.amount_fen) ORDER BY pp.period),
        'recoveryCase', NULL) AS evidence,
      p.name || '于' || p.death_date || '死亡，此后仍发放养老金' || count(*) || '个月，共' || ${yuan(sql`sum(pp.amount_fen)`)} || '元' AS summary_zh,
      'Died ' || p.death_date || '; pension still paid for ' || ${counted(sql`count(*)`, 'month')} || ' after, ' || ${yuan(sql`sum(pp.amount_fen)`)} || ' yuan' AS summary_en
    FROM person p
    JOIN pension_award a ON a.person_id = p.id
    JOIN pension_payment pp ON pp.award_id = a.id AND pp.kind = 'regular'
    WHERE p.death_date IS NOT NULL AND ${covers('p.region', c.region)}
      AND pp.period > to_char(p.death_date, 'YYYY-MM')
      AND NOT EXISTS (SELECT 1 FROM recovery_case rc WHERE rc.person_id = p.id AND rc.reason = 'death')
    GROUP BY p.id`;
}

/** Unemployment benefit paid for months after the month of death. */
function unemploymentAfterDeath(c: DetectorContext): RawBuilder<unknown> {
  return sql`
    SELECT p.region, 'unemployment_after_death:p' || p.id || ':' || to_char(p.death_date, 'YYYY-MM') AS fingerprint,
      p.id AS person_id, NULL::bigint AS employer_id, min(u.period) AS period_from, max(u.period) AS period_to,
      sum(u.amount_fen + u.medical_fen)::bigint AS amount,
      jsonb_build_object('deathDate', p.death_date, 'claimIds', jsonb_agg(DISTINCT u.claim_id),
        'payments', jsonb_agg(jsonb_build_object('period', u.period, 'amountFen', u.amount_fen, 'medicalFen', u.medical_fen) ORDER BY u.period)) AS evidence,
      p.name || '于' || p.death_date || '死亡，此后仍发放失业金' || count(*) || '个月，共' || ${yuan(sql`sum(u.amount_fen + u.medical_fen)`)} || '元' AS summary_zh,
      'Died ' || p.death_date || '; unemployment benefit still paid for ' || ${counted(sql`count(*)`, 'month')} || ' after, ' || ${yuan(sql`sum(u.amount_fen + u.medical_fen)`)} || ' yuan' AS summary_en
    FROM person p
    JOIN unemployment_payment u ON u.person_id = p.id
    WHERE p.death_date IS NOT NULL AND ${covers('p.region', c.region)}
      AND u.period > to_char(p.death_date, 'YYYY-MM')
    GROUP BY p.id`;
}

/** An employee pension and a resident pension paid for the same month (重复领取): the resident one is refunded. */
function doublePension(c: DetectorContext): RawBuilder<unknown> {
  return sql`
    SELECT p.region, 'double_pension:p' || p.id || ':' || min(r.period) AS fingerprint,
      p.id AS person_id, NULL::bigint AS employer_id, min(r.period) AS period_from, max(r.period) AS period_to,
      sum(r.amount_fen)::bigint AS amount,
      jsonb_build_object('employeeAwardId', min(ea.id), 'residentAwardId', min(ra.id), 'months', count(*),
        'employeeFen', sum(e.amount_fen)::bigint, 'residentFen', sum(r.amount_fen)::bigint) AS evidence,
      p.name || '同时领取职工和城乡居民基本养老金' || count(*) || '个月，应退居民养老金' || ${yuan(sql`sum(r.amount_fen)`)} || '元' AS summary_zh,
      'Employee and resident basic pension both paid for ' || ${counted(sql`count(*)`, 'month')} || '; the resident pension to refund is ' || ${yuan(sql`sum(r.amount_fen)`)} || ' yuan' AS summary_en
    FROM pension_award ea
    JOIN person p ON p.id = ea.person_id
    JOIN pension_award ra ON ra.person_id = ea.person_id AND ra.scheme = 'resident_pension'
    JOIN pension_payment e ON e.award_id = ea.id AND e.kind = 'regular'
    JOIN pension_payment r ON r.award_id = ra.id AND r.kind = 'regular' AND r.period = e.period
    WHERE ea.scheme = 'employee_pension' AND ${covers('p.region', c.region)}
    GROUP BY p.id`;
}

/** Unemployment benefit for a month the person was also paid a pension. */
function pensionAndUnemployment(c: DetectorContext): RawBuilder<unknown> {
  return sql`
    SELECT p.region, 'pension_and_unemployment:p' || p.id || ':' || min(u.period) AS fingerprint,
      p.id AS person_id, NULL::bigint AS employer_id, min(u.period) AS period_from, max(u.period) AS period_to,
      sum(u.amount_fen + u.medical_fen)::bigint AS amount,
      jsonb_build_object('claimIds', jsonb_agg(DISTINCT u.claim_id), 'awardIds', jsonb_agg(DISTINCT a.id),
        'periods', jsonb_agg(u.period ORDER BY u.period), 'pensionFen', sum(pp.amount_fen)::bigint) AS evidence,
      p.name || '领取养老金期间同月领取失业金' || count(*) || '个月，共' || ${yuan(sql`sum(u.amount_fen + u.medical_fen)`)} || '元' AS summary_zh,
      'Unemployment benefit paid in ' || ${counted(sql`count(*)`, 'month')} || ' the pension was also paid: ' || ${yuan(sql`sum(u.amount_fen + u.medical_fen)`)} || ' yuan' AS summary_en
    FROM unemployment_payment u
    JOIN person p ON p.id = u.person_id
    JOIN pension_award a ON a.person_id = u.person_id
    JOIN pension_payment pp ON pp.award_id = a.id AND pp.kind = 'regular' AND pp.period = u.period
    WHERE ${covers('p.region', c.region)}
    GROUP BY p.id`;
}

/** Unemployment benefit for a month another employer declared the person as its employee (就业后继续领取). */
function unemploymentWhileEmployed(c: DetectorContext): RawBuilder<unknown> {
  return sql`
    WITH hit AS (
      SELECT DISTINCT ON (u.id) u.person_id, u.period, u.amount_fen, u.medical_fen, u.claim_id, b.employer_id, l.base_fen
      FROM unemployment_payment u
      JOIN unemployment_claim uc ON uc.id = u.claim_id
      JOIN contribution_bill_line l ON l.person_id = u.person_id AND l.period = u.period
      JOIN contribution_bill b ON b.id = l.bill_id AND b.payer_kind = 'employer' AND b.status <> 'cancelled'
        AND b.employer_id <> uc.employer_id
      WHERE ${covers('u.region', c.region)}
      ORDER BY u.id, b.employer_id
    )
    SELECT p.region, 'unemployment_while_employed:p' || p.id || ':' || min(h.period) AS fingerprint,
      p.id AS person_id, min(h.employer_id) AS employer_id, min(h.period) AS period_from, max(h.period) AS period_to,
      sum(h.amount_fen + h.medical_fen)::bigint AS amount,
      jsonb_build_object('claimIds', jsonb_agg(DISTINCT h.claim_id), 'employerIds', jsonb_agg(DISTINCT h.employer_id),
        'months', jsonb_agg(jsonb_build_object('period', h.period, 'benefitFen', h.amount_fen, 'baseFen', h.base_fen) ORDER BY h.period)) AS evidence,
      p.name || '被单位申报参保期间领取失业金' || count(*) || '个月，共' || ${yuan(sql`sum(h.amount_fen + h.medical_fen)`)} || '元' AS summary_zh,
      'Unemployment benefit paid for ' || ${counted(sql`count(*)`, 'month')} || ' another employer declared the person as employed: ' || ${yuan(sql`sum(h.amount_fen + h.medical_fen)`)} || ' yuan' AS summary_en
    FROM hit h JOIN person p ON p.id = h.person_id
    WHERE ${covers('p.region', c.region)}
    GROUP BY p.id`;
}

/** Regular pension payments for months from the suspension on, while the award stays suspended (违规发放). */
function pensionWhileSuspended(c: DetectorContext): RawBuilder<unknown> {
  return sql`
    SELECT p.region, 'pension_while_suspended:a' || a.id || ':' || a.suspended_from_period AS fingerprint,
      p.id AS person_id, NULL::bigint AS employer_id, min(pp.period) AS period_from, max(pp.period) AS period_to,
      sum(pp.amount_fen)::bigint AS amount,
      jsonb_build_object('awardId', a.id, 'suspendedFrom', a.suspended_from_period, 'suspendReasonCode', a.suspend_reason_code,
        'periods', jsonb_agg(pp.period ORDER BY pp.period))
        -- a clerk's own words beside the code 'other'; the sweep's code says it all
        || CASE WHEN a.suspend_reason IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('suspendReason', a.suspend_reason) END AS evidence,
      p.name || '的养老金自' || a.suspended_from_period || '暂停，仍发放' || count(*) || '个月，共' || ${yuan(sql`sum(pp.amount_fen)`)} || '元' AS summary_zh,
      'Pension suspended from ' || a.suspended_from_period || ' but paid for ' || ${counted(sql`count(*)`, 'month')} || ': ' || ${yuan(sql`sum(pp.amount_fen)`)} || ' yuan' AS summary_en
    FROM pension_award a
    -- a probe per suspended award of its person and its payments (OFFSET 0 keeps each one): with the
    -- awards' region statistics (migration 1580) plain joins hashed every person and every payment
    -- of every period against the few suspended awards
    CROSS JOIN LATERAL (SELECT p.id, p.name, p.region FROM person p WHERE p.id = a.person_id OFFSET 0) p
    CROSS JOIN LATERAL (SELECT pp.period, pp.amount_fen FROM pension_payment pp
      WHERE pp.award_id = a.id AND pp.kind = 'regular' AND pp.period >= a.suspended_from_period OFFSET 0) pp
    WHERE a.status = 'suspended' AND ${covers('a.region', c.region)}
    GROUP BY p.id, a.id, p.name, p.region`;
}

/**
 * An employment that starts within the window before the retirement date, at a base at or above the
 * threshold (percent of the bill's average wage) or with back-payment bills (虚构劳动关系 / 挂靠).
 * The amount at risk is the pension paid so far under the award.
 */
function lateCareerHire(c: DetectorContext): RawBuilder<unknown> {
  return sql`
    WITH late AS (
      SELECT e.id AS employment_id, e.person_id, e.employer_id, e.start_date, a.id AS award_id, a.retirement_date
      FROM pension_award a
      JOIN employment e ON e.person_id = a.person_id
        AND e.start_date <= a.retirement_date
        AND e.start_date > (a.retirement_date - make_interval(months => ${c.t.lateHireWindowMonths}))::date
      WHERE a.scheme = 'employee_pension' AND ${covers('a.region', c.region)}
    ), lines AS (
      SELECT l.employment_id, count(*) AS months, max(ln.base_fen) AS max_base, max(b.average_wage_fen) AS average_wage,
        count(*) FILTER (WHERE b.back_payment) AS back_months,
        count(*) FILTER (WHERE ln.base_fen * 100 >= ${c.t.lateHireBasePercent} * b.average_wage_fen AND b.average_wage_fen > 0) AS high_months
      FROM late l
      JOIN contribution_bill_line ln ON ln.person_id = l.person_id
      JOIN contribution_bill b ON b.id = ln.bill_id AND b.employer_id = l.employer_id AND b.status <> 'cancelled'
      GROUP BY l.employment_id
    )
    SELECT p.region, 'late_career_hire:p' || p.id || ':e' || l.employment_id AS fingerprint,
      p.id AS person_id, l.employer_id, to_char(l.start_date, 'YYYY-MM') AS period_from, to_char(l.retirement_date, 'YYYY-MM') AS period_to,
      coalesce((SELECT sum(pp.amount_fen) FROM pension_payment pp WHERE pp.award_id = l.award_id), 0)::bigint AS amount,
      jsonb_build_object('employmentId', l.employment_id, 'startDate', l.start_date, 'retirementDate', l.retirement_date,
        'awardId', l.award_id, 'monthsDeclared', x.months, 'maxBaseFen', x.max_base, 'averageWageFen', x.average_wage,
        'ceilingMonths', x.high_months, 'backPaymentMonths', x.back_months, 'thresholds', ${params('late_career_hire', c)}::jsonb) AS evidence,
      p.name || '于退休前' || (l.retirement_date - l.start_date) || '天入职，' ||
        CASE WHEN x.back_months > 0 THEN '补缴' || x.back_months || '个月' ELSE '按' || x.high_months || '个月高基数缴费' END AS summary_zh,
      'Hired ' || ${counted(sql`(l.retirement_date - l.start_date)`, 'day')} || ' before retirement; ' ||
        CASE WHEN x.back_months > 0 THEN ${counted(sql`x.back_months`, 'month')} || ' paid back' ELSE ${counted(sql`x.high_months`, 'month')} || ' at a base at or above the ceiling' END AS summary_en
    FROM late l
    JOIN lines x ON x.employment_id = l.employment_id
    JOIN person p ON p.id = l.person_id
    WHERE x.back_months > 0 OR x.high_months > 0`;
}

/**
 * Back payments (bills for months already past due) by person and employer with no approved 补录
 * behind them for at least the minimum of months, or a lump of years even with one (违规补缴).
 */
function backPaymentUndocumented(c: DetectorContext): RawBuilder<unknown> {
  return sql`
    WITH back AS (
      SELECT ln.person_id, b.employer_id, count(DISTINCT ln.period) AS months, min(ln.period) AS first_period,
        max(ln.period) AS last_period,
        sum(ln.pension_employer_fen + ln.pension_employee_fen + ln.unemployment_employer_fen + ln.unemployment_employee_fen + ln.injury_fen)::bigint AS amount,
        array_agg(DISTINCT b.id) AS bill_ids
      FROM contribution_bill b
      JOIN contribution_bill_line ln ON ln.bill_id = b.id
      WHERE b.back_payment AND b.payer_kind = 'employer' AND b.status <> 'cancelled' AND ${covers('b.region', c.region)}
      GROUP BY ln.person_id, b.employer_id
    ), judged AS (
      SELECT k.*, EXISTS (SELECT 1 FROM employment_back_entry be WHERE be.person_id = k.person_id
        AND be.employer_id = k.employer_id AND be.status = 'approved') AS documented
      FROM back k
    )
    SELECT p.region, 'back_payment_undocumented:p' || p.id || ':e' || j.employer_id || ':' || j.first_period AS fingerprint,
      p.id AS person_id, j.employer_id, j.first_period AS period_from, j.last_period AS period_to, j.amount,
      jsonb_build_object('months', j.months, 'documented', j.documented, 'billIds', to_jsonb(j.bill_ids),
        'reason', CASE WHEN j.months >= ${c.t.backPaymentLumpMonths} THEN 'lump_sum' ELSE 'undocumented' END,
        'thresholds', ${params('back_payment_undocumented', c)}::jsonb) AS evidence,
      p.name || '补缴' || j.months || '个月（' || j.first_period || '至' || j.last_period || '），' ||
        CASE WHEN j.documented THEN '一次性补缴年限过长' ELSE '无补录审批材料' END || '，金额' || ${yuan(sql`j.amount`)} || '元' AS summary_zh,
      ${counted(sql`j.months`, 'month')} || ' paid back (' || j.first_period || ' to ' || j.last_period || '), ' ||
        CASE WHEN j.documented THEN 'a lump of years' ELSE 'with no approved back-entry' END || ', ' || ${yuan(sql`j.amount`)} || ' yuan' AS summary_en
    FROM judged j
    JOIN person p ON p.id = j.person_id
    WHERE j.months >= ${c.t.backPaymentLumpMonths} OR (NOT j.documented AND j.months >= ${c.t.backPaymentMinMonths})`;
}

/**
 * A staff member's writes (not reads) on their own record or on a linked person's: same address or
 * same bank account as the staff member's own person record (from the audit log and the registry).
 */
function staffOwnRecords(c: DetectorContext): RawBuilder<unknown> {
  return sql`
    WITH staff AS (
      SELECT u.id AS user_id, u.username, me.id AS me_id, me.address, me.bank_account
      FROM app_user u JOIN person me ON me.id = u.person_id
      WHERE u.role IN ('clerk', 'reviewer', 'supervisor', 'admin')
    ), linked AS (
      -- three hash joins (self, same address, same account) rather than one OR join over every person
      SELECT s.user_id, s.username, s.me_id AS person_id, 'self' AS relation FROM staff s
      UNION ALL
      SELECT s.user_id, s.username, q.id, 'same_address'
      FROM staff s JOIN person q ON q.address = s.address AND q.id <> s.me_id
      UNION ALL
      SELECT s.user_id, s.username, q.id, 'same_bank_account'
      FROM staff s JOIN person q ON q.bank_account = s.bank_account AND q.id <> s.me_id
        AND q.address IS DISTINCT FROM s.address
    ), acts AS (
      SELECT k.user_id, k.username, k.person_id, q.region, k.relation, l.id AS audit_id, l.action, l.at
      FROM linked k
      JOIN person q ON q.id = k.person_id AND ${covers('q.region', c.region)}
      JOIN audit_log l ON l.subject_person_id = k.person_id AND l.actor_user_id = k.user_id
      WHERE l.action NOT LIKE '%read%' AND l.action NOT LIKE '%search%' AND l.action NOT LIKE 'session%'
        AND l.action NOT LIKE '%export%'
    )
    SELECT min(a.region) AS region, 'staff_own_records:u' || a.user_id || ':p' || a.person_id AS fingerprint,
      a.person_id, NULL::bigint AS employer_id, to_char(min(a.at), 'YYYY-MM') AS period_from, to_char(max(a.at), 'YYYY-MM') AS period_to,
      0::bigint AS amount,
      jsonb_build_object('userId', a.user_id, 'username', min(a.username), 'relation', min(a.relation),
        'auditIds', jsonb_agg(a.audit_id ORDER BY a.audit_id), 'actions', jsonb_agg(DISTINCT a.action)) AS evidence,
      '经办人员' || min(a.username) || '对' ||
        CASE min(a.relation) WHEN 'self' THEN '本人' WHEN 'same_address' THEN '同住址人员' ELSE '同银行账户人员' END ||
        '的记录办理业务' || count(*) || '次' AS summary_zh,
      'Staff member ' || min(a.username) || ' acted ' || ${counted(sql`count(*)`, 'time')} || ' on ' ||
        CASE min(a.relation) WHEN 'self' THEN 'their own record' WHEN 'same_address' THEN 'the record of a person at their address' ELSE 'the record of a person with their bank account' END AS summary_en
    FROM acts a
    GROUP BY a.user_id, a.person_id`;
}

/** Employers whose injury cases in the window reach both the count and the rate per 1,000 workers. */
function employerInjuries(c: DetectorContext): RawBuilder<unknown> {
  const from = windowStart(c.asOf, c.t.injuryWindowMonths);
  const to = c.asOf.slice(0, 7);
  return sql`
    WITH cases AS (
      SELECT ic.employer_id, count(*) AS n, jsonb_agg(ic.id ORDER BY ic.id) AS case_ids,
        count(*) FILTER (WHERE ic.status = 'recognised') AS recognised
      FROM injury_case ic
      WHERE ic.status NOT IN ('withdrawn', 'not_recognised') AND ${covers('ic.region_code', c.region)}
        AND ic.accident_date >= ${`${from}-01`}::date AND ic.accident_date <= ${c.asOf}::date
      GROUP BY ic.employer_id
      HAVING count(*) >= ${c.t.injuryMinCases}
    ), staffed AS (
      SELECT e.employer_id, count(*) AS workers FROM employment e
      WHERE e.employer_id IN (SELECT employer_id FROM cases)
        AND e.start_date <= ${c.asOf}::date AND (e.end_date IS NULL OR e.end_date >= ${`${from}-01`}::date)
      GROUP BY e.employer_id
    ), rated AS (
      SELECT k.*, coalesce(w.workers, 0) AS workers FROM cases k LEFT JOIN staffed w ON w.employer_id = k.employer_id
    )
    SELECT m.region, 'employer_injuries:e' || m.id || ':' || ${to} AS fingerprint,
      NULL::bigint AS person_id, m.id AS employer_id, ${from}::text AS period_from, ${to}::text AS period_to,
      coalesce((SELECT sum(ib.amount_fen) FROM injury_benefit ib JOIN injury_case ic ON ic.id = ib.case_id
        WHERE ic.employer_id = m.id AND ib.payer = 'fund' AND ic.accident_date >= ${`${from}-01`}::date), 0)::bigint AS amount,
      jsonb_build_object('cases', r.n, 'recognised', r.recognised, 'workers', r.workers, 'caseIds', r.case_ids,
        'ratePerThousand', (r.n * 1000 / greatest(r.workers, 1)), 'thresholds', ${params('employer_injuries', c)}::jsonb) AS evidence,
      m.name || '在' || ${from} || '至' || ${to} || '间发生工伤' || r.n || '起，职工' || r.workers || '人' AS summary_zh,
      ${counted(sql`r.n`, 'injury case')} || ' from ' || ${from} || ' to ' || ${to} || ' among ' || ${counted(sql`r.workers`, 'worker')} AS summary_en
    FROM rated r
    JOIN employer m ON m.id = r.employer_id
    WHERE r.n * 1000 >= ${c.t.injuryRatePerThousand} * greatest(r.workers, 1)`;
}

/**
 * One bank account receiving benefits (a pension not stopped, or an approved unemployment claim) for
 * persons at several different addresses (多对一). The amount is every pension and unemployment
 * payment to those persons.
 */
function sharedBankAccount(c: DetectorContext): RawBuilder<unknown> {
  return sql`
    WITH recipients AS (
      SELECT p.id, p.name, p.region, p.address, p.bank_account
      FROM person p
      WHERE p.bank_account IS NOT NULL AND ${covers('p.region', c.region)}
        AND (EXISTS (SELECT 1 FROM pension_award a WHERE a.person_id = p.id AND a.status <> 'stopped')
          OR EXISTS (SELECT 1 FROM unemployment_claim uc WHERE uc.person_id = p.id AND uc.status = 'approved'))
    ), shared AS (
      -- accounts with two or more recipients first (a cheap hash count), then their addresses
      SELECT bank_account FROM recipients GROUP BY bank_account HAVING count(*) >= ${c.t.sharedAccountMinPersons}
    ), grouped AS (
      SELECT r.bank_account, min(r.region) AS region, count(*) AS persons,
        count(DISTINCT coalesce(r.address, 'p' || r.id)) AS addresses,
        jsonb_agg(jsonb_build_object('personId', r.id, 'name', r.name, 'address', r.address) ORDER BY r.id) AS holders,
        array_agg(r.id ORDER BY r.id) AS ids
      FROM recipients r JOIN shared USING (bank_account)
      GROUP BY r.bank_account
      HAVING count(DISTINCT coalesce(r.address, 'p' || r.id)) >= ${c.t.sharedAccountMinPersons}
    )
    SELECT g.region, 'shared_bank_account:h' || md5(g.bank_account) AS fingerprint,
      NULL::bigint AS person_id, NULL::bigint AS employer_id, NULL::text AS period_from, NULL::text AS period_to,
      (coalesce((SELECT sum(pp.amount_fen) FROM pension_award a JOIN pension_payment pp ON pp.award_id = a.id
          WHERE a.person_id = ANY (g.ids)), 0)
        + coalesce((SELECT sum(u.amount_fen + u.medical_fen) FROM unemployment_payment u WHERE u.person_id = ANY (g.ids)), 0))::bigint AS amount,
      jsonb_build_object('accountTail', right(g.bank_account, 4), 'persons', g.persons, 'addresses', g.addresses,
        'holders', g.holders, 'thresholds', ${params('shared_bank_account', c)}::jsonb) AS evidence,
      '尾号' || right(g.bank_account, 4) || '的银行账户为' || g.addresses || '个不同住址的' || g.persons || '人领取待遇' AS summary_zh,
      'The bank account ending ' || right(g.bank_account, 4) || ' receives benefits for ' || g.persons || ' persons at ' || g.addresses || ' different addresses' AS summary_en
    FROM grouped g`;
}

const QUERIES: Record<DetectorName, (c: DetectorContext) => RawBuilder<unknown>> = {
  pension_after_death: pensionAfterDeath,
  unemployment_after_death: unemploymentAfterDeath,
  double_pension: doublePension,
  pension_and_unemployment: pensionAndUnemployment,
  unemployment_while_employed: unemploymentWhileEmployed,
  pension_while_suspended: pensionWhileSuspended,
  late_career_hire: lateCareerHire,
  back_payment_undocumented: backPaymentUndocumented,
  staff_own_records: staffOwnRecords,
  employer_injuries: employerInjuries,
  shared_bank_account: sharedBankAccount,
};

/** The detector's SELECT: columns region, fingerprint, person_id, employer_id, period_from, period_to, amount, evidence, summary_zh, summary_en. */
export function detectorQuery(name: DetectorName, c: DetectorContext): RawBuilder<unknown> {
  return QUERIES[name](c);
}
