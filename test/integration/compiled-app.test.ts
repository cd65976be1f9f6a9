import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

/**
 * The production build as users run it: `npm start` compiles nothing when the sources are unchanged, the
 * compiled server finds its migrations and answers, and the CLI works while the app holds the embedded
 * database (the command is handed to the app) — with a clear message when another process holds it.
 */
const run = promisify(execFile);
const ROOT = path.resolve('.');
const dataDir = fs.mkdtempSync(path.join(inject('testTmp'), 'compiled-app-'));
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  DATABASE_URL: '',
  PORT: '0',
  SANDBOX: 'off',
  NANGO_SECRET_KEY: '',
  DEMO_ON_FIRST_START: 'true',
  LOG_LEVEL: 'info',
};
const cli = (...args: string[]) =>
  run(process.execPath, ['scripts/run.mjs', 'cli', ...args], {
    env: { ...env, LOG_LEVEL: 'silent' },
    timeout: 100_000,
  });

let app: ChildProcess | undefined;
let baseUrl = '';

interface RunningApp {
  child: ChildProcess;
  url: string;
  /** Everything the process printed so far. */
  log(): string;
}

/** Start the compiled server (`args` as `npm start` would pass them) and wait for the address it prints. */
async function spawnApp(args: string[], appEnv: NodeJS.ProcessEnv): Promise<RunningApp> {
  const child = spawn(process.execPath, ['dist/server/main.js', ...args], { cwd: ROOT, env: appEnv });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the compiled app exited: ${log}`);
    const url = /"url":"(http:\/\/[^"]+)"/.exec(log)?.[1];
    if (url) return { child, url, log: () => log };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the compiled app did not start in time: ${log}`);
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Start the compiled web server (no worker, no admin-app build needed for these checks). */
async function startApp(): Promise<void> {
  const started = await spawnApp(['--web-only'], env);
  app = started.child;
  baseUrl = started.url;
}

async function stopApp(): Promise<void> {
  const child = app;
  app = undefined;
  await stopProcess(child);
}

beforeAll(async () => {
  await startApp();
}, 320_000);
afterAll(async () => {
  await stopApp();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the compiled server', () => {
  it('is current after the global build, carries its migrations and rebuilds nothing when run again', async () => {
    const stamp = fs.readFileSync('dist/server/.source-hash', 'utf8');
    expect(stamp).toMatch(/^[0-9a-f]{64}$/);
    const sql = fs.readdirSync('src/platform/db/migrations').filter((f) => f.endsWith('.sql'));
    expect(fs.readdirSync('dist/server/migrations').sort()).toEqual(sql.sort());
    const again = await run(process.execPath, ['scripts/build.mjs', '--server'], { timeout: 300_000 });
    expect(again.stderr).not.toContain('Compiled');
    expect(fs.readFileSync('dist/server/.source-hash', 'utf8')).toBe(stamp);
  });

  it('starts on a fresh embedded database, migrates it and answers /healthz and the public site', async () => {
    const health = await fetch(`${baseUrl}/healthz`);
    expect(health.status).toBe(200);
    const site = await fetch(`${baseUrl}/t/acme`);
    expect(site.status).toBe(200);
    expect(await site.text()).toContain('Acme Cloud Trust Center');
  });
});

describe('the CLI while the app runs on the embedded database', () => {
  it('hands its commands to the app, which runs them on the same database', async () => {
    const created = await cli(
      'tenant:create',
      '--slug',
      'initech',
      '--name',
      'Initech',
      '--admin-email',
      'a@initech.test',
      '--admin-password',
      'long-password-1',
    );
    expect(created.stdout).toMatch(/Created tenant initech \([0-9a-f-]{36}\) with admin a@initech.test/);
    const token = (await cli('token:create', '--tenant', 'initech', '--email', 'a@initech.test')).stdout.trim();
    expect(token).toMatch(/^tc_[A-Za-z0-9_-]{40,}$/);
    // The token the CLI printed works against the running app at once: one database, not a copy.
    const me = await fetch(`${baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { tenant: { slug: string } }).tenant.slug).toBe('initech');
  }, 320_000);

  it('reports errors of a handed-off command like a local one', async () => {
    const failed = await cli('user:add', '--tenant', 'initech', '--email', 'x@initech.test', '--role', 'owner').catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/Error: --role:/);
  }, 320_000);

  it('says plainly when the process holding the database does not take commands', async () => {
    await stopApp();
    // A live process that is not the app (this test runner) holds the lock.
    fs.writeFileSync(path.join(dataDir, 'pg.lock'), String(process.pid));
    try {
      const failed = await cli('token:create', '--tenant', 'initech', '--email', 'a@initech.test').catch(
        (err: { code: number; stderr: string }) => err,
      );
      expect(failed).toMatchObject({ code: 1 });
      expect((failed as { stderr: string }).stderr).toContain(`is in use by process ${process.pid}`);
      expect((failed as { stderr: string }).stderr).toContain('does not accept CLI commands');
    } finally {
      fs.rmSync(path.join(dataDir, 'pg.lock'), { force: true });
    }
  }, 320_000);
});

describe('the compiled app with its worker on the embedded database', () => {
  it('serves pages and the API while maintenance passes run beside them, without an error', async () => {
    const ownDir = fs.mkdtempSync(path.join(inject('testTmp'), 'compiled-worker-'));
    // Short leases: a maintenance pass (the reaper, the file sweep) every half second.
    const full = await spawnApp([], { ...env, DATA_DIR: ownDir, LOG_LEVEL: 'debug', WORK_STALE_AFTER_SECONDS: '2' });
    try {
      const passes = () => full.log().split('maintenance pass done').length - 1;
      // Requests and passes share the one embedded connection: keep both going until several passes are done.
      while (passes() < 6) {
        const answers = await Promise.all([
          fetch(`${full.url}/t/acme`),
          fetch(`${full.url}/healthz`),
          // An address no tenant has is looked up in the database every time.
          fetch(`${full.url}/t/no-such-company`),
        ]);
        expect(answers.map((a) => a.status)).toEqual([200, 200, 404]);
        expect(full.child.exitCode).toBeNull();
      }
      expect(full.log()).not.toContain('maintenance pass failed');
      expect(full.log()).not.toMatch(/"level":(50|60)/);
    } finally {
      await stopProcess(full.child);
      fs.rmSync(ownDir, { recursive: true, force: true });
    }
  }, 400_000);
});
