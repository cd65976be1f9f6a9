import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../support/test-app.ts';
import { SandboxClient, connectNotion, eventually } from '../support/sandbox-client.ts';
import { createTestDatabase } from '../support/test-db.ts';
import { DEMO } from '../../src/app/demo-tenant.ts';
import { DEMO_IDS } from '../../src/sandbox/demo-workspace/workspace.ts';
import { startServer, type RunningServer } from '../../src/app/server.ts';
import { bootstrap, type Runtime } from '../../src/app/bootstrap.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { openDatabase } from '../../src/platform/db/client.ts';
import type { ImportStatus } from '../../src/contracts/integrations.ts';

/**
 * A worker process killed with SIGKILL in the middle of an import, while another worker runs: the other
 * one finishes every page, each exactly once. Needs PostgreSQL (several processes share the database).
 */
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const PAGES = [
  DEMO_IDS.securityOverview,
  DEMO_IDS.encryptionStandards,
  DEMO_IDS.incidentResponse,
  DEMO_IDS.businessContinuity,
];

let web: RunningServer;
let admin: Session;
let sandbox: SandboxClient;
let doomed: ChildProcess | undefined;
let survivor: Runtime | undefined;

/** Environment shared by the web process and both workers: one database, one DATA_DIR, the web's fakes. */
function sharedEnv(dataDir: string, databaseUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SANDBOX: 'on',
    DEMO_ON_FIRST_START: 'false',
    // Short leases, so the dead worker's pages are handed back within seconds instead of a minute.
    WORK_STALE_AFTER_SECONDS: '2',
  };
}

/** Start `src/app/worker.ts` as its own process and wait until it runs jobs. */
async function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/worker.ts'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20_000)));
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20_000)));
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`the worker process exited: ${log}`);
      return log.includes('worker started');
    },
    180_000,
    'the worker process to start',
  );
  return child;
}

beforeAll(async () => {
  if (!onPostgres) return;
  const db = await createTestDatabase();
  const config = loadConfig({ ...sharedEnv(db.dataDir, db.databaseUrl!), PORT: '0', DEMO_ON_FIRST_START: 'true' });
  // The web process runs no jobs: every page is worked on by the two worker processes.
  web = await startServer(config, createLogger('silent'), { worker: false, db });
  admin = await Session.signIn(web.url, DEMO.admin, DEMO.password);
  sandbox = await SandboxClient.discover(web.url);
  await connectNotion(admin, sandbox);
});

afterAll(async () => {
  doomed?.kill('SIGKILL');
  await survivor?.stop();
  await sandbox?.notion('config', { latencyMs: 0 }).catch(() => undefined);
  await web?.close();
});

describe('a worker killed mid-import', () => {
  it.skipIf(!onPostgres)(
    'the other worker finishes every page, each once, with no document twice',
    async () => {
      const env = sharedEnv(web.runtime.services.config.dataDir, web.runtime.services.dbHandle.databaseUrl!);
      const db = web.runtime.services.db;
      doomed = await startWorkerProcess(env);

      // Notion answers so slowly that the first worker cannot finish a page before it is killed.
      await sandbox.notion('config', { latencyMs: 30_000 });
      const res = await admin.request('/api/notion/imports', { method: 'POST', json: { pageIds: PAGES } });
      expect(res.status).toBe(202);
      const { importId } = (await res.json()) as { importId: string };
      await eventually(
        async () => {
          const items = await db
            .selectFrom('import_items')
            .select('status')
            .where('import_id', '=', importId)
            .execute();
          return items.length === PAGES.length && items.every((i) => i.status === 'running');
        },
        120_000,
        'the first worker to hold every page',
      );

      // The second worker starts while the first holds everything, then the first dies without a word.
      const config = loadConfig(env);
      survivor = await bootstrap(
        config,
        createLogger('silent'),
        { web: false, worker: true },
        await openDatabase({ databaseUrl: env.DATABASE_URL }),
      );
      const exited = new Promise((r) => doomed!.once('exit', r));
      doomed.kill('SIGKILL');
      await exited;
      await sandbox.notion('config', { latencyMs: 0 });

      const finished = await eventually(
        async () => {
          const r = await admin.request(`/api/notion/imports/${importId}`);
          const imp = (await r.json()) as ImportStatus;
          return imp.status !== 'running' ? imp : null;
        },
        120_000,
        'the second worker to finish the import',
      );
      expect(finished).toMatchObject({ status: 'completed', total: PAGES.length, done: PAGES.length, failed: 0 });
      const items = await db
        .selectFrom('import_items')
        .select(['status', 'attempts'])
        .where('import_id', '=', importId)
        .execute();
      // Every page was claimed by the dead worker first and handed back once, not failed.
      expect(items.map((i) => [i.status, i.attempts])).toEqual(PAGES.map(() => ['succeeded', 2]));
      const documents = await db.selectFrom('documents').select('source_id').where('source_id', 'in', PAGES).execute();
      expect(documents.map((d) => d.source_id).sort()).toEqual([...PAGES].sort());
    },
    420_000,
  );
});
