// Planted supervision cases: one case of each pattern the detectors look for, written into a region
// with new persons and employers only (nothing existing is changed). The demo city plants them so a
// scan of 341800 finds some; the detector test plants them into a small generated population and
// proves every detector finds exactly its case. Payments and bills get their journal entries, so
// `shebao ledger verify` still passes. Not used by the running platform's processes.
import { mulDiv } from '../core/money.ts';
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit.repository.ts';
import { auditReason } from '../audit/audit-reasons.ts';
import type { Actor } from '../auth/actor.ts';
import { systemActor } from '../auth/actor.ts';
import { addDays, addMonths, addPeriods, periodEnd, periodOf, type IsoDate } from '../core/dates.ts';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';
import { int } from '../db/values.ts';
import type { Fund } from '../db/database.ts';
import { ACCOUNTS, postEntry } from '../ledger/journal.repository.ts';
import { payrollLines } from '../pension/payroll.job.ts';
import { publishSuspended } from '../pension/pension.repository.ts';
import type { DetectorName } from './detector.rules.ts';

export interface PlantOptions {
  region: string;
  asOf: IsoDate;
}

/** The subject each detector must find: its person or employer (the fingerprint starts with `prefix`). */
export interface PlantedCase {
  personId: number | null;
  employerId: number | null;
  prefix: string;
}

export type PlantReport = Record<DetectorName, PlantedCase>;

const AVG_WAGE = 800_000; // 8,000 yuan: the bills' average wage for the planted lines
const OPS = systemActor('supervision-plant');

interface Payment {
  awardId: number;
  fund: Fund;
  period: string;
  amount: number;
}

/** Plants one case per detector; returns what each detector must find. */
export async function plantSupervisionCases(db: Db, o: PlantOptions): Promise<PlantReport> {
  return db.transaction().execute(async (tx) => plantIn(tx, o));
}

async function plantIn(tx: Db, o: PlantOptions): Promise<PlantReport> {
  const { region, asOf } = o;
  const month = periodOf(asOf);
  const [p1, p2, p3] = [addPeriods(month, -3), addPeriods(month, -2), addPeriods(month, -1)];
  let serial = 0;
  const payments: Payment[] = [];

  const person = async (
    name: string,
    birth: IsoDate,
    extra: { address?: string; bank?: string; death?: IsoDate } = {},
  ): Promise<number> => {
    for (;;) {
      serial += 1;
      const id = makeIdNumber(region, birth, 900 + (serial % 100));
      const r = await sql<{ id: number | string }>`
        INSERT INTO person (id_number, name, sex, birth_date, hukou_region, region, address, bank_name, bank_account, death_date)
        VALUES (${id}, ${name}, ${serial % 2 === 0 ? 'F' : 'M'}, ${birth}, ${region}, ${region},
          ${extra.address ?? `宣城市监管演示小区${serial}栋`}, ${extra.bank === undefined ? null : '中国工商银行'},
          ${extra.bank ?? null}, ${extra.death ?? null})
        ON CONFLICT (id_number) DO NOTHING RETURNING id`.execute(tx);
      if (r.rows[0]) return int(r.rows[0].id);
    }
  };
  const employer = async (name: string): Promise<number> => {
    for (let k = 0; ; k++) {
      const code = makeCreditCode(region, 97_000_000 + k);
      const r = await sql<{ id: number | string }>`
        INSERT INTO employer (credit_code, name, region, industry_class, size)
        VALUES (${code}, ${name}, ${region}, 3, 'sme')
        ON CONFLICT (credit_code) DO NOTHING RETURNING id`.execute(tx);
      if (r.rows[0]) return int(r.rows[0].id);
    }
  };
  const employment = async (
    personId: number,
    employerId: number,
    start: IsoDate,
    end?: IsoDate,
  ): Promise<number> => {
    const r = await sql<{ id: number | string }>`
      INSERT INTO employment (person_id, employer_id, start_date, end_date, end_reason, monthly_wage_fen)
      VALUES (${personId}, ${employerId}, ${start}, ${end ?? null}, ${end === undefined ? null : 'involuntary'}, 600000)
      RETURNING id`.execute(tx);
    return int(r.rows[0]?.id);
  };
  const award = async (
    personId: number,
    scheme: 'employee_pension' | 'resident_pension',
    monthlyFen: number,
    opts: { retirement?: IsoDate; suspendedFrom?: string } = {},
  ): Promise<number> => {
    const retirement = opts.retirement ?? '2018-05-01';
    const r = await sql<{ id: number | string }>`
      INSERT INTO pension_award (person_id, scheme, region, source, retirement_date, start_period, contribution_months,
        status, suspended_from_period, suspend_reason_code, monthly_fen, created_by)
      VALUES (${personId}, ${scheme}, ${region}, 'import', ${retirement}, ${periodOf(retirement)}, 240,
        ${opts.suspendedFrom === undefined ? 'active' : 'suspended'}, ${opts.suspendedFrom ?? null},
        ${opts.suspendedFrom === undefined ? null : 'not_certified'}, ${monthlyFen}, ${OPS.username})
      RETURNING id`.execute(tx);
    const id = int(r.rows[0]?.id);
    await sql`INSERT INTO pension_amount (award_id, effective_period, monthly_fen, reason, created_by)
      VALUES (${id}, ${periodOf(retirement)}, ${monthlyFen}, 'initial', ${OPS.username})`.execute(tx);
    // the sweep that suspended it told the pensioner in the hall (why, from which month, how to resume)
    if (opts.suspendedFrom !== undefined)
      await publishSuspended(tx, {
        personIds: [personId],
        fromPeriod: opts.suspendedFrom,
        reasonCode: 'not_certified',
        reason: null,
      });
    return id;
  };
  const pay = (awardId: number, fund: Fund, periods: string[], amount: number): void => {
    for (const period of periods) payments.push({ awardId, fund, period, amount });
  };
  const claim = async (
    personId: number,
    employerId: number,
    separation: IsoDate,
    periods: string[],
  ): Promise<void> => {
    const job = await employment(personId, employerId, '2012-03-01', separation);
    const first = periods[0] ?? p1;
    const r = await sql<{ id: number | string }>`
      INSERT INTO unemployment_claim (person_id, region, employment_id, employer_id, separation_date, separation_reason,
        registration_date, decision_deadline, contribution_months, eligible, max_months, monthly_fen, medical_fen,
        entitlement_start, entitlement_end, first_period, last_period, status, created_by)
      VALUES (${personId}, ${region}, ${job}, ${employerId}, ${separation}, 'involuntary', ${`${first}-01`},
        ${`${first}-15`}, 120, true, 12, 180000, 14400, ${`${first}-01`}, ${addDays(addMonths(`${first}-01`, 12), -1)},
        ${first}, ${addPeriods(first, 11)}, 'approved', ${OPS.username})
      RETURNING id`.execute(tx);
    const claimId = int(r.rows[0]?.id);
    for (const period of periods)
      await sql`INSERT INTO unemployment_payment (person_id, claim_id, region, period, amount_fen, medical_fen, run_id, chunk_no)
        VALUES (${personId}, ${claimId}, ${region}, ${period}, 180000, 14400, 0, 0)`.execute(tx);
  };
  /** An open employer bill with one line per period at `baseFen`, and its assessment entry. */
  const bills = async (
    personId: number,
    employerId: number,
    periods: string[],
    baseFen: number,
    back: boolean,
  ): Promise<void> => {
    for (const period of periods) {
      const pe = mulDiv(baseFen, 16, 100);
      const pw = mulDiv(baseFen, 8, 100);
      const ue = mulDiv(baseFen, 5, 1000);
      const uw = ue;
      const inj = mulDiv(baseFen, 5, 1000);
      const total = pe + pw + ue + uw + inj;
      const r = await sql<{ id: number | string }>`
        INSERT INTO contribution_bill (region, period, payer_kind, employer_id, back_payment, due_date, average_wage_fen, lines,
          pension_employer_fen, pension_employee_fen, personal_account_fen, unemployment_employer_fen, unemployment_employee_fen,
          injury_fen, total_fen, status)
        VALUES (${region}, ${period}, 'employer', ${employerId}, ${back}, ${periodEnd(period)}, ${AVG_WAGE}, 1,
          ${pe}, ${pw}, ${pw}, ${ue}, ${uw}, ${inj}, ${total}, 'open')
        RETURNING id`.execute(tx);
      const billId = int(r.rows[0]?.id);
      await sql`INSERT INTO contribution_bill_line (bill_id, person_id, period, base_fen, pension_employer_fen, pension_employee_fen,
          personal_account_fen, unemployment_employer_fen, unemployment_employee_fen, injury_fen, waived_fen)
        VALUES (${billId}, ${personId}, ${period}, ${baseFen}, ${pe}, ${pw}, ${pw}, ${ue}, ${uw}, ${inj}, 0)`.execute(
        tx,
      );
      for (const [fund, amount] of [
        ['employee_pension', pe + pw],
        ['unemployment', ue + uw],
        ['injury', inj],
      ] as const)
        await postEntry(tx, OPS, {
          fund,
          region,
          period,
          entryDate: asOf,
          kind: 'contribution.assessment',
          description: `监管演示核定 / planted supervision case bill ${billId}`,
          idempotencyKey: `supervision-plant:bill:${billId}:${fund}`,
          source: { type: 'contribution_bill', id: billId },
          lines: [
            { account: ACCOUNTS.contributionsReceivable, debitFen: amount },
            { account: ACCOUNTS.contributionIncome, creditFen: amount },
          ],
        });
    }
  };

  const shell = await employer('宣城市监管演示贸易有限公司');
  const newJob = await employer('宣城市监管演示物流有限公司');

  // 1. pension after death: died in the month before p1, paid p1–p3, no death processed.
  const dead = await person('冒领演示甲', '1950-03-11', { death: addDays(`${p1}-01`, -10) });
  pay(await award(dead, 'employee_pension', 310000), 'employee_pension', [p1, p2, p3], 310000);

  // 2. unemployment benefit after death.
  const deadJobless = await person('冒领演示乙', '1978-06-02', { death: addDays(`${p2}-01`, -5) });
  await claim(deadJobless, shell, addDays(`${p1}-01`, -20), [p1, p2, p3]);

  // 3. two basic pensions: employee and resident, paid for the same months.
  const twice = await person('重复领取演示', '1952-09-21');
  pay(await award(twice, 'employee_pension', 280000), 'employee_pension', [p1, p2, p3], 280000);
  pay(await award(twice, 'resident_pension', 23000), 'resident_pension', [p1, p2, p3], 23000);

  // 4. pension and unemployment benefit in the same months.
  const both = await person('养老失业同领演示', '1960-01-15');
  pay(await award(both, 'employee_pension', 260000), 'employee_pension', [p1, p2, p3], 260000);
  await claim(both, shell, addDays(`${p2}-01`, -15), [p2, p3]);

  // 5. unemployment benefit while another employer declares the person.
  const working = await person('就业领失业金演示', '1985-04-08');
  await claim(working, shell, addDays(`${p1}-01`, -25), [p1, p2, p3]);
  await employment(working, newJob, `${p2}-03`);
  await bills(working, newJob, [p2, p3], 500000, false);

  // 6. pension paid while suspended (failed certification from p2 on).
  const suspended = await person('暂停仍发演示', '1949-12-30');
  pay(
    await award(suspended, 'employee_pension', 240000, { suspendedFrom: p2 }),
    'employee_pension',
    [p1, p2, p3],
    240000,
  );

  // 7. hired five months before retirement at the ceiling base (300% of the average wage).
  const retirement = `${p2}-01`;
  const lateHire = await person('临退入职演示', '1965-11-03');
  const ceilingShop = await employer('宣城市监管演示咨询有限公司');
  await employment(lateHire, ceilingShop, addMonths(retirement, -5));
  await bills(
    lateHire,
    ceilingShop,
    [-5, -4, -3, -2, -1].map((k) => addPeriods(periodOf(retirement), k)),
    AVG_WAGE * 3,
    false,
  );
  pay(
    await award(lateHire, 'employee_pension', 520000, { retirement }),
    'employee_pension',
    [p2, p3],
    520000,
  );

  // 8. six months paid back without an approved back-entry (补录).
  const backPaid = await person('违规补缴演示', '1975-07-19');
  const backShop = await employer('宣城市监管演示建材有限公司');
  await employment(backPaid, backShop, '2019-01-01');
  await bills(
    backPaid,
    backShop,
    [-6, -5, -4, -3, -2, -1].map((k) => addPeriods('2020-01', k)),
    500000,
    true,
  );

  // 9. a clerk (with their own person record) changes the record of a person at their address.
  const home = '宣城市宣州区监管演示巷8号';
  const clerkSelf = await person('经办人演示', '1983-02-14', { address: home });
  const relative = await person('经办人亲属演示', '1956-08-08', { address: home });
  const u = await sql<{ id: number | string }>`
    INSERT INTO app_user (username, display_name, password_hash, role, person_id, region, disabled)
    VALUES (${`sv-clerk-${region}`}, '监管演示经办员', '!disabled', 'clerk', ${clerkSelf}, ${region}, true)
    ON CONFLICT (username) DO UPDATE SET person_id = EXCLUDED.person_id RETURNING id`.execute(tx);
  const clerk: Actor = {
    userId: int(u.rows[0]?.id),
    username: `sv-clerk-${region}`,
    role: 'clerk',
    personId: null,
    employerId: null,
    region,
  };
  await appendAudit(tx, clerk, {
    action: 'person.update',
    entityType: 'person',
    entityId: relative,
    region,
    subjectPersonId: relative,
    before: { bankAccount: null },
    after: { bankAccount: '6217000000000000777' },
    reason: auditReason('demo-supervision'),
  });

  // 10. an employer with three injury cases among three workers in the last months.
  const risky = await employer('宣城市监管演示机械加工厂');
  for (let k = 0; k < 3; k++) {
    const w = await person(`工伤频发演示${k + 1}`, `1980-0${k + 1}-1${k}`);
    await employment(w, risky, '2021-05-01');
    const accident = addDays(`${p1}-01`, 3 + k * 20);
    await sql`INSERT INTO injury_case (person_id, employer_id, region_code, kind, accident_date, description, status,
        reported_by, reporter_kind, reported_date, employer_insured, accepted_date)
      VALUES (${w}, ${risky}, ${region}, 'injury', ${accident}, '监管演示：机床夹伤手指', 'accepted',
        ${OPS.username}, 'employer', ${addDays(accident, 5)}, true, ${addDays(accident, 8)})`.execute(tx);
  }

  // 11. one bank account receiving two pensions for persons at different addresses.
  const account = '6217009900000000001';
  const holderA = await person('同账户演示甲', '1951-05-05', { bank: account });
  const holderB = await person('同账户演示乙', '1953-10-10', { bank: account });
  pay(await award(holderA, 'employee_pension', 200000), 'employee_pension', [p3], 200000);
  pay(await award(holderB, 'employee_pension', 210000), 'employee_pension', [p3], 210000);

  // The pension payments and their payroll journal entries (one per fund and period).
  for (const p of payments)
    await sql`INSERT INTO pension_payment (award_id, period, kind, amount_fen, payroll_run_id, chunk_no)
      VALUES (${p.awardId}, ${p.period}, 'regular', ${p.amount}, 0, 0)`.execute(tx);
  const byKey = new Map<string, { fund: Fund; period: string; amount: number }>();
  for (const p of payments) {
    const k = `${p.fund}|${p.period}`;
    const x = byKey.get(k) ?? { fund: p.fund, period: p.period, amount: 0 };
    x.amount += p.amount;
    byKey.set(k, x);
  }
  for (const [k, x] of byKey)
    await postEntry(tx, OPS, {
      fund: x.fund,
      region,
      period: x.period,
      entryDate: asOf,
      kind: 'pension_payroll',
      description: `监管演示发放 ${x.period} / planted supervision case payments ${x.period}`,
      idempotencyKey: `supervision-plant:${region}:${k}`,
      lines: payrollLines(x.fund, x.amount, 0),
    });

  const uid = clerk.userId ?? 0;
  return {
    pension_after_death: { personId: dead, employerId: null, prefix: `pension_after_death:p${dead}:` },
    unemployment_after_death: {
      personId: deadJobless,
      employerId: null,
      prefix: `unemployment_after_death:p${deadJobless}:`,
    },
    double_pension: { personId: twice, employerId: null, prefix: `double_pension:p${twice}:` },
    pension_and_unemployment: {
      personId: both,
      employerId: null,
      prefix: `pension_and_unemployment:p${both}:`,
    },
    unemployment_while_employed: {
      personId: working,
      employerId: newJob,
      prefix: `unemployment_while_employed:p${working}:`,
    },
    pension_while_suspended: {
      personId: suspended,
      employerId: null,
      prefix: `pension_while_suspended:a`,
    },
    late_career_hire: {
      personId: lateHire,
      employerId: ceilingShop,
      prefix: `late_career_hire:p${lateHire}:`,
    },
    back_payment_undocumented: {
      personId: backPaid,
      employerId: backShop,
      prefix: `back_payment_undocumented:p${backPaid}:e${backShop}:`,
    },
    staff_own_records: {
      personId: relative,
      employerId: null,
      prefix: `staff_own_records:u${uid}:p${relative}`,
    },
    employer_injuries: { personId: null, employerId: risky, prefix: `employer_injuries:e${risky}:` },
    shared_bank_account: { personId: null, employerId: null, prefix: 'shared_bank_account:h' },
  };
}
