// Applies the migrations in src/db/migrations (at start and by `shebao migrate`).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const DIR = join(import.meta.dirname, 'migrations');

class FolderMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const file of readdirSync(DIR)
      .filter((f) => f.endsWith('.ts'))
      .sort()) {
      out[file.replace(/\.ts$/, '')] = (await import(join(DIR, file))) as Migration;
    }
    return out;
  }
}

/** Every migration file already applied? (Then nothing is imported: a restart skips ~30 module loads.) */
async function allApplied(db: Kysely<unknown>): Promise<boolean> {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.replace(/\.ts$/, ''));
  try {
    const r = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
    const applied = new Set(r.rows.map((x) => x.name));
    return files.every((f) => applied.has(f));
  } catch {
    return false; // a new database: no migration table yet
  }
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  if (await allApplied(db)) return [];
  const migrator = new Migrator({ db, provider: new FolderMigrations() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
