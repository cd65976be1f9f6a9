import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/client.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { inject } from 'vitest';
import './paths.ts';

/**
 * A fresh, migrated database for one test file: a new database on the real server when TEST_DATABASE_URL
 * is set (as in CI), otherwise a copy of the migrated PGlite template. `close()` drops it.
 */
export async function createTestDatabase(): Promise<DatabaseHandle & { dataDir: string }> {
  const id = crypto.randomBytes(6).toString('hex');
  const runDir = inject('testTmp');
  const dataDir = path.join(runDir, `db-${id}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `tc_test_${id}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ databaseUrl: url.toString() });
    await migrateToLatest(handle.db);
    return {
      ...handle,
      dataDir,
      close: async () => {
        await handle.close();
        const cleanup = new pg.Client({ connectionString: serverUrl });
        await cleanup.connect();
        await cleanup.query(`drop database if exists ${name} with (force)`);
        await cleanup.end();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  fs.cpSync(path.join(runDir, 'template', 'pg'), path.join(dataDir, 'pg'), {
    recursive: true,
  });
  const handle = await openDatabase({ dataDir });
  return {
    ...handle,
    dataDir,
    close: async () => {
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
