// Card use as a life sign (静默认证): the latest accepted terminal use of each holder in a period
// becomes one line of the certification capability's "card" data comparison (id_number,use_date,
// terminal), which certifies pensioners seen alive. Goes through that capability's service, never its
// tables; a rerun over the same uses is the same file and is answered as a replay.
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { DataImportService, type ImportResult } from '../certification/data-import.service.ts';
import { parseDate } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';

export class CardCertificationService {
  constructor(private readonly db: Db) {}

  async certifyFromCardUses(
    actor: Actor,
    input: { region: string; from: string; to: string },
  ): Promise<ImportResult & { uses?: number }> {
    authorize(actor, 'certification.import', { region: input.region });
    const from = parseDate(input.from, 'from');
    const to = parseDate(input.to, 'to');
    const rows = await sql<{ id_number: string; use_date: string; terminal_id: string }>`
      SELECT DISTINCT ON (p.id) p.id_number, to_char(u.used_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS use_date,
             u.terminal_id
      FROM card_use u JOIN person p ON p.id = u.person_id
      WHERE u.accepted AND ${regionCoversSql(sql.ref('p.region'), input.region)}
        AND (u.used_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${from}::date AND ${to}::date
      ORDER BY p.id, u.used_at DESC`.execute(this.db);
    const lines = [
      'id_number,use_date,terminal',
      ...rows.rows.map((r) => `${r.id_number},${r.use_date},${r.terminal_id.slice(0, 100)}`),
    ];
    return new DataImportService(this.db).import(actor, {
      kind: 'card',
      region: input.region,
      filename: `card-uses-${from}-${to}.csv`,
      lines,
    });
  }
}
