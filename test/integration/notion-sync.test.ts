import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../support/test-app.ts';
import { SandboxClient, connectNotion, eventually } from '../support/sandbox-client.ts';
import { createTestDatabase } from '../support/test-db.ts';
import { DEMO } from '../../src/app/demo-tenant.ts';
import { createTenantWithAdmin } from '../../src/accounts/tenant-setup.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { gatewayForIntegration } from '../../src/connectors/notion/connection.ts';
import { startSync } from '../../src/connectors/notion/sync/start-sync.ts';
import { syncScheduleJob } from '../../src/connectors/notion/sync/sync-schedule.job.ts';
import { withTenant } from '../../src/platform/db/tenant-scope.ts';
import { createLogger } from '../../src/platform/logger.ts';
import {
  b,
  generateLargeWorkspace,
  startFakeNotion,
  type FakeNotion,
  type RequestLogEntry,
} from '../../src/sandbox/fake-notion/index.ts';
import { startFakeNango, type FakeNango } from '../../src/sandbox/fake-nango/index.ts';
import { startServer, type RunningServer } from '../../src/app/server.ts';
import type { DocumentDto, RevisionDetail } from '../../src/contracts/documents.ts';
import type { ImportStatus, Integration, SyncRun } from '../../src/contracts/integrations.ts';

/**
 * Sync scenarios against a workspace large enough for multi-page search (251 pages = 3 result pages of
 * 100), served by a fake Notion behind a fake Nango that the app reaches exactly as it would the real
 * services (not sandbox mode, whose workspace is fixed to the small demo one).
 */
const PAGES = 250;
const large = generateLargeWorkspace({ pages: PAGES, changed: 0 });
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const IMAGE_PAGE = '1a9e0000-0000-4000-8000-000000000001';
const workspace = {
  ...large.workspace,
  pages: [
    ...large.workspace.pages,
    {
      id: IMAGE_PAGE,
      title: 'Architecture diagram',
      createdTime: '2025-12-01T00:00:00.000Z',
      lastEditedTime: '2025-12-01T00:00:00.000Z',
      children: [b.paragraph('Our network layout:'), b.hosted('image', { key: 'network.png', caption: [] })],
    },
  ],
  files: [
    {
      key: 'network.png',
      contentType: 'image/png',
      bytesBase64: PNG.toString('base64'),
    },
  ],
};
const TOTAL_PAGES = PAGES + 1;
const P = large.workspace.pages.map((p) => p.id);
const LINKED = [P[0]!, P[1]!, P[2]!, P[3]!, P[4]!, IMAGE_PAGE];
const INTERVAL_MS = 4 * 3600_000;

let fakeNotion: FakeNotion;
let fakeNango: FakeNango;
let server: RunningServer;
let admin: Session;
let sandbox: SandboxClient;

const s = () => server.runtime.services;
const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await res).json() as Promise<T>;
const control = () => fakeNotion.control;
const lastSeq = () => control().requests().at(-1)?.seq ?? 0;
const apiCallsSince = (seq: number): RequestLogEntry[] =>
  control()
    .requests()
    .filter((r) => r.seq > seq && r.path.startsWith('/v1/'));
const searchCalls = (entries: RequestLogEntry[]) =>
  entries.filter((r) => r.method === 'POST' && r.path === '/v1/search');

async function docBySource(pageId: string): Promise<DocumentDto> {
  const row = await s()
    .db.selectFrom('documents')
    .select('id')
    .where('source_id', '=', pageId)
    .executeTakeFirstOrThrow();
  return json<DocumentDto>(admin.request(`/api/documents/${row.id}`));
}

/** The sync reads a changed page into a revision right after its run; wait until it is there. */
const waitForRevision = (pageId: string) =>
  eventually(
    async () => {
      const doc = await docBySource(pageId);
      return doc.pendingRevisionId ? doc : null;
    },
    45_000,
    `revision of ${pageId}`,
  );

/** Earlier runs may still be reading changed pages into revisions; counting calls needs them finished. */
const pageReadsSettled = () =>
  eventually(
    async () => {
      const busy = await s()
        .db.selectFrom('import_items')
        .select('id')
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst();
      return !busy;
    },
    45_000,
    'page reads to finish',
  );

const integrationRow = (tenantId = admin.tenantId) =>
  s().db.selectFrom('integrations').selectAll().where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
const syncState = async (tenantId = admin.tenantId) =>
  s().db.selectFrom('sync_states').selectAll().where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
const runsOf = (tenantId: string) =>
  s().db.selectFrom('sync_runs').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute();

async function waitForRun(runId: string, session = admin): Promise<SyncRun> {
  return eventually(
    async () => {
      const runs = await json<{ items: SyncRun[] }>(session.request('/api/integrations/notion/sync-runs?limit=100'));
      const run = runs.items.find((r) => r.id === runId);
      return run && run.status !== 'queued' && run.status !== 'running' ? run : null;
    },
    45_000,
    `sync run ${runId}`,
  );
}

async function startManualSync(
  body: { reconcile?: boolean } = {},
): Promise<{ syncRunId: string; alreadyRunning: boolean }> {
  const res = await admin.request('/api/integrations/notion/sync', {
    method: 'POST',
    json: body,
  });
  expect(res.status).toBe(202);
  return json(res);
}

async function syncNow(body: { reconcile?: boolean } = {}): Promise<SyncRun> {
  return waitForRun((await startManualSync(body)).syncRunId);
}

/**
 * Forget the high-water mark, as a reconnect does (the connection may now see another workspace): the
 * next delta pass walks every result page again, which the crash and reaper scenarios need.
 */
async function forgetHighWaterMark(): Promise<void> {
  await s()
    .db.updateTable('sync_states')
    .set({ high_water_mark: null })
    .where('tenant_id', '=', admin.tenantId)
    .execute();
}

/** Run the scheduler's fan-out once, as its cron would. */
/** The page as Notion's API (not its search index) shows it now. */
const gatewayPage = async (pageId: string) => gatewayForIntegration(s(), await integrationRow()).retrievePage(pageId);
const runScheduler = () => syncScheduleJob.handle({}, s(), { jobId: 'test' });

beforeAll(async () => {
  fakeNotion = await startFakeNotion({ workspace });
  const secretKey = crypto.randomUUID();
  const webhookSigningKey = crypto.randomUUID();
  const db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    DATA_DIR: db.dataDir,
    SANDBOX: 'off',
    DEMO_ON_FIRST_START: 'true',
    NANGO_SECRET_KEY: secretKey,
    NANGO_WEBHOOK_SIGNING_KEY: webhookSigningKey,
    NANGO_HOST: 'http://127.0.0.1:1',
    // One retry with a short back-off keeps the failure scenarios fast; our limiter is lifted so that
    // the fake's rate limit is the one that bites.
    NOTION_MAX_RETRIES: '1',
    NOTION_RATE_LIMIT_RPS: '100',
    NOTION_RATE_LIMIT_BURST: '100',
    DOWNLOAD_HTTP_ALLOW_HOSTS: '127.0.0.1',
  });
  fakeNango = await startFakeNango({
    secretKey,
    webhookSigningKey,
    notionBaseUrl: fakeNotion.url,
    logger: createLogger('silent'),
    webhookUrl: () => `${config.publicUrl}/api/webhooks/nango`,
  });
  config.NANGO_HOST = fakeNango.url;
  server = await startServer(config, createLogger('silent'), {
    worker: true,
    db,
  });
  admin = await Session.signIn(server.url, DEMO.admin, DEMO.password);
  sandbox = new SandboxClient(fakeNango.url, fakeNotion.url);
  await connectNotion(admin, sandbox);
});

afterAll(async () => {
  await server?.close();
  await fakeNango?.close();
  await fakeNotion?.close();
});

describe('Notion sync', () => {
  it('initial sync: imported documents are refreshed by one delta pass over every page', async () => {
    const res = await admin.request('/api/notion/imports', {
      method: 'POST',
      json: { pageIds: LINKED },
    });
    const { importId } = await json<{ importId: string }>(res);
    const imp = await eventually(
      async () => {
        const body = await json<ImportStatus>(admin.request(`/api/notion/imports/${importId}`));
        return body.status === 'completed' ? body : null;
      },
      45_000,
      'import',
    );
    expect(imp).toMatchObject({ total: 6, done: 6, failed: 0 });

    const before = lastSeq();
    const started = Date.now();
    const run = await syncNow();
    expect(run).toMatchObject({
      status: 'succeeded',
      trigger: 'manual',
      mode: 'reconcile',
      // Linked pages found in Notion's answer, not every page of the workspace.
      pagesChecked: LINKED.length,
      pagesChanged: 0,
      pagesMissing: 0,
      error: null,
    });
    const calls = apiCallsSince(before);
    // Every linked page was seen by the search, so the (first, hence due) reconcile reads nothing more.
    expect(searchCalls(calls)).toHaveLength(Math.ceil(TOTAL_PAGES / 100));
    expect(calls).toHaveLength(3);
    expect(run.notionCalls).toBe(3);

    const state = await syncState();
    const newest = Math.max(...workspace.pages.map((p) => Date.parse(p.lastEditedTime!)));
    expect(state).toMatchObject({
      stage: 'idle',
      status: 'ok',
      cursor: null,
      failure_count: 0,
      pending_high_water_mark: null,
    });
    expect(state.high_water_mark?.getTime()).toBe(newest);
    expect(state.last_success_at).not.toBeNull();
    expect(state.last_reconcile_at).not.toBeNull();
    const docs = await s().db.selectFrom('documents').selectAll().where('source', '=', 'notion').execute();
    expect(docs).toHaveLength(6);
    for (const doc of docs) {
      // Just imported at these very edit times: the delta pass finds them already applied and writes nothing.
      expect(doc.synced_at!.getTime()).toBeLessThanOrEqual(started);
      expect(doc).toMatchObject({
        source_status: 'ok',
        update_available: false,
      });
    }
    const integration = (await json<{ items: Integration[] }>(admin.request('/api/integrations'))).items[0]!;
    expect(integration.lastSyncAt).not.toBeNull();
  });

  it('import re-hosts images: the Markdown holds asset:<sha256>.png and no Notion file URL', async () => {
    const image = await docBySource(IMAGE_PAGE);
    const ref = /asset:([0-9a-f]{64})\.png/.exec(image.markdown ?? '');
    expect(ref?.[1]).toBe(crypto.createHash('sha256').update(PNG).digest('hex'));
    expect(image.markdown).not.toContain(fakeNotion.url);
    expect(image.markdown).not.toContain('/files/');
    const asset = await admin.request(`/api/documents/${image.id}/assets/${ref![1]}.png`);
    expect(asset.status).toBe(200);
    expect(Buffer.from(await asset.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('incremental edit: the sync finds it in ≤ ceil(changed/100) + 2 calls and reads it into a revision for review; title and content stay as published', async () => {
    const before = await docBySource(P[1]!);
    control().editPage(P[1]!, {
      title: 'Policy document 1 (revised)',
      appendParagraph: 'A new clause, not yet published.',
    });
    const seq = lastSeq();
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', pagesChanged: 1 });
    expect(run.notionCalls).toBeLessThanOrEqual(Math.ceil(1 / 100) + 2);
    // Reading the changed page into a revision happens after the run, without another search.
    expect(searchCalls(apiCallsSince(seq))).toHaveLength(1);
    const after = await waitForRevision(P[1]!);
    expect(after).toMatchObject({
      title: before.title,
      updateAvailable: false,
      sourceStatus: 'ok',
      markdown: before.markdown,
      contentHash: before.contentHash,
    });
    expect(Date.parse(after.sourceLastEditedTime!)).toBeGreaterThan(Date.parse(before.sourceLastEditedTime!));
    const revision = await json<RevisionDetail>(
      admin.request(`/api/documents/${after.id}/revisions/${after.pendingRevisionId}`),
    );
    expect(revision).toMatchObject({ status: 'pending', title: 'Policy document 1 (revised)' });
    expect(revision.html).toContain('A new clause');
    const waiting = await json<{ items: DocumentDto[] }>(admin.request('/api/documents?pendingRevision=true'));
    expect(waiting.items.map((d) => d.id)).toEqual([after.id]);
  });

  it('index lag: an edit Notion has not indexed yet when a delta runs is picked up by the next delta run', async () => {
    await syncNow();
    const before = await docBySource(P[3]!);
    expect(before.updateAvailable).toBe(false);
    control().setSearchLag(30_000);
    try {
      control().editPage(P[3]!, { appendParagraph: 'Edited just before the sync.' });
      const first = await syncNow();
      expect(first.status).toBe('succeeded');
      expect((await docBySource(P[3]!)).updateAvailable).toBe(false);
      // Meanwhile another page, edited later, was indexed first and moved the high-water mark past this edit
      // (Notion's lag is not the same for every page): only the overlap window can still find it.
      const edited = Date.parse((await gatewayPage(P[3]!)).lastEditedTime);
      await s()
        .db.updateTable('sync_states')
        .set({ high_water_mark: new Date(edited + 5 * 60_000) })
        .where('tenant_id', '=', admin.tenantId)
        .execute();
      control().setSearchLag(0); // the 30 s have passed, as far as the index is concerned
      const second = await syncNow();
      expect(second).toMatchObject({ status: 'succeeded', mode: 'delta' });
      expect(await docBySource(P[3]!)).toMatchObject({ updateAvailable: true });
    } finally {
      control().setSearchLag(0);
    }
  });

  it('title change: the new title waits for review like content, other documents are untouched', async () => {
    const before = await docBySource(P[2]!);
    const untouched = await docBySource(P[0]!);
    control().editPage(P[2]!, { title: 'Policy document 2: Access reviews' });
    const run = await syncNow();
    expect(run).toMatchObject({ status: 'succeeded', pagesChanged: 1 });
    const after = await waitForRevision(P[2]!);
    expect(after.title).toBe(before.title);
    const published = await json<DocumentDto>(
      admin.request(`/api/documents/${after.id}/revisions/${after.pendingRevisionId}/publish`, { method: 'POST' }),
    );
    expect(published.title).toBe('Policy document 2: Access reviews');
    expect(published.markdown).toBe(before.markdown);
    expect(Date.parse(after.sourceLastEditedTime!)).toBeGreaterThan(Date.parse(before.sourceLastEditedTime!));
    expect((await docBySource(P[0]!)).updatedAt).toBe(untouched.updatedAt);
  });

  it('trashed page: source_status becomes trashed on reconcile, content kept', async () => {
    const before = await docBySource(P[3]!);
    control().editPage(P[3]!, { inTrash: true });
    const run = await syncNow({ reconcile: true });
    expect(run).toMatchObject({
      status: 'succeeded',
      mode: 'reconcile',
      pagesMissing: 1,
    });
    const after = await docBySource(P[3]!);
    expect(after).toMatchObject({
      sourceStatus: 'trashed',
      markdown: before.markdown,
      contentHash: before.contentHash,
      title: before.title,
    });
    const listed = await json<{ items: DocumentDto[] }>(admin.request('/api/documents?sourceStatus=trashed'));
    expect(listed.items.map((d) => d.id)).toEqual([after.id]);
  });

  it('unshared page: source_status becomes unshared, content kept', async () => {
    const before = await docBySource(P[4]!);
    control().editPage(P[4]!, { shared: false });
    const run = await syncNow({ reconcile: true });
    expect(run.status).toBe('succeeded');
    expect(run.pagesMissing).toBe(2);
    const after = await docBySource(P[4]!);
    expect(after).toMatchObject({
      sourceStatus: 'unshared',
      markdown: before.markdown,
      contentHash: before.contentHash,
    });
    expect((await docBySource(P[3]!)).sourceStatus).toBe('trashed');
  });

  it('page restored: trashed and unshared pages that come back return to ok', async () => {
    control().editPage(P[3]!, { inTrash: false });
    control().editPage(P[4]!, { shared: true });
    const run = await syncNow({ reconcile: true });
    expect(run).toMatchObject({ status: 'succeeded', pagesMissing: 0 });
    expect((await docBySource(P[3]!)).sourceStatus).toBe('ok');
    expect((await docBySource(P[4]!)).sourceStatus).toBe('ok');
  });

  it('rate limited mid-run: a 429 with Retry-After is waited out and the run still succeeds', async () => {
    await pageReadsSettled();
    // The next request is refused with 429 and Retry-After: 1, as Notion's limiter answers. (A fixed
    // refusal rather than the fake's token bucket: how many requests a bucket refuses depends on timing.)
    control().failNext(1, 429);
    const seq = lastSeq();
    const run = await syncNow({ reconcile: true });
    const calls = apiCallsSince(seq);
    expect(run.status).toBe('succeeded');
    expect(calls.filter((c) => c.status === 429)).toHaveLength(1);
    // Honouring Retry-After (1 s) means the refused request was tried again only after the wait.
    expect(Date.parse(run.finishedAt!) - Date.parse(run.startedAt!)).toBeGreaterThanOrEqual(900);
    expect(run.notionCalls).toBe(calls.length);
    for (const id of LINKED) expect((await docBySource(id)).sourceStatus).toBe('ok');
  });

  it('crash mid-run then resume: the run fails with its reason, keeps its cursor, and the next run continues from it', async () => {
    await forgetHighWaterMark();
    control().setLatency(250);
    const seq = lastSeq();
    const { syncRunId } = await startManualSync();
    // Fail the search for the second result page, once the first one is in, more often than the bounded
    // retries allow (NOTION_MAX_RETRIES=1 here), so the run ends.
    await eventually(
      async () => searchCalls(apiCallsSince(seq)).some((c) => c.status === 200),
      30_000,
      'first result page',
    );
    control().failNext(2, 503);
    const failed = await waitForRun(syncRunId);
    control().setLatency(0);
    control().failNext(0, 503); // nothing left over for the next test, whatever happened here
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/notion/i);
    expect(searchCalls(apiCallsSince(seq)).map((c) => c.status)).toEqual([200, 503, 503]);
    // The linked pages among the first 100 results were checked before the failure.
    expect(failed.pagesChecked).toBeGreaterThan(0);
    expect(failed.pagesChecked).toBeLessThan(LINKED.length);
    const state = await syncState();
    expect(state).toMatchObject({
      stage: 'delta',
      status: 'failing',
      failure_count: 1,
    });
    expect(state.cursor).toBeTruthy();
    expect(state.pending_high_water_mark).not.toBeNull();

    const resumeSeq = lastSeq();
    const resumed = await syncNow();
    expect(resumed.status).toBe('succeeded');
    // The resumed run checks only the linked pages after the checkpoint: none is counted twice.
    expect(failed.pagesChecked + resumed.pagesChecked).toBe(LINKED.length);
    // Two result pages (101–200, 201–251), not three: it did not start over.
    expect(searchCalls(apiCallsSince(resumeSeq))).toHaveLength(2);
    const done = await syncState();
    expect(done).toMatchObject({
      stage: 'idle',
      status: 'ok',
      failure_count: 0,
      cursor: null,
      pending_high_water_mark: null,
    });
    expect(done.high_water_mark!.getTime()).toBe(state.pending_high_water_mark!.getTime());
  });

  it('manual during scheduled: no overlap, the manual request gets the running run', async () => {
    const runsBefore = (await runsOf(admin.tenantId)).length;
    control().setLatency(300);
    try {
      const scheduled = await startSync(s(), {
        tenantId: admin.tenantId,
        trigger: 'scheduled',
        reconcile: true,
        actor: { type: 'system', id: null, label: 'scheduler' },
      });
      expect(scheduled.alreadyRunning).toBe(false);
      const manual = await startManualSync();
      expect(manual).toEqual({
        syncRunId: scheduled.syncRunId,
        alreadyRunning: true,
      });
      const run = await waitForRun(scheduled.syncRunId);
      expect(run).toMatchObject({ status: 'succeeded', trigger: 'scheduled' });
    } finally {
      control().setLatency(0);
    }
    expect((await runsOf(admin.tenantId)).length).toBe(runsBefore + 1);
  });

  it('scheduler fan-out: only due connections get a run, their next run advances, paused ones are skipped', async () => {
    const tenants = [];
    for (const slug of ['beta', 'gamma']) {
      const { tenant } = await createTenantWithAdmin(s().db, {
        slug,
        name: slug,
        adminEmail: `admin@${slug}.test`,
        adminPassword: DEMO.password,
      });
      await connectNotion(await Session.signIn(server.url, `admin@${slug}.test`, DEMO.password), sandbox);
      tenants.push(tenant.id);
    }
    const [beta, gamma] = tenants as [string, string];
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 3600_000);
    const setState = (tenantId: string, values: { next_run_at: Date; status?: 'paused' }) =>
      s().db.updateTable('sync_states').set(values).where('tenant_id', '=', tenantId).execute();
    await setState(admin.tenantId, { next_run_at: past });
    await setState(beta, { next_run_at: future });
    await setState(gamma, { next_run_at: past, status: 'paused' });
    const counts = async (): Promise<number[]> =>
      Promise.all([admin.tenantId, beta, gamma].map(async (t) => (await runsOf(t)).length));
    const before = await counts();

    const now = Date.now();
    await runScheduler();
    const after = await counts();
    expect(after.map((n, i) => n - before[i]!)).toEqual([1, 0, 0]);
    const run = (await runsOf(admin.tenantId)).at(-1)!;
    expect(run).toMatchObject({ trigger: 'scheduled', mode: 'delta' });
    const next = (await syncState(admin.tenantId)).next_run_at!.getTime();
    expect(next).toBeGreaterThan(now);
    expect((next - past.getTime()) % INTERVAL_MS).toBe(0);
    expect((await syncState(beta)).next_run_at!.getTime()).toBe(future.getTime());
    expect((await syncState(gamma)).next_run_at!.getTime()).toBe(past.getTime());
    expect((await waitForRun(run.id)).status).toBe('succeeded');
  });

  it('reaper: a run whose worker died (stale heartbeat) is handed back, not failed, and resumes from its checkpoint', async () => {
    await forgetHighWaterMark();
    const integration = await integrationRow();
    const first = await gatewayForIntegration(s(), integration).search({
      type: 'page',
      sort: 'last_edited_desc',
      pageSize: 100,
    });
    expect(first.nextCursor).toBeTruthy();
    const stale = new Date(Date.now() - 20 * 60_000);
    const stuck = await withTenant(s().db, admin.tenantId, async (trx) => {
      await trx
        .updateTable('sync_states')
        .set({
          stage: 'delta',
          status: 'running',
          cursor: first.nextCursor,
          pending_high_water_mark: new Date(first.results[0]!.lastEditedTime!),
          next_run_at: new Date(Date.now() + 3600_000),
        })
        .where('integration_id', '=', integration.id)
        .execute();
      return trx
        .insertInto('sync_runs')
        .values({
          tenant_id: admin.tenantId,
          integration_id: integration.id,
          trigger: 'scheduled',
          mode: 'delta',
          status: 'running',
          started_at: stale,
          heartbeat_at: stale,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    });
    // "Sync now" does not wait on it: the run is handed back to the queue at once (no second run starts).
    const seq = lastSeq();
    expect(await startManualSync()).toEqual({
      syncRunId: stuck.id,
      alreadyRunning: true,
    });
    const resumed = await waitForRun(stuck.id);
    expect(resumed).toMatchObject({
      status: 'succeeded',
      // From the checkpoint on: the linked pages after the first 100 results.
      pagesChecked: LINKED.length - first.results.filter((r) => LINKED.includes(r.id)).length,
    });
    expect(searchCalls(apiCallsSince(seq))).toHaveLength(2);
    expect(await syncState()).toMatchObject({
      stage: 'idle',
      status: 'ok',
      cursor: null,
    });
    const runs = await runsOf(admin.tenantId);
    expect(runs.filter((r) => r.error?.includes('in progress'))).toEqual([]);
  });

  it('revoked token: the integration needs reauth, the run fails, and no run starts until reconnect', async () => {
    control().revoke();
    const run = await syncNow();
    expect(run.status).toBe('failed');
    expect(run.error).toBeTruthy();
    const integration = (await json<{ items: Integration[] }>(admin.request('/api/integrations'))).items[0]!;
    expect(integration.status).toBe('needs_reauth');
    expect((await syncState()).status).toBe('paused');

    const blocked = await admin.request('/api/integrations/notion/sync', {
      method: 'POST',
      json: {},
    });
    expect(blocked.status).toBe(409);
    expect((await json<{ error: { code: string } }>(blocked)).error.code).toBe('notion_needs_reauth');
    await s()
      .db.updateTable('sync_states')
      .set({ next_run_at: new Date(Date.now() - 60_000) })
      .where('tenant_id', '=', admin.tenantId)
      .execute();
    const before = (await runsOf(admin.tenantId)).length;
    await runScheduler();
    expect((await runsOf(admin.tenantId)).length).toBe(before);

    control().unrevoke();
    const res = await admin.request('/api/integrations/notion/reconnect', {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    await sandbox.approve((await json<{ sessionToken: string }>(res)).sessionToken);
    expect((await integrationRow()).status).toBe('connected');
    expect((await syncNow()).status).toBe('succeeded');
  });

  it('disconnect during a run: the run is cancelled, an answer still in flight changes nothing, and no further runs start', async () => {
    await pageReadsSettled();
    control().setLatency(400);
    const seq = lastSeq();
    let syncRunId = '';
    try {
      syncRunId = (await startManualSync({ reconcile: true })).syncRunId;
      await eventually(
        async () => (await runsOf(admin.tenantId)).find((r) => r.id === syncRunId && r.status === 'running'),
        30_000,
        'run to start',
      );
      // Let its first search reach Notion, so that it is answered after the disconnect.
      await new Promise((r) => setTimeout(r, 150));
      const res = await admin.request('/api/integrations/notion', {
        method: 'DELETE',
      });
      expect(res.status).toBe(200);
      expect((await waitForRun(syncRunId)).status).toBe('cancelled');
      await eventually(async () => apiCallsSince(seq).length > 0, 5000, 'the in-flight search to be answered');
      // The job is cancelled in the queue at once, but its handler only notices at its next checkpoint.
      await new Promise((r) => setTimeout(r, 800));
    } finally {
      control().setLatency(0);
    }
    expect(apiCallsSince(seq).map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual(['POST /v1/search 200']);
    const docs = await s()
      .db.selectFrom('documents')
      .select(['source_id', 'source_status'])
      .where('source', '=', 'notion')
      .orderBy('source_id')
      .execute();
    expect(docs).toHaveLength(6);
    expect(docs.every((d) => d.source_status === 'disconnected')).toBe(true);
    expect((await runsOf(admin.tenantId)).find((r) => r.id === syncRunId)!.status).toBe('cancelled');

    const before = (await runsOf(admin.tenantId)).length;
    await runScheduler();
    const blocked = await admin.request('/api/integrations/notion/sync', {
      method: 'POST',
      json: {},
    });
    expect(blocked.status).toBe(409);
    expect((await runsOf(admin.tenantId)).length).toBe(before);
  });
});
