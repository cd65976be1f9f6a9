import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/platform/db/client.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';
import { TEST_TMP_ROOT } from './paths.ts';

let runDir: string;

/**
 * Embedded mode: migrate one PGlite data directory once, so each test file copies it (about 1 s) instead of
 * running initdb (about 5 s). With TEST_DATABASE_URL every file gets its own fresh server database instead.
 * Each run has its own scratch directory, so concurrent runs never delete each other's databases.
 */
export async function setup(project: TestProject): Promise<void> {
  runDir = path.join(TEST_TMP_ROOT, `run-${process.pid}-${Date.now()}`);
  fs.mkdirSync(runDir, { recursive: true });
  project.provide('testTmp', runDir);
  // Suites that run the CLI or the app as users do need the compiled server; build it once (a no-op when
  // current) instead of letting parallel files race to build it.
  execFileSync(process.execPath, ['scripts/build.mjs', '--server'], { stdio: 'inherit' });
  if (process.env.TEST_DATABASE_URL) return;
  const handle = await openDatabase({ dataDir: path.join(runDir, 'template') });
  await migrateToLatest(handle.db);
  await handle.close();
}

export async function teardown(): Promise<void> {
  fs.rmSync(runDir, { recursive: true, force: true });
}
