// Applies the migrations in src/db/migrations (at start and by `shebao migrate`).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';

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

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new FolderMigrations() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
