// Money in text written set-based by SQL, as core/money.ts formatMoney writes it (hall/pension-adjusted.db.test.ts compares the two).
import { sql, type RawBuilder } from 'kysely';

/** Integer fen as "¥35,240.50" / "-¥35,240.50", by integer arithmetic; a sum() (numeric) is cast back to whole fen. */
export const moneySql = (fen: RawBuilder<unknown>): RawBuilder<string> =>
  sql<string>`(CASE WHEN ${fen} < 0 THEN '-¥' ELSE '¥' END || to_char(abs(${fen})::bigint / 100, 'FM999,999,999,999,990') || '.' || lpad((abs(${fen})::bigint % 100)::text, 2, '0'))`;
