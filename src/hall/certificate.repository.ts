// SQL for the hall's certificates (证明, 缴费凭证): the issued record a verification code looks up.
// Functions take the executor first.
import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/connection.ts';
import { hallDb, type HallCertificateTable } from './hall.db.ts';

export async function insertCertificate(tx: Db, c: Insertable<HallCertificateTable>): Promise<void> {
  await hallDb(tx).insertInto('hall_certificate').values(c).execute();
}

/** The certificate issued under a verification code (already upper-cased), if any. */
export const certificateByCode = (
  db: Db,
  code: string,
): Promise<Selectable<HallCertificateTable> | undefined> =>
  hallDb(db).selectFrom('hall_certificate').selectAll().where('code', '=', code).executeTakeFirst();
