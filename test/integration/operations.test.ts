import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eServer } from '../support/e2e.ts';
import { Session } from '../support/test-app.ts';
import { SandboxClient, connectNotion, eventually } from '../support/sandbox-client.ts';
import { createTestDatabase } from '../support/test-db.ts';
import { DEMO } from '../../src/app/demo-tenant.ts';
import { DEMO_IDS } from '../../src/sandbox/demo-workspace/workspace.ts';
import type { RunningServer } from '../../src/app/server.ts';
import { bootstrap } from '../../src/app/bootstrap.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { openDatabase } from '../../src/platform/db/client.ts';
import { createNotionGateway } from '../../src/connectors/notion/gateway.ts';
import { createSharedRateLimiter } from '../../src/connectors/notion/rate-limiter.ts';
import type { ImportStatus, SyncRun } from '../../src/contracts/integrations.ts';

/**
 * Operations at scale (issue 13): database faults, dead workers, the shared Notion budget, temp files.
 * Fault injection needs a real PostgreSQL server (pg_terminate_backend); those tests are skipped on PGlite.
 */
const serverUrl = process.env.TEST_DATABASE_URL;
const onPostgres = Boolean(serverUrl);

let server: RunningServer;
let admin: Session;
let sandbox: SandboxClient;

const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await res).json() as Promise<T>;

/** Terminate every other backend of the app's database, as a failover or an administrator would. */
async function terminateBackends(): Promise<number> {
  const database = new URL(server.runtime.services.dbHandle.databaseUrl!).pathname.slice(1);
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const res = await client.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [database],
    );
    return res.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  server = await startE2eServer({
    NOTION_RATE_LIMIT_RPS: '100',
    NOTION_RATE_LIMIT_BURST: '100',
    // Short leases, so a dead worker's work is handed back within seconds instead of a minute.
    WORK_STALE_AFTER_SECONDS: '2',
  });
  admin = await Session.signIn(server.url, DEMO.admin, DEMO.password);
  sandbox = await SandboxClient.discover(server.url);
  await connectNotion(admin, sandbox);
});
afterAll(async () => server?.close());

describe('database faults', () => {
  it.skipIf(!onPostgres)(
    'connections terminated under concurrent requests: the process stays up, failures are 503 database_unavailable, later requests succeed',
    async () => {
      const statuses: number[] = [];
      for (let round = 0; round < 4; round += 1) {
        const requests = Array.from({ length: 10 }, () => admin.request('/api/documents'));
        const killed = terminateBackends();
        for (const res of await Promise.all(requests)) {
          statuses.push(res.status);
          if (res.status !== 200) {
            expect(res.status).toBe(503);
            expect(res.headers.get('retry-after')).toBe('1');
            expect((await json<{ error: { code: string } }>(res)).error.code).toBe('database_unavailable');
          }
        }
        expect(await killed).toBeGreaterThanOrEqual(0);
      }
      expect(statuses.every((st) => st === 200 || st === 503)).toBe(true);
      await eventually(async () => (await admin.request('/api/documents')).status === 200, 30_000, 'a healthy request');
      const health = await eventually(
        async () => {
          const res = await fetch(`${server.url}/healthz`);
          return res.status === 200 ? json<{ database: { ok: boolean }; queue: { ok: boolean } }>(res) : null;
        },
        30_000,
        'healthy /healthz',
      );
      expect(health).toMatchObject({ database: { ok: true }, queue: { ok: true } });
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    },
  );

  it.skipIf(!onPostgres)(
    'connections terminated again and again during an import: the import completes with every page imported once',
    async () => {
      await sandbox.notion('config', { latencyMs: 150 });
      try {
        const pages = [DEMO_IDS.securityOverview, DEMO_IDS.incidentResponse, DEMO_IDS.businessContinuity];
        const res = await admin.request('/api/notion/imports', { method: 'POST', json: { pageIds: pages } });
        expect(res.status).toBe(202);
        const { importId } = await json<{ importId: string }>(res);
        let terminations = 0;
        const done = eventually(
          async () => {
            const r = await admin.request(`/api/notion/imports/${importId}`);
            if (r.status !== 200) return null;
            const imp = await json<ImportStatus>(r);
            return imp.status !== 'running' ? imp : null;
          },
          120_000,
          'the import under connection faults',
        );
        // Keep terminating while the import runs (bounded, so the import can also finish between faults).
        for (let i = 0; i < 8; i += 1) {
          terminations += await terminateBackends();
          await new Promise((r) => setTimeout(r, 400));
        }
        const imp = await done;
        expect(terminations).toBeGreaterThan(0);
        expect(imp).toMatchObject({ status: 'completed', total: 3, done: 3, failed: 0 });
        const copies = await server.runtime.services.db
          .selectFrom('documents')
          .select('source_id')
          .where('source_id', 'in', pages)
          .execute();
        expect(copies).toHaveLength(3);
      } finally {
        await sandbox.notion('config', { latencyMs: 0 });
      }
    },
  );
});

describe('stuck work', () => {
  it('a sync run whose worker died does not block "Sync now": the run is handed back and completes', async () => {
    const db = server.runtime.services.db;
    const integration = await db.selectFrom('integrations').select(['id', 'tenant_id']).executeTakeFirstOrThrow();
    // A run claimed by a worker that was killed: running, its heartbeat long silent, its job id dead.
    const dead = await db
      .insertInto('sync_runs')
      .values({
        tenant_id: integration.tenant_id,
        integration_id: integration.id,
        trigger: 'manual',
        mode: 'delta',
        status: 'running',
        started_at: new Date(Date.now() - 5 * 60_000),
        heartbeat_at: new Date(Date.now() - 5 * 60_000),
        attempts: 1,
        job_id: crypto.randomUUID(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await admin.request('/api/integrations/notion/sync', { method: 'POST', json: {} });
    expect(res.status).toBeLessThan(300);
    const finished = await eventually(
      async () => {
        const runs = await json<{ items: SyncRun[] }>(admin.request('/api/integrations/notion/sync-runs?limit=20'));
        const run = runs.items.find((r) => r.id === dead.id);
        return run && run.status !== 'queued' && run.status !== 'running' ? { run, runs: runs.items } : null;
      },
      60_000,
      'the handed-back run',
    );
    expect(finished.run.status).toBe('succeeded');
    expect(finished.runs.filter((r) => r.error?.includes('in progress'))).toEqual([]);
    // And "Sync now" works again right after.
    const again = await json<{ syncRunId: string; alreadyRunning: boolean }>(
      admin.request('/api/integrations/notion/sync', { method: 'POST', json: {} }),
    );
    expect(again.syncRunId).not.toBe(dead.id);
  });

  it('temporary files of an upload killed mid-way are swept at start; a live one is kept', async () => {
    const db = await createTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: db.dataDir,
      SANDBOX: 'off',
      DEMO_ON_FIRST_START: 'false',
    });
    const dir = path.join(config.filesDir, 'tenant', 'uploads');
    fs.mkdirSync(dir, { recursive: true });
    const abandoned = path.join(dir, '.tmp-abandoned');
    const live = path.join(dir, '.tmp-live');
    fs.writeFileSync(abandoned, Buffer.alloc(1024 * 1024));
    fs.writeFileSync(live, 'still being written');
    const anHourAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(abandoned, anHourAgo, anHourAgo);
    const runtime = await bootstrap(config, createLogger('silent'), { web: true, worker: false }, db);
    try {
      expect(fs.existsSync(abandoned)).toBe(false);
      expect(fs.existsSync(live)).toBe(true);
    } finally {
      await runtime.stop();
    }
  });
});

describe('one Notion budget per connection', () => {
  it.skipIf(!onPostgres)(
    'two processes (two connection pools) draw from one bucket: paced together, the fake Notion answers no 429',
    async () => {
      const services = server.runtime.services;
      const integration = await services.db
        .selectFrom('integrations')
        .select(['nango_connection_id', 'provider_config_key'])
        .executeTakeFirstOrThrow();
      const other = await openDatabase({ databaseUrl: services.dbHandle.databaseUrl });
      // Notion's limit has a few tokens of slack over ours, so network jitter on a loaded machine cannot earn a
      // 429; two buckets of their own (one per process) would send 8 at once and then twice the rate, and
      // run the fake dry within a second.
      const limit = { rps: 4, burst: 4 };
      await sandbox.notion('config', { rateLimit: { rps: 4, burst: 8 } });
      await sandbox.notion('reset-log');
      try {
        const key = `test-shared:${integration.nango_connection_id}`;
        const gateways = [services.db, other.db].map((db) =>
          createNotionGateway({
            mode: 'nango',
            nangoHost: services.nangoSettings!.host,
            secretKey: services.nangoSettings!.secretKey,
            connectionId: integration.nango_connection_id,
            providerConfigKey: integration.provider_config_key,
            limiter: createSharedRateLimiter(db, key, limit),
            maxRetries: 3,
          }),
        );
        const started = Date.now();
        await Promise.all(
          gateways.flatMap((g) => Array.from({ length: 8 }, () => g.retrievePage(DEMO_IDS.securityOverview))),
        );
        const elapsed = Date.now() - started;
        const { counters } = await json<{ counters: { total: number; byStatus: Record<string, number> } }>(
          fetch(`${sandbox.notionBaseUrl}/__fake/requests`),
        );
        expect(counters.byStatus['429'] ?? 0).toBe(0);
        expect(counters.total).toBe(16);
        // 16 requests at 4/s with a burst of 4 cannot take less than (16 - 4) / 4 = 3 s.
        expect(elapsed).toBeGreaterThanOrEqual(2900);
      } finally {
        await sandbox.notion('config', { rateLimit: null });
        await other.close();
      }
    },
  );
});

describe('sandbox mode split across processes', () => {
  it.skipIf(!onPostgres)(
    'a worker-only process uses the fakes of the web process on the same DATA_DIR instead of starting its own',
    async () => {
      const web = server.runtime.services;
      const config = loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_DIR: web.config.dataDir,
        SANDBOX: 'on',
        DEMO_ON_FIRST_START: 'false',
      });
      const handle = await openDatabase({ databaseUrl: web.dbHandle.databaseUrl });
      const worker = await bootstrap(config, createLogger('silent'), { web: false, worker: false }, handle);
      try {
        expect(worker.services.sandbox).toEqual(web.sandbox);
        expect(worker.services.nangoSettings).toEqual(web.nangoSettings);
        expect(worker.services.downloadPolicy.allowHttpHosts).toContain(new URL(web.sandbox!.notionBaseUrl).host);
      } finally {
        await worker.stop();
      }
    },
  );
});
