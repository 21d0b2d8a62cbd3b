// The federation demo's retirees (issue 16, central adjustment): a few people per province who retired
// in 2015 from the province's demo employer, so that the central adjustment (国发〔2018〕18号, allocated
// by the number of retirees) has something to allocate. They retired before the demo's history starts
// (2016), so they have no bills; their employee-pension enrolment ends with reason `retirement`, which
// is what the fund report and the adjustment count as a retiree.
import { makeIdNumber } from '../core/ids.ts';
import type { Db } from '../db/connection.ts';

/** A demo person's details that nobody gave (no contact, no bank account, alive): all null. */
const DETAILS = ['phone', 'address', 'bank_name', 'bank_account', 'hardship_group', 'death_date'] as const;
export const NO_DETAILS = Object.fromEntries(DETAILS.map((c) => [c, null])) as Record<
  (typeof DETAILS)[number],
  null
>;

/** Different numbers per province, so that the provinces' positions differ (a net payer, net receivers). */
export const FED_DEMO_RETIREES: Record<string, number> = { '340000': 9, '320000': 3, '330000': 6 };

export async function seedFederationRetirees(
  tx: Db,
  province: string,
  city: string,
  employerId: number,
): Promise<number> {
  const n = FED_DEMO_RETIREES[province] ?? 0;
  for (let i = 0; i < n; i++) {
    const sex = i % 2 === 0 ? 'M' : 'F';
    const birthDate = `${sex === 'M' ? 1955 : 1965}-0${(i % 9) + 1}-1${i % 10}`;
    const person = await tx
      .insertInto('person')
      .values({
        id_number: makeIdNumber(city, birthDate, 800 + i * 2 + (sex === 'M' ? 1 : 0)),
        name: `${['赵', '钱', '孙', '李', '周', '吴', '郑', '王', '冯'][i % 9] ?? '王'}退休${i + 1}`,
        sex,
        birth_date: birthDate,
        hukou_region: city,
        region: city,
        ...NO_DETAILS,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('enrolment')
      .values({
        person_id: person.id,
        scheme: 'employee_pension',
        kind: 'employee',
        region: city,
        employer_id: employerId,
        start_date: '1990-01-01',
        end_date: '2015-06-30',
        end_reason: 'retirement',
        status: 'ended',
      })
      .execute();
  }
  return n;
}
