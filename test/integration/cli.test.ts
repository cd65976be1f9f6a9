import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-cli-'));
// The compiled CLI, as `npm run cli` runs it (the global setup has built it).
const cli = (...args: string[]) =>
  run(process.execPath, ['scripts/run.mjs', 'cli', ...args], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'silent',
    },
  });

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('admin CLI (embedded database)', () => {
  it('creates a tenant, adds a user and issues an API token', async () => {
    const created = await cli(
      'tenant:create',
      '--slug',
      'globex',
      '--name',
      'Globex',
      '--admin-email',
      'a@globex.test',
      '--admin-password',
      'long-password-1',
    );
    expect(created.stdout).toMatch(/Created tenant globex \([0-9a-f-]{36}\) with admin a@globex.test/);
    const added = await cli(
      'user:add',
      '--tenant',
      'globex',
      '--email',
      'v@globex.test',
      '--role',
      'viewer',
      '--password',
      'long-password-2',
    );
    expect(added.stdout).toContain('Added v@globex.test to globex as viewer.');
    const token = await cli('token:create', '--tenant', 'globex', '--email', 'v@globex.test');
    expect(token.stdout.trim()).toMatch(/^tc_[A-Za-z0-9_-]{40,}$/);
  }, 300_000);

  it('rejects bad arguments with a one-line message and exit code 1', async () => {
    const failed = await cli(
      'user:add',
      '--tenant',
      'globex',
      '--email',
      'x@globex.test',
      '--role',
      'owner',
      '--password',
      'long-password-3',
    ).catch((err: { code: number; stderr: string }) => err);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/Error: --role:/);
  }, 300_000);
});
