// Test factories: a person, an employer or an employment with sensible defaults and any column
// overridden, instead of the same raw insert copied into every test file. Each call makes a new,
// valid row (ID numbers and credit codes are unique within the process and carry their check
// characters). Tests only: the services are the way in for production code.
import type { Insertable, Selectable } from 'kysely';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';
import type { EmployerTable, EmploymentTable, EnrolmentTable, PersonTable } from '../db/database.ts';
import type { InjuryCaseTable } from '../injury/injury.tables.ts';

/** The pooling region the test app's users belong to (test-app.ts TEST_REGION). */
const DEFAULT_REGION = '341800';
const DEFAULT_HUKOU = '341802';

let personSeq = 0;
let employerSeq = 0;

export type PersonOverrides = Partial<Insertable<PersonTable>>;

/** A person; the ID number agrees with birth date and sex unless `id_number` is given. */
export async function makePerson(db: Db, overrides: PersonOverrides = {}): Promise<Selectable<PersonTable>> {
  const n = personSeq++;
  const sex = overrides.sex ?? (n % 2 ? 'M' : 'F');
  const birth = overrides.birth_date ?? `${1960 + (n % 30)}-0${1 + (n % 9)}-1${n % 10}`;
  // Sequences 500–999 (odd for men, even for women), away from the fixed ones tests use.
  const sequence = 500 + ((Math.floor(n / 2) % 250) * 2 + (sex === 'M' ? 1 : 0));
  const values: Insertable<PersonTable> = {
    id_number: makeIdNumber(overrides.hukou_region ?? DEFAULT_HUKOU, birth, sequence),
    name: `测试人员${n}`,
    sex,
    birth_date: birth,
    hukou_region: DEFAULT_HUKOU,
    region: DEFAULT_REGION,
    ...overrides,
  };
  return db.insertInto('person').values(values).returningAll().executeTakeFirstOrThrow();
}

export type EmployerOverrides = Partial<Insertable<EmployerTable>>;

export async function makeEmployer(
  db: Db,
  overrides: EmployerOverrides = {},
): Promise<Selectable<EmployerTable>> {
  const n = employerSeq++;
  const values: Insertable<EmployerTable> = {
    credit_code: makeCreditCode(overrides.region ?? DEFAULT_REGION, 7_000_000 + n),
    name: `测试单位${n}`,
    region: DEFAULT_REGION,
    industry_class: 5,
    size: 'sme',
    address: null,
    contact_phone: null,
    ...overrides,
  };
  return db.insertInto('employer').values(values).returningAll().executeTakeFirstOrThrow();
}

export type EmploymentOverrides = Partial<Insertable<EmploymentTable>> &
  Pick<Insertable<EmploymentTable>, 'person_id' | 'employer_id'>;

/** An open employment from 2020-01-01 at 6,000.00 a month unless overridden. */
export async function makeEmployment(
  db: Db,
  overrides: EmploymentOverrides,
): Promise<Selectable<EmploymentTable>> {
  const values: Insertable<EmploymentTable> = {
    start_date: '2020-01-01',
    end_date: null,
    end_reason: null,
    monthly_wage_fen: 600000,
    ...overrides,
  };
  return db.insertInto('employment').values(values).returningAll().executeTakeFirstOrThrow();
}

export type EnrolmentOverrides = Partial<Insertable<EnrolmentTable>> &
  Pick<Insertable<EnrolmentTable>, 'person_id'>;

/**
 * An active enrolment in the employee pension from 2021-01-01 in the test region: as an employee
 * when `employer_id` is given, otherwise flexible (灵活就业).
 */
export async function makeEnrolment(
  db: Db,
  overrides: EnrolmentOverrides,
): Promise<Selectable<EnrolmentTable>> {
  const values: Insertable<EnrolmentTable> = {
    scheme: 'employee_pension',
    kind: overrides.employer_id == null ? 'flexible' : 'employee',
    region: DEFAULT_REGION,
    employer_id: null,
    start_date: '2021-01-01',
    status: 'active',
    ...overrides,
  };
  return db.insertInto('enrolment').values(values).returningAll().executeTakeFirstOrThrow();
}

export type InjuryCaseOverrides = Partial<Insertable<InjuryCaseTable>> &
  Pick<Insertable<InjuryCaseTable>, 'person_id' | 'employer_id'>;

/** A work-injury case as an insured employer reports it in the test region (accident 2026-03-02, reported three days later) unless overridden. */
export async function makeInjuryCase(db: Db, overrides: InjuryCaseOverrides): Promise<{ id: number }> {
  const values: Insertable<InjuryCaseTable> = {
    region_code: DEFAULT_REGION,
    kind: 'injury',
    accident_date: '2026-03-02',
    description: '测试',
    status: 'reported',
    reported_by: 'employer',
    reporter_kind: 'employer',
    reported_date: '2026-03-05',
    employer_insured: true,
    ...overrides,
  };
  return db.insertInto('injury_case').values(values).returning('id').executeTakeFirstOrThrow();
}

export interface BillLineOverrides {
  personId: number;
  period: string;
  region?: string;
  payerKind?: 'employer' | 'flexible' | 'resident';
  /** required for an employer bill */
  employerId?: number | null;
  status?: 'open' | 'paid' | 'cancelled';
  baseFen?: number;
  averageWageFen?: number;
  pensionEmployerFen?: number;
  pensionEmployeeFen?: number;
  personalAccountFen?: number;
  unemploymentEmployerFen?: number;
  unemploymentEmployeeFen?: number;
  injuryFen?: number;
  /** a paid bill's day of payment; the 10th of its period by default */
  paidDate?: string;
}

/** A bill of one person's line (an employer's by default), with the line; amounts default to 0. */
export async function makeBillLine(db: Db, o: BillLineOverrides): Promise<{ billId: number }> {
  const payerKind = o.payerKind ?? 'employer';
  const pe = o.pensionEmployerFen ?? 0;
  const pee = o.pensionEmployeeFen ?? 0;
  const pa = o.personalAccountFen ?? 0;
  const ue = o.unemploymentEmployerFen ?? 0;
  const uee = o.unemploymentEmployeeFen ?? 0;
  const inj = o.injuryFen ?? 0;
  const status = o.status ?? 'paid';
  // The bill and its line in one statement: the record summary learns of a settled bill's lines at the
  // commit of the transaction that wrote the bill (migration 2026_12_04_1610).
  const written = await db
    .with('bill', (q) =>
      q
        .insertInto('contribution_bill')
        .values({
          region: o.region ?? DEFAULT_REGION,
          period: o.period,
          payer_kind: payerKind,
          employer_id: payerKind === 'employer' ? (o.employerId ?? null) : null,
          person_id: payerKind === 'employer' ? null : o.personId,
          due_date: `${o.period}-15`,
          average_wage_fen: o.averageWageFen ?? 800000,
          lines: 1,
          pension_employer_fen: pe,
          pension_employee_fen: pee,
          personal_account_fen: pa,
          injury_fen: inj,
          total_fen: pe + pee + ue + uee + inj + (payerKind === 'resident' ? pa : 0),
          status,
          paid_date: status === 'paid' ? (o.paidDate ?? `${o.period}-10`) : null,
        })
        .returning('id'),
    )
    .insertInto('contribution_bill_line')
    .columns([
      'bill_id',
      'person_id',
      'period',
      'base_fen',
      'pension_employer_fen',
      'pension_employee_fen',
      'personal_account_fen',
      'unemployment_employer_fen',
      'unemployment_employee_fen',
      'injury_fen',
      'waived_fen',
    ])
    .expression((eb) =>
      eb
        .selectFrom('bill')
        .select((s) => [
          'bill.id',
          s.val(o.personId).as('person_id'),
          s.val(o.period).as('period'),
          s.val(o.baseFen ?? 500000).as('base_fen'),
          s.val(pe).as('pension_employer_fen'),
          s.val(pee).as('pension_employee_fen'),
          s.val(pa).as('personal_account_fen'),
          s.val(ue).as('unemployment_employer_fen'),
          s.val(uee).as('unemployment_employee_fen'),
          s.val(inj).as('injury_fen'),
          s.val(0).as('waived_fen'),
        ]),
    )
    .returning('bill_id')
    .executeTakeFirstOrThrow();
  return { billId: written.bill_id };
}

/** A person's ID number. */
export async function idNumberOf(db: Db, personId: number): Promise<string> {
  const p = await db
    .selectFrom('person')
    .select('id_number')
    .where('id', '=', personId)
    .executeTakeFirstOrThrow();
  return p.id_number;
}

/** How many rows a table holds (to see that a refused request wrote nothing, or an action wrote its audit entries). */
export async function countRows(db: Db, table: 'audit_log' | 'person'): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
