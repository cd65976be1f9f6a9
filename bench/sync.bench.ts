/**
 * Sync benchmark (not a test): `npm run bench:sync`.
 *
 * 1,000 Notion-linked documents, 10 of whose pages changed since the last sync, served by the fake Notion
 * behind the fake Nango (the app's real path: gateway → Nango proxy → Notion).
 * A: delta run with 100 ms latency and Notion's rate limit (3 req/s, burst 10) — target ≤ ceil(10/100) + 2 calls.
 * B: reconcile run (reads every linked page the delta did not see) — target ≤ 1,000 calls. At 3 req/s it
 *    would take about 5.5 minutes, so it runs without latency or rate limit and the time at 3 req/s is
 *    projected from the calls made.
 * The documents are seeded straight into the database; importing 1,000 pages is the import benchmark's job.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO } from '../src/app/demo-tenant.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createNotionGateway } from '../src/connectors/notion/gateway.ts';
import type { NotionPage } from '../src/connectors/notion/gateway-types.ts';
import { notionSourceFields } from '../src/connectors/notion/import/source-fields.ts';
import { createRateLimiter } from '../src/connectors/notion/rate-limiter.ts';
import { runSync } from '../src/connectors/notion/sync/run-sync.ts';
import { insertRun } from '../src/connectors/notion/sync/sync-runs.repo.ts';
import { withTenant } from '../src/platform/db/tenant-scope.ts';
import { createLogger } from '../src/platform/logger.ts';
import { generateLargeWorkspace, startFakeNotion } from '../src/sandbox/fake-notion/index.ts';
import { startFakeNango } from '../src/sandbox/fake-nango/index.ts';
import { startServer, type RunningServer } from '../src/app/server.ts';
import { formatMs, printTable, verdict } from './support/report.ts';

const PAGES = 1000;
const CHANGED = 10;
const LATENCY_MS = 100;
const NOTION_LIMIT = { rps: 3, burst: 10 };
const MINUTE = 60_000;

const large = generateLargeWorkspace({ pages: PAGES, changed: CHANGED });
const changed = new Set(large.changedPageIds);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-bench-sync-'));

const fakeNotion = await startFakeNotion({ workspace: large.workspace });
const secretKey = crypto.randomUUID();
const webhookSigningKey = crypto.randomUUID();
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  PORT: '0',
  DATA_DIR: dataDir,
  SANDBOX: 'off',
  DEMO_ON_FIRST_START: 'true',
  NANGO_SECRET_KEY: secretKey,
  NANGO_WEBHOOK_SIGNING_KEY: webhookSigningKey,
  NANGO_HOST: 'http://127.0.0.1:1',
  // Our limiter is built once per connection, so it is lifted here for the reconcile run; in the delta run
  // the fake's own 3 req/s limit applies (and 429s are honoured).
  NOTION_RATE_LIMIT_RPS: '1000000',
  NOTION_RATE_LIMIT_BURST: '1000000',
});
const fakeNango = await startFakeNango({
  secretKey,
  webhookSigningKey,
  notionBaseUrl: fakeNotion.url,
  logger: createLogger('silent'),
  webhookUrl: () => `${config.publicUrl}/api/webhooks/nango`,
});
config.NANGO_HOST = fakeNango.url;
// No worker: runs are driven here, so that nothing else (the cron, a queued job) touches the connection.
const server: RunningServer = await startServer(config, createLogger('silent'), { worker: false });
const s = server.runtime.services;

try {
  const tenantId = await connectDemoTenant();
  const integration = await s.db
    .selectFrom('integrations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  await seedLinkedDocuments(tenantId);
  // As after an earlier successful sync: its high-water mark is just before the 10 edits, reconcile done.
  await s.db
    .updateTable('sync_states')
    .set({
      high_water_mark: new Date(large.changedAfter),
      last_reconcile_at: new Date(),
      status: 'ok',
    })
    .where('integration_id', '=', integration.id)
    .execute();

  fakeNotion.control.setLatency(LATENCY_MS);
  fakeNotion.control.setRateLimit(NOTION_LIMIT);
  const delta = await measuredRun(tenantId, integration.id, false);
  const flagged = await s.db.selectFrom('documents').select('id').where('update_available', '=', true).execute();

  fakeNotion.control.setLatency(0);
  fakeNotion.control.setRateLimit(null);
  const reconcile = await measuredRun(tenantId, integration.id, true);

  const deltaTarget = Math.ceil(CHANGED / 100) + 2;
  // Notion's bucket serves the first `burst` calls at once, then 3 per second.
  const projected = (calls: number) => (Math.max(0, calls - NOTION_LIMIT.burst) / NOTION_LIMIT.rps) * 1000;
  console.log(
    `\nSync of ${PAGES.toLocaleString('en')} linked pages, ${CHANGED} changed (fake Notion behind fake Nango)\n`,
  );
  printTable(
    [
      'run',
      'conditions',
      'Notion calls',
      'target',
      '429s',
      'pages checked',
      'changed',
      'wall time',
      'at 3 req/s (projected)',
      'verdict',
    ],
    [
      [
        'delta',
        `${LATENCY_MS} ms latency, 3 req/s burst 10`,
        String(delta.calls),
        `≤ ${deltaTarget}`,
        String(delta.rateLimited),
        String(delta.run.pages_checked),
        String(delta.run.pages_changed),
        formatMs(delta.ms),
        '(measured)',
        verdict(delta.calls <= deltaTarget && delta.run.status === 'succeeded'),
      ],
      [
        'reconcile',
        'no latency, no rate limit',
        String(reconcile.calls),
        `≤ ${PAGES}`,
        String(reconcile.rateLimited),
        String(reconcile.run.pages_checked),
        String(reconcile.run.pages_changed),
        formatMs(reconcile.ms),
        formatMs(projected(reconcile.calls)),
        verdict(reconcile.calls <= PAGES && reconcile.run.status === 'succeeded'),
      ],
    ],
  );
  console.log(`\n  After the delta run ${flagged.length} documents show update_available (expected ${CHANGED}).`);
  console.log(
    '  The reconcile run also makes one delta search first; every linked page it did not see is read once.\n',
  );
} finally {
  await server.close();
  await fakeNango.close();
  await fakeNotion.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** One run driven in this process, with the Notion requests the fake saw meanwhile. */
async function measuredRun(tenantId: string, integrationId: string, reconcile: boolean) {
  fakeNotion.control.resetLog();
  // The run is recorded as the API would, then run here rather than through the job queue.
  const { id: syncRunId } = await withTenant(s.db, tenantId, (trx) =>
    insertRun(trx, {
      tenantId,
      integrationId,
      trigger: 'manual',
      mode: reconcile ? 'reconcile' : 'delta',
    }),
  );
  const started = performance.now();
  // Run here rather than by a queue job, so the claim names a job id of its own.
  await runSync(s, { tenantId, integrationId, runId: syncRunId, reconcile, jobId: crypto.randomUUID() });
  const ms = performance.now() - started;
  const run = await withTenant(s.db, tenantId, (trx) =>
    trx.selectFrom('sync_runs').selectAll().where('id', '=', syncRunId).executeTakeFirstOrThrow(),
  );
  if (run.status !== 'succeeded') throw new Error(`sync run ${run.status}: ${run.error}`);
  const counters = fakeNotion.control.counters();
  return {
    run,
    ms,
    calls: counters.total,
    rateLimited: counters.byStatus['429'] ?? 0,
  };
}

/** Sign in as the demo admin and connect Notion through the fake Nango's consent flow. */
async function connectDemoTenant(): Promise<string> {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO.admin, password: DEMO.password }),
  });
  const { csrfToken, tenant } = (await login.json()) as {
    csrfToken: string;
    tenant: { id: string };
  };
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const connect = await fetch(`${server.url}/api/integrations/notion/connect`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken },
  });
  const { sessionToken } = (await connect.json()) as { sessionToken: string };
  const approved = await fetch(`${fakeNango.url}/__fake/sessions/${sessionToken}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (approved.status !== 200) throw new Error(`connect failed: ${approved.status}`);
  for (let i = 0; i < 100; i += 1) {
    if (await s.db.selectFrom('integrations').select('id').where('tenant_id', '=', tenant.id).executeTakeFirst())
      return tenant.id;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the connection webhook never arrived');
}

/** 1,000 documents as an earlier import left them; the changed pages' content predates their edit. */
async function seedLinkedDocuments(tenantId: string): Promise<void> {
  const before = new Date(Date.parse(large.changedAfter) - MINUTE).toISOString();
  // The pages' metadata as Notion reports it, read before the measured runs (and off their request log).
  const reader = createNotionGateway({
    mode: 'direct',
    token: 'bench-seed',
    baseUrl: fakeNotion.url,
    limiter: createRateLimiter({ rps: 1e9, burst: 1e9 }),
    maxRetries: 0,
  });
  const pages: NotionPage[] = [];
  for (let cursor: string | undefined; ;) {
    const list = await reader.search({ type: 'page', cursor, pageSize: 100 });
    pages.push(...list.results.filter((r): r is NotionPage => r.object === 'page'));
    if (!list.nextCursor) break;
    cursor = list.nextCursor;
  }
  const rows = pages.map((page) => {
    const imported = changed.has(page.id) ? before : page.lastEditedTime;
    const markdown = `## ${page.title}\n`;
    return {
      tenant_id: tenantId,
      title: page.title,
      kind: 'markdown' as const,
      body_markdown: markdown,
      source: 'notion' as const,
      source_id: page.id,
      ...notionSourceFields(page),
      source_last_edited_time: imported,
      content_last_edited_time: imported,
      synced_at: new Date(before),
      content_hash: crypto.createHash('sha256').update(markdown).digest('hex'),
    };
  });
  await withTenant(s.db, tenantId, async (trx) => {
    for (let i = 0; i < rows.length; i += 250)
      await trx
        .insertInto('documents')
        .values(rows.slice(i, i + 250))
        .execute();
  });
}
