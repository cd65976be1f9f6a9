import type { NangoAuthWebhookBody, NangoForwardWebhookBody } from '@nangohq/types';
import type { PageContentUpdatedWebhookPayload } from '@notionhq/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eServer } from '../support/e2e.ts';
import { Session } from '../support/test-app.ts';
import { SandboxClient, connectNotion, eventually, signWebhook } from '../support/sandbox-client.ts';
import { DEMO } from '../../src/app/demo-tenant.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { RunningServer } from '../../src/app/server.ts';
import type { Integration } from '../../src/contracts/integrations.ts';
import { refreshPageJob } from '../../src/connectors/notion/sync/refresh-page.job.ts';

/**
 * Every kind of webhook Nango really sends, signed as Nango signs it (HMAC-SHA256 of the raw body with the
 * environment's webhook signing key), against the whole app in sandbox mode with its worker running.
 */
let server: RunningServer;
let admin: Session;
let sandbox: SandboxClient;
let connectionId: string;
let workspaceId: string;
let linkedPageId: string;
let unlinkedPageId: string;
let documentId: string;
const logs: Record<string, unknown>[] = [];

const settings = () => server.runtime.services.nangoSettings!;
const integration = async () =>
  ((await (await admin.request('/api/integrations')).json()) as { items: Integration[] }).items[0]!;
const document = async () =>
  (await (await admin.request(`/api/documents/${documentId}`)).json()) as {
    updateAvailable: boolean;
    sourceStatus: string;
  };

async function deliver(body: unknown, key = settings().webhookSigningKey): Promise<Response> {
  const raw = JSON.stringify(body);
  return fetch(`${server.url}/api/webhooks/nango`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-nango-hmac-sha256': signWebhook(raw, key) },
    body: raw,
  });
}

function authWebhook(fields: Partial<NangoAuthWebhookBody> & Pick<NangoAuthWebhookBody, 'operation' | 'success'>) {
  return {
    from: 'nango',
    type: 'auth',
    connectionId,
    authMode: 'OAUTH2',
    providerConfigKey: 'notion',
    provider: 'notion',
    environment: 'dev',
    ...fields,
  } as NangoAuthWebhookBody;
}

/** A Notion webhook event (type from @notionhq/client) for the connected workspace. */
function notionEvent(pageId: string): PageContentUpdatedWebhookPayload {
  return {
    id: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    workspace_id: workspaceId,
    workspace_name: 'Acme Inc.',
    subscription_id: crypto.randomUUID(),
    integration_id: crypto.randomUUID(),
    authors: [{ id: crypto.randomUUID(), type: 'person' }],
    attempt_number: 1,
    api_version: '2025-09-03',
    type: 'page.content_updated',
    entity: { id: pageId, type: 'page' },
    data: { parent: { id: crypto.randomUUID(), type: 'space' }, updated_blocks: [] },
  };
}

const syncRuns = async () =>
  ((await (await admin.request('/api/integrations/notion/sync-runs')).json()) as { items: unknown[] }).items.length;
const pageReads = async (pageId: string) =>
  (await sandbox.notionRequests()).filter((r) => r.method === 'GET' && r.path === `/v1/pages/${pageId}`).length;

beforeAll(async () => {
  const sink = { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) };
  server = await startE2eServer({}, { logger: createLogger('warn', sink) });
  admin = await Session.signIn(server.url, DEMO.admin, DEMO.password);
  sandbox = await SandboxClient.discover(server.url);
  ({ connectionId } = await connectNotion(admin, sandbox));
  workspaceId = (await sandbox.nangoConnections()).find((c) => c.connectionId === connectionId)!.workspaceId;
  const search = (await (await admin.request('/api/notion/search?q=Incident')).json()) as {
    items: { id: string; title: string }[];
  };
  linkedPageId = search.items.find((i) => i.title === 'Incident Response Plan')!.id;
  const overview = (await (await admin.request('/api/notion/search?q=Overview')).json()) as typeof search;
  unlinkedPageId = overview.items.find((i) => i.title === 'Acme Security Overview')!.id;
  const { importId } = (await (
    await admin.request('/api/notion/imports', { method: 'POST', json: { pageIds: [linkedPageId] } })
  ).json()) as { importId: string };
  const done = await eventually(
    async () => {
      const imp = (await (await admin.request(`/api/notion/imports/${importId}`)).json()) as {
        status: string;
        items: { documentId: string | null }[];
      };
      return imp.status === 'completed' ? imp : null;
    },
    45_000,
    'import',
  );
  documentId = done.items[0]!.documentId!;
});
afterAll(async () => server?.close());

describe('Nango webhooks, as Nango sends them', () => {
  it('accepts a webhook signed with the signing key and rejects one signed with the secret key (401)', async () => {
    expect(settings().webhookSigningKey).not.toBe(settings().secretKey);
    const body = authWebhook({ operation: 'refresh', success: true });
    expect((await deliver(body, settings().secretKey)).status).toBe(401);
    const accepted = await deliver(body);
    expect(accepted.status).toBe(200);
  });

  it('a failed consent (no tags, no end user) is acknowledged with 200 and logged with its error', async () => {
    const { sessionToken } = (await (
      await admin.request('/api/integrations/notion/connect', { method: 'POST' })
    ).json()) as { sessionToken: string };
    const { success, webhook } = await sandbox.complete(sessionToken, {
      fail: { type: 'invalid_callback', description: 'Did not get authorization code in the callback.' },
    });
    expect(success).toBe(false);
    const body = webhook!.body as NangoAuthWebhookBody;
    expect(body).toMatchObject({ type: 'auth', operation: 'creation', success: false });
    expect(body.tags).toBeUndefined();
    expect(body.endUser).toBeUndefined();
    expect(webhook).toMatchObject({ outcome: 'delivered', status: 200 });
    expect(logs).toContainEqual(
      expect.objectContaining({
        connectionId: body.connectionId,
        errorType: 'invalid_callback',
        errorDescription: 'Did not get authorization code in the callback.',
      }),
    );
    expect((await integration()).status).toBe('connected');
  });

  it('a refresh failure turns the card to needs_reauth at once, with the reason; recovery turns it back', async () => {
    const failed = await sandbox.refresh(connectionId, 'failed');
    expect(failed.webhook).toMatchObject({ outcome: 'delivered', status: 200 });
    const paused = await integration();
    expect(paused.status).toBe('needs_reauth');
    expect(paused.statusReason).toContain('Notion access could not be renewed');
    expect(paused.nextSyncAt).toBeNull();

    const recovered = await sandbox.refresh(connectionId, 'recovered');
    expect(recovered.webhook).toMatchObject({ outcome: 'delivered', status: 200 });
    expect(await integration()).toMatchObject({ status: 'connected', statusReason: null });
  });

  it('unknown webhook types are acknowledged and ignored', async () => {
    const res = await deliver({ from: 'nango', type: 'something_new', connectionId });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ handled: 'ignored:something_new' });
  });
});

describe('Notion events forwarded by Nango (live updates)', () => {
  // In sandbox mode an edit in the fake Notion sends Notion's webhook event to the fake Nango, which routes it
  // by workspace and forwards it to us signed: the whole path a real edit takes.
  it('an edit to a linked page raises update_available within seconds, without a sync; live updates turn on', async () => {
    expect((await integration()).liveUpdatesAt).toBeNull();
    const runsBefore = await syncRuns();
    const readsBefore = await pageReads(linkedPageId);
    await sandbox.editPage(linkedPageId, { appendParagraph: 'Live edit.' });
    const edited = Date.now();
    // Notion retries and repeats events: the same event delivered again must not cost another page read.
    const event = (await sandbox.notionWebhookEvents()).at(-1)!;
    expect(event).toMatchObject({ type: 'page.content_updated', entity: { id: linkedPageId } });
    expect((await sandbox.notion(`webhook-events/${event.id}/redeliver`)).status).toBe(200);
    await eventually(async () => (await document()).updateAvailable, 5_000, 'update_available');
    console.log(`live update: Notion edit → update_available in ${Date.now() - edited} ms`);
    const deliveries = await sandbox.flushWebhooks();
    expect(deliveries.filter((d) => 'type' in d.body && d.body.type === 'forward').map((d) => d.status)).toEqual([
      200, 200,
    ]);
    expect(await pageReads(linkedPageId)).toBe(readsBefore + 1);
    expect((await integration()).liveUpdatesAt).not.toBeNull();
    expect(await syncRuns()).toBe(runsBefore);
  });

  it('a trashed linked page becomes "trashed" and a restored one "ok", through the same apply path', async () => {
    await sandbox.editPage(linkedPageId, { inTrash: true });
    await eventually(async () => (await document()).sourceStatus === 'trashed', 10_000, 'trashed');
    await sandbox.editPage(linkedPageId, { inTrash: false });
    await eventually(async () => (await document()).sourceStatus === 'ok', 10_000, 'restored');
  });

  it('an edit to a page we never imported costs no Notion call', async () => {
    // The linked page's edit above is read into a revision in the background; wait for that reading so its
    // Notion calls are not counted here.
    await eventually(
      async () =>
        ((await (await admin.request(`/api/documents/${documentId}`)).json()) as { pendingRevisionId: string | null })
          .pendingRevisionId,
      45_000,
      'the linked page read into a revision',
    );
    await sandbox.flushWebhooks();
    const requestsBefore = (await sandbox.notionRequests()).length;
    await sandbox.editPage(unlinkedPageId, { title: 'Renamed in Notion' });
    const delivered = (await sandbox.flushWebhooks()).at(-1)!;
    expect(delivered).toMatchObject({ outcome: 'delivered', status: 200 });
    expect(delivered.body).toMatchObject({ type: 'forward', payload: { entity: { id: unlinkedPageId } } });
    // Nothing was queued that could call Notion later, and nothing called it now.
    expect(await server.runtime.services.jobs.pendingJobIds(refreshPageJob, { pageId: unlinkedPageId })).toEqual([]);
    expect((await sandbox.notionRequests()).length).toBe(requestsBefore);
  });

  it('events for unknown connections and unmatched forwards are acknowledged and dropped', async () => {
    const event = notionEvent(linkedPageId);
    const other: NangoForwardWebhookBody = {
      from: 'notion',
      type: 'forward',
      connectionId: crypto.randomUUID(),
      providerConfigKey: 'notion',
      payload: event,
    };
    expect(await (await deliver(other)).json()).toEqual({ handled: 'ignored:unknown_connection' });
    // An event of a workspace no connection matches reaches us unwrapped (Nango's forward.ts): ignored.
    const [unrouted] = await sandbox.forwardNotionEvent({ ...event, workspace_id: crypto.randomUUID() });
    expect(unrouted).toMatchObject({ outcome: 'delivered', status: 200 });
  });
});
