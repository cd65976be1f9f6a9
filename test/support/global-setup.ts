import fs from 'node:fs';
import { openDatabase } from '../../src/db/client.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { TEMPLATE_DIR, TEST_TMP } from './paths.ts';

/**
 * Embedded mode: migrate one PGlite data directory once, so each test file copies it (about 1 s) instead of
 * running initdb (about 5 s). With TEST_DATABASE_URL every file gets its own fresh server database instead.
 */
export async function setup(): Promise<void> {
  fs.rmSync(TEST_TMP, { recursive: true, force: true });
  fs.mkdirSync(TEST_TMP, { recursive: true });
  if (process.env.TEST_DATABASE_URL) return;
  const handle = await openDatabase({ dataDir: TEMPLATE_DIR });
  await migrateToLatest(handle.db);
  await handle.close();
}

export async function teardown(): Promise<void> {
  fs.rmSync(TEST_TMP, { recursive: true, force: true });
}
