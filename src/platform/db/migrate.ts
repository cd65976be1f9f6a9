import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator, sql, type Kysely, type Migration } from 'kysely';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Apply every pending SQL migration in name order; throws on the first failure (each runs in a transaction). */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Record<string, Migration> = {};
  for (const file of files) {
    const text = await fs.readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
    migrations[file.replace(/\.sql$/, '')] = {
      up: async (trx) => {
        await sql.raw(text).execute(trx);
      },
    };
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Branches merge with their own numbers: a database that already ran a later migration (e.g. 050) still
    // gets an earlier-numbered one merged after it (e.g. 040). Each migration must stand on its own.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
