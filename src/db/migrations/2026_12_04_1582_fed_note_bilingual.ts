// Sixteenth pass: the notes of federation transfers and 跨省通办 requests are data, as the hall's are
// since 1581: `{ "zh", "en" }` as this node writes them, `{ "text" }` for words as another province or
// a person wrote them. The rows before hold one string; a string of the shape "中文 / English" (a
// Chinese half, then a half without Chinese after the last "/ ") is split into its halves, any other
// is kept as text — the rule of src/core/bilingual.ts readNote, here in SQL.
// Down writes each note back as the one string it used to be.
// Frozen: never import app code here.
import { sql, type Kysely } from 'kysely';

const TABLES = ['fed_transfer', 'fed_transfer_step', 'fed_xp_request'] as const;
const CJK = '[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]';

export async function up(db: Kysely<unknown>): Promise<void> {
  const zh = sql`btrim(substring(note from '^(.*)/ '))`;
  const en = sql`btrim(substring(note from '^.*/ (.*)$'))`;
  for (const table of TABLES)
    await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN note TYPE jsonb USING
      CASE WHEN note IS NULL OR btrim(note) = '' THEN NULL
           WHEN coalesce(${zh}, '') ~ ${sql.lit(CJK)} AND coalesce(${en}, '') <> '' AND ${en} !~ ${sql.lit(CJK)}
             THEN jsonb_build_object('zh', ${zh}, 'en', ${en})
           ELSE jsonb_build_object('text', btrim(note)) END`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES)
    await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN note TYPE text USING
      CASE WHEN note IS NULL OR jsonb_typeof(note) = 'null' THEN NULL
           WHEN jsonb_typeof(note) = 'string' THEN note #>> '{}'
           WHEN note ? 'text' THEN note ->> 'text'
           ELSE concat_ws(' / ', note ->> 'zh', note ->> 'en') END`.execute(db);
}
