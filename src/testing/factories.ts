// Test factories: a person, an employer or an employment with sensible defaults and any column
// overridden, instead of the same raw insert copied into every test file. Each call makes a new,
// valid row (ID numbers and credit codes are unique within the process and carry their check
// characters). Tests only: the services are the way in for production code.
import type { Insertable, Selectable } from 'kysely';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';
import type { EmployerTable, EmploymentTable, PersonTable } from '../db/database.ts';

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
    phone: null,
    address: null,
    bank_name: null,
    bank_account: null,
    hardship_group: null,
    death_date: null,
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
