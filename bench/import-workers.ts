/**
 * Scenario D of the import benchmark (`npm run bench:import -- --workers 2`): one web process (this one) and
 * N worker processes (`src/app/worker.ts`, each its own Node process) import the same pages through one
 * Notion connection on a shared PostgreSQL, against the fake Nango + fake Notion with 100 ms latency and
 * Notion's rate limit. Every process draws from the connection's one budget in the database, so N workers
 * should take as long as one (the rate is the bound) and earn no 429s. Printed side by side with 1 worker.
 * Needs PostgreSQL: BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL (a scratch database is created).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DEMO } from '../src/app/demo-tenant.ts';
import { startServer } from '../src/app/server.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/logger.ts';
import { startFakeNango } from '../src/sandbox/fake-nango/index.ts';
import type { FakeNotion } from '../src/sandbox/fake-notion/index.ts';
import type { PageSpec } from '../src/sandbox/fake-notion/index.ts';
import type { RateLimitOptions } from '../src/connectors/notion/rate-limiter.ts';
import { Session } from '../test/support/test-app.ts';
import { SandboxClient, connectNotion, eventually } from '../test/support/sandbox-client.ts';
import { formatMs, printTable, verdict } from './support/report.ts';

const LATENCY_MS = 100;

/** Run scenario D with 1 and with `workers` worker processes; `pages` are in the fake's workspace. */
export async function scenarioWorkers(
  fake: FakeNotion,
  pages: PageSpec[],
  workers: number,
  limit: RateLimitOptions,
): Promise<void> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!serverUrl) {
    console.log('\nD. Skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server to run workers.');
    return;
  }
  const name = `tc_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-bench-workers-'));
  const secretKey = crypto.randomUUID();
  const webhookSigningKey = crypto.randomUUID();
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SANDBOX: 'off',
    NANGO_SECRET_KEY: secretKey,
    NANGO_WEBHOOK_SIGNING_KEY: webhookSigningKey,
    NANGO_HOST: 'http://127.0.0.1:1',
    NOTION_RATE_LIMIT_RPS: String(limit.rps),
    NOTION_RATE_LIMIT_BURST: String(limit.burst),
    DOWNLOAD_HTTP_ALLOW_HOSTS: '127.0.0.1',
  };
  const config = loadConfig({ ...env, PORT: '0', DEMO_ON_FIRST_START: 'true' });
  const fakeNango = await startFakeNango({
    secretKey,
    webhookSigningKey,
    notionBaseUrl: fake.url,
    logger: createLogger('silent'),
    webhookUrl: () => `${config.publicUrl}/api/webhooks/nango`,
  });
  config.NANGO_HOST = fakeNango.url;
  const web = await startServer(config, createLogger('warn'), { worker: false });
  try {
    const session = await Session.signIn(web.url, DEMO.admin, DEMO.password);
    await connectNotion(session, new SandboxClient(fakeNango.url, fake.url));
    const rows: string[][] = [];
    for (const n of [1, workers]) {
      const r = await measure(fake, session, pages, n, { ...env, NANGO_HOST: fakeNango.url }, limit, databaseUrl);
      const bound = (Math.max(0, r.calls - limit.burst) / limit.rps) * 1000;
      rows.push([
        `${n} worker process${n === 1 ? '' : 'es'}`,
        String(r.calls),
        formatMs(r.ms),
        formatMs(bound),
        (r.ms / bound).toFixed(3),
        String(r.rateLimited),
        verdict(r.ms / bound <= 1.05 && r.rateLimited <= 1),
      ]);
    }
    console.log(
      `\nD. ${pages.length} pages imported by worker processes on one connection, PostgreSQL, fake Notion with ${LATENCY_MS} ms latency and ${limit.rps} req/s (burst ${limit.burst}); one budget in the database`,
    );
    printTable(['processes', 'Notion calls', 'wall', 'rate bound', 'wall / bound (≤ 1.05)', '429s (≤ 1)', ''], rows);
  } finally {
    await web.close();
    await fakeNango.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measure(
  fake: FakeNotion,
  session: Session,
  pages: PageSpec[],
  workers: number,
  env: Record<string, string>,
  limit: RateLimitOptions,
  databaseUrl: string,
): Promise<{ calls: number; ms: number; rateLimited: number }> {
  const children = await Promise.all(Array.from({ length: workers }, () => startWorker({ ...env, LOG_LEVEL: 'info' })));
  try {
    // A fresh budget on both sides: Notion's buckets and ours start full, as after a quiet period.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query('delete from notion_rate_limits');
    await db.end();
    fake.control.setLatency(LATENCY_MS);
    fake.control.setRateLimit(limit);
    fake.control.resetLog();
    const started = performance.now();
    const res = await session.request('/api/notion/imports', {
      method: 'POST',
      json: { pageIds: pages.map((p) => p.id) },
    });
    const { importId } = (await res.json()) as { importId: string };
    const imp = await eventually(
      async () => {
        const body = (await (await session.request(`/api/notion/imports/${importId}`)).json()) as {
          status: string;
          failed: number;
        };
        return body.status === 'running' ? null : body;
      },
      30 * 60_000,
      'the import',
    );
    const ms = performance.now() - started;
    if (imp.failed > 0) throw new Error(`${imp.failed} page(s) failed to import`);
    const counters = fake.control.counters();
    return { calls: counters.total, ms, rateLimited: counters.byStatus['429'] ?? 0 };
  } finally {
    await Promise.all(children.map(stopWorker));
  }
}

/** A worker process, resolved once it logs that it started. */
function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/worker.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('worker started')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it started`)));
  });
}

function stopWorker(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
