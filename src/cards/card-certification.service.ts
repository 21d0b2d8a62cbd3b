// Card use as a life sign (静默认证): the latest accepted terminal use of each holder in a period
// becomes one line of the certification capability's "card" data comparison (id_number,use_date,
// terminal), which certifies pensioners seen alive. A pensioner living in another city who uses the card
// there is alive, so a use at any region's terminal counts — but only a use uploaded through a terminal
// registered by the region that uploaded it (the register, card-terminal.service.ts). The uses are
// compared one file per terminal region, and the file's name says that region: a certification's source
// (import:<id>:<line>) leads the pensioner's region to the import, and the import to the region whose
// terminal saw the pensioner. Goes through that capability's service, never its tables; a rerun over the
// same uses is the same files, each answered as a replay.
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { DataImportService, type ImportResult } from '../certification/data-import.service.ts';
import { parseDate } from '../core/dates.ts';
import type { Db } from '../db/connection.ts';
import { regionCoversSql } from '../db/region-sql.ts';

/** One terminal region's file of the comparison, and what the certification capability made of it. */
export type TerminalRegionImport = ImportResult & { terminalRegion: string; filename: string };

export class CardCertificationService {
  constructor(private readonly db: Db) {}

  async certifyFromCardUses(
    actor: Actor,
    input: { region: string; from: string; to: string },
  ): Promise<{ imports: TerminalRegionImport[] }> {
    authorize(actor, 'certification.import', { region: input.region });
    const from = parseDate(input.from, 'from');
    const to = parseDate(input.to, 'to');
    const rows = await sql<{
      terminal_region: string;
      id_number: string;
      use_date: string;
      terminal_id: string;
    }>`
      SELECT DISTINCT ON (t.region, p.id) t.region AS terminal_region, p.id_number,
             to_char(u.used_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS use_date, u.terminal_id
      FROM card_use u
      JOIN card_terminal t ON t.terminal_id = u.terminal_id AND t.region = u.region
      JOIN person p ON p.id = u.person_id
      WHERE u.accepted AND ${regionCoversSql(sql.ref('p.region'), input.region)}
        AND (u.used_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${from}::date AND ${to}::date
      ORDER BY t.region, p.id, u.used_at DESC`.execute(this.db);
    const byRegion = new Map<string, typeof rows.rows>();
    for (const r of rows.rows) {
      const lines = byRegion.get(r.terminal_region);
      if (lines === undefined) byRegion.set(r.terminal_region, [r]);
      else lines.push(r);
    }
    const imports: TerminalRegionImport[] = [];
    for (const [terminalRegion, uses] of byRegion) {
      const filename = `card-uses-${from}-${to}-terminals-${terminalRegion}.csv`;
      const result = await new DataImportService(this.db).import(actor, {
        kind: 'card',
        region: input.region,
        filename,
        lines: [
          'id_number,use_date,terminal',
          ...uses.map((r) => `${r.id_number},${r.use_date},${r.terminal_id.slice(0, 100)}`),
        ],
      });
      imports.push({ ...result, terminalRegion, filename });
    }
    return { imports };
  }
}
