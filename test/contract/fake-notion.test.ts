import { randomUUID } from 'node:crypto';
import { Nango } from '@nangohq/node';
import { Client, isFullPage, verifyWebhookSignature } from '@notionhq/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { DEMO_IDS, demoWorkspace } from '../../src/sandbox/demo-workspace/workspace.ts';
import { startFakeNotion, type FakeNotion, type NotionWebhookEvent } from '../../src/sandbox/fake-notion/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.ts';
import { startRecordingServer, type TestServer } from './nango-test-servers.ts';

const TOKEN = 'ntn_fake_notion_contract';

let fake: FakeNotion;
let notion: Client;
let deliveries: Array<{ event: NotionWebhookEvent; rawBody: string; headers: Record<string, string> }>;

beforeAll(async () => {
  fake = await startFakeNotion({ workspace: demoWorkspace() });
  notion = new Client({ auth: TOKEN, baseUrl: fake.url, notionVersion: '2025-09-03' });
  fake.control.onWebhookEvent((event, rawBody, headers) => deliveries.push({ event, rawBody, headers }));
});

afterAll(async () => {
  await fake?.close();
});

beforeEach(() => {
  deliveries = [];
  fake.control.setSearchLag(0);
});

const titleOf = (page: unknown): string => {
  if (!isFullPage(page as never)) throw new Error('expected a full page');
  const title = Object.values(
    (page as { properties: Record<string, { type: string; title?: { plain_text: string }[] }> }).properties,
  ).find((p) => p.type === 'title');
  return title?.title?.map((t) => t.plain_text).join('') ?? '';
};

describe('search index lag', () => {
  it('shows an edit in retrieve at once but in search (title, time, order) only once the index caught up', async () => {
    const id = DEMO_IDS.incidentResponse;
    const before = await notion.pages.retrieve({ page_id: id });
    fake.control.setSearchLag(3_600_000);
    await fetch(`${fake.url}/__fake/pages/${id}`, {
      method: 'POST',
      body: JSON.stringify({ title: 'Incident Response Plan v2' }),
    });

    const now = await notion.pages.retrieve({ page_id: id });
    expect(titleOf(now)).toBe('Incident Response Plan v2');
    expect(
      (now as { last_edited_time: string }).last_edited_time >
        (before as { last_edited_time: string }).last_edited_time,
    ).toBe(true);

    const lagging = await notion.search({ sort: { timestamp: 'last_edited_time', direction: 'descending' } });
    const stale = lagging.results.find((r) => r.id === id);
    expect(stale && titleOf(stale)).toBe(titleOf(before));
    expect((stale as { last_edited_time: string }).last_edited_time).toBe(
      (before as { last_edited_time: string }).last_edited_time,
    );
    expect(lagging.results[0]?.id).not.toBe(id);
    expect((await notion.search({ query: 'Plan v2' })).results).toEqual([]);

    // The lag is measured from each edit to each query, so shrinking it lets the index catch up.
    await fetch(`${fake.url}/__fake/config`, { method: 'POST', body: JSON.stringify({ searchLagMs: 0 }) });
    const caughtUp = await notion.search({ sort: { timestamp: 'last_edited_time', direction: 'descending' } });
    expect(caughtUp.results[0]?.id).toBe(id);
    expect(titleOf(caughtUp.results[0])).toBe('Incident Response Plan v2');
    expect((await notion.search({ query: 'Plan v2' })).results.map((r) => r.id)).toEqual([id]);
  });

  it('keeps a trashed page in search until the index catches up', async () => {
    const id = DEMO_IDS.vulnerabilityDisclosure;
    fake.control.setSearchLag(3_600_000);
    fake.control.editPage(id, { inTrash: true });
    expect(((await notion.pages.retrieve({ page_id: id })) as { in_trash: boolean }).in_trash).toBe(true);
    expect((await notion.search({ filter: { property: 'object', value: 'page' } })).results.map((r) => r.id)).toContain(
      id,
    );
    fake.control.setSearchLag(0);
    expect(
      (await notion.search({ filter: { property: 'object', value: 'page' } })).results.map((r) => r.id),
    ).not.toContain(id);
    fake.control.editPage(id, { inTrash: false });
  });
});

describe('webhook events', () => {
  it('sends page.properties_updated for a title edit, signed with the verification token', async () => {
    fake.control.editPage(DEMO_IDS.securityOverview, { title: 'Security at Acme' });
    expect(deliveries).toHaveLength(1);
    const [{ event, rawBody, headers }] = deliveries as [(typeof deliveries)[number]];
    expect(
      await verifyWebhookSignature({
        body: rawBody,
        signature: headers['x-notion-signature'],
        verificationToken: fake.control.verificationToken,
      }),
    ).toBe(true);
    expect(
      await verifyWebhookSignature({
        body: rawBody,
        signature: headers['x-notion-signature'],
        verificationToken: 'secret_other',
      }),
    ).toBe(false);
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      workspace_id: DEMO_IDS.workspace,
      workspace_name: 'Acme Inc.',
      subscription_id: expect.any(String),
      integration_id: expect.any(String),
      type: 'page.properties_updated',
      authors: [{ id: expect.any(String), type: 'person' }],
      accessible_by: [
        { id: expect.any(String), type: 'person' },
        { id: DEMO_IDS.bot, type: 'bot' },
      ],
      attempt_number: 1,
      api_version: '2025-09-03',
      entity: { id: DEMO_IDS.securityOverview, type: 'page' },
      data: { parent: { id: DEMO_IDS.workspace, type: 'space' }, updated_properties: ['title'] },
    });
  });

  it('names the new block in page.content_updated, and the block is readable', async () => {
    fake.control.editPage(DEMO_IDS.businessContinuity, { appendParagraph: 'RTO is now 2 hours.' });
    const event = deliveries[0]?.event;
    if (event?.type !== 'page.content_updated') throw new Error(`unexpected ${event?.type}`);
    const [block] = event.data.updated_blocks;
    expect(block?.type).toBe('block');
    const children = await notion.blocks.children.list({ block_id: DEMO_IDS.businessContinuity, page_size: 100 });
    expect(children.results.map((b) => b.id)).toContain(block?.id);
  });

  it('sends deleted/undeleted and locked/unlocked, and nothing for a sharing change', async () => {
    const id = DEMO_IDS.dataProcessingAddendum;
    fake.control.editPage(id, { inTrash: true });
    fake.control.editPage(id, { inTrash: false });
    fake.control.editPage(id, { locked: true });
    expect(((await notion.pages.retrieve({ page_id: id })) as { is_locked: boolean }).is_locked).toBe(true);
    fake.control.editPage(id, { locked: false });
    fake.control.editPage(id, { shared: true });
    expect(deliveries.map((d) => d.event.type)).toEqual([
      'page.deleted',
      'page.undeleted',
      'page.locked',
      'page.unlocked',
    ]);
    expect(deliveries.every((d) => d.event.entity.id === id)).toBe(true);
  });

  it('a database row edit names the data source as parent and also updates the data source content', async () => {
    fake.control.editPage(DEMO_IDS.policies.encryption, { title: 'Encryption Policy 2026' });
    expect(deliveries.map((d) => d.event)).toMatchObject([
      {
        type: 'page.properties_updated',
        entity: { id: DEMO_IDS.policies.encryption, type: 'page' },
        data: {
          parent: {
            id: DEMO_IDS.securityPoliciesDatabase,
            type: 'database',
            data_source_id: DEMO_IDS.securityPoliciesDataSource,
          },
        },
      },
      {
        type: 'data_source.content_updated',
        entity: { id: DEMO_IDS.securityPoliciesDataSource, type: 'data_source' },
        data: { updated_blocks: [{ id: DEMO_IDS.policies.encryption, type: 'page' }] },
      },
    ]);
  });

  it('repeats an event with the same id and the next attempt number', async () => {
    fake.control.editPage(DEMO_IDS.securityOverview, { appendParagraph: 'Again.' });
    const first = deliveries[0]?.event;
    if (!first) throw new Error('no event');
    const res = await fetch(`${fake.url}/__fake/webhook-events/${first.id}/redeliver`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(deliveries.map((d) => [d.event.id, d.event.attempt_number])).toEqual([
      [first.id, 1],
      [first.id, 2],
    ]);
    const listed = (await (await fetch(`${fake.url}/__fake/webhook-events`)).json()) as {
      events: NotionWebhookEvent[];
    };
    expect(listed.events.filter((e) => e.id === first.id)).toHaveLength(2);
    expect(
      (await fetch(`${fake.url}/__fake/webhook-events/${randomUUID()}/redeliver`, { method: 'POST' })).status,
    ).toBe(404);
  });

  it('sends nothing while the subscription is off', async () => {
    await fetch(`${fake.url}/__fake/config`, { method: 'POST', body: JSON.stringify({ webhooks: false }) });
    fake.control.editPage(DEMO_IDS.securityOverview, { title: 'Quiet edit' });
    fake.control.setWebhooksEnabled(true);
    expect(deliveries).toEqual([]);
  });
});

describe('sandbox: Notion events reach the app through Nango', () => {
  let receiver: TestServer;
  let sandbox: Sandbox;

  beforeAll(async () => {
    receiver = await startRecordingServer(() => ({ status: 200 }));
    const config = loadConfig({ NODE_ENV: 'test', SANDBOX: 'on', LOG_LEVEL: 'silent', PUBLIC_URL: receiver.url });
    sandbox = await startSandbox(config, createLogger('silent'));
  });

  afterAll(async () => {
    await sandbox?.close();
    await receiver?.close();
  });

  it('forwards a fake Notion edit to the connection of that workspace, signed with the signing key', async () => {
    const nango = new Nango({
      apiKey: sandbox.secretKey,
      host: sandbox.nangoHost,
      webhookSigningKey: sandbox.webhookSigningKey,
    });
    const { data } = await nango.createConnectSession({
      end_user: { id: 'admin-1' },
      tags: { organization_id: 't-1' },
    });
    const done = await sandbox.fakeNango.control.completeSession(data.token);
    if (!done.ok) throw new Error(done.message);
    expect((await nango.getConnection('notion', done.connectionId)).connection_config).toEqual({
      workspace_id: DEMO_IDS.workspace,
    });

    sandbox.fakeNotion.control.editPage(DEMO_IDS.incidentResponse, { appendParagraph: 'Updated on-call rota.' });
    const hook = await receiver.waitFor(2, 10_000);
    expect(hook.url).toBe('/api/webhooks/nango');
    expect(nango.verifyIncomingWebhookRequest(hook.rawBody, hook.headers)).toBe(true);
    expect(hook.headers['x-notion-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(hook.rawBody)).toMatchObject({
      from: 'notion',
      type: 'forward',
      connectionId: done.connectionId,
      providerConfigKey: 'notion',
      payload: { type: 'page.content_updated', entity: { id: DEMO_IDS.incidentResponse, type: 'page' } },
    });
  });
});
