import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors.ts';
import { createNangoClient, type NangoClient } from '../../src/integrations/nango.ts';
import { parseNangoWebhook, verifyNangoWebhook } from '../../src/integrations/nango-webhook.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { startFakeNango, type FakeNango } from '../../src/sandbox/fake-nango/index.ts';
import { startRecordingServer, type TestServer } from './nango-test-servers.ts';

const secretKey = randomUUID();
const webhookSigningKey = randomUUID();

let fake: FakeNango;
let receiver: TestServer;
let client: NangoClient;

const admin = (tenantId: string, userId = 'user-1') => ({
  tenantId,
  tenantName: 'Acme',
  userId,
  userEmail: 'admin@acme.test',
});

async function connect(tenantId: string, userId?: string): Promise<string> {
  const session = await client.createConnectSession(admin(tenantId, userId));
  const done = await fake.control.completeSession(session.sessionToken);
  if (!done.ok) throw new Error(done.message);
  return done.connectionId;
}

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

beforeAll(async () => {
  receiver = await startRecordingServer(() => ({ status: 204 }));
  fake = await startFakeNango({
    secretKey,
    webhookSigningKey,
    webhookUrl: `${receiver.url}/hooks`,
    notionBaseUrl: 'http://127.0.0.1:9',
    logger: createLogger('silent'),
    webhookRetryDelaysMs: [],
  });
  client = createNangoClient({
    host: fake.url,
    secretKey,
    webhookSigningKey,
    integrationId: 'notion',
  });
});

afterAll(async () => {
  await fake?.close();
  await receiver?.close();
});

beforeEach(() => {
  fake.control.reset();
  receiver.received.length = 0;
});

describe('createNangoClient', () => {
  it('creates a connect session tied to the tenant and admin', async () => {
    const before = Date.now();
    const session = await client.createConnectSession(admin('tenant-a'));
    expect(session.connectLink).toBe(`${fake.connectUiUrl}/?session_token=${session.sessionToken}`);
    expect(session.expiresAt.getTime() - before).toBeGreaterThan(29 * 60_000);

    const seen = await fetch(`${fake.url}/connect/session`, {
      headers: { authorization: `Bearer ${session.sessionToken}` },
    });
    expect(await seen.json()).toMatchObject({
      data: {
        endUser: {
          id: 'user-1',
          email: 'admin@acme.test',
          organization: { id: 'tenant-a', display_name: 'Acme' },
        },
        allowed_integrations: ['notion'],
      },
    });
    const done = await fake.control.completeSession(session.sessionToken);
    expect(done.ok).toBe(true);
    expect(fake.control.connections()[0]?.tags).toMatchObject({
      organization_id: 'tenant-a',
      end_user_id: 'user-1',
      end_user_email: 'admin@acme.test',
    });
  });

  it('lists only the tenant’s connections, newest first, without credentials', async () => {
    const older = await connect('tenant-a');
    fake.control.advanceClock(60_000);
    const newer = await connect('tenant-a', 'user-2');
    await connect('tenant-b');

    const list = await client.listTenantConnections('tenant-a');
    expect(list.map((c) => c.connectionId)).toEqual([newer, older]);
    expect(list[0]).toEqual({
      connectionId: newer,
      integrationId: 'notion',
      tags: expect.objectContaining({
        organization_id: 'tenant-a',
        end_user_id: 'user-2',
      }),
      organizationId: 'tenant-a',
      endUserId: 'user-2',
      createdAt: expect.any(Date),
    });
    expect(await client.listTenantConnections('tenant-c')).toEqual([]);
  });

  it('summarises one connection and never exposes its token', async () => {
    const connectionId = await connect('tenant-a');
    const summary = await client.getConnectionSummary(connectionId);
    expect(summary).toMatchObject({
      connectionId,
      organizationId: 'tenant-a',
      endUserId: 'user-1',
    });
    expect(Object.keys(summary ?? {}).sort()).toEqual([
      'connectionId',
      'createdAt',
      'endUserId',
      'integrationId',
      'organizationId',
      'tags',
    ]);
    const token = fake.control.connections()[0]?.accessToken ?? 'missing';
    expect(JSON.stringify(summary)).not.toContain(token);
    expect(await client.getConnectionSummary(randomUUID())).toBeNull();
  });

  it('deletes idempotently', async () => {
    const connectionId = await connect('tenant-a');
    await client.deleteConnection(connectionId);
    await client.deleteConnection(connectionId);
    expect(await client.getConnectionSummary(connectionId)).toBeNull();
    expect(await client.listTenantConnections('tenant-a')).toEqual([]);
  });

  it('reconnects the same connection and reports it as an override', async () => {
    const connectionId = await connect('tenant-a');
    const session = await client.createReconnectSession({
      ...admin('tenant-a'),
      connectionId,
    });
    const done = await fake.control.completeSession(session.sessionToken);
    expect(done).toMatchObject({
      ok: true,
      connectionId,
      operation: 'override',
    });
    const hook = await receiver.waitFor(2);
    expect(parseNangoWebhook(hook.rawBody)).toMatchObject({
      kind: 'auth',
      operation: 'override',
      connectionId,
      organizationId: 'tenant-a',
    });
  });

  it('maps Nango 4xx to nango_rejected with the Nango code only in internal', async () => {
    const wrongKey = randomUUID();
    const bad = createNangoClient({
      host: fake.url,
      secretKey: wrongKey,
      integrationId: 'notion',
    });
    const err = await appError(bad.createConnectSession(admin('tenant-a')));
    expect(err).toMatchObject({ code: 'nango_rejected', status: 502 });
    expect(err.internal).toContain('unknown_account');
    expect(err.internal).not.toContain(wrongKey);
    expect(err.message).not.toContain(wrongKey);
    expect(err.cause).toBeUndefined();

    const missing = await appError(
      client.createReconnectSession({
        ...admin('tenant-a'),
        connectionId: randomUUID(),
      }),
    );
    expect(missing).toMatchObject({ code: 'nango_rejected' });
    expect(missing.internal).toContain('invalid_body');
  });

  it('maps network errors and 5xx to nango_unavailable', async () => {
    const down = createNangoClient({
      host: 'http://127.0.0.1:9',
      secretKey,
      integrationId: 'notion',
    });
    expect(await appError(down.listTenantConnections('tenant-a'))).toMatchObject({ code: 'nango_unavailable' });

    const broken = await startRecordingServer(() => ({
      status: 503,
      headers: { 'content-type': 'application/json' },
      body: '{"error":{"code":"server_error"}}',
    }));
    try {
      const flaky = createNangoClient({
        host: broken.url,
        secretKey,
        integrationId: 'notion',
      });
      const err = await appError(flaky.deleteConnection(randomUUID()));
      expect(err).toMatchObject({ code: 'nango_unavailable', status: 503 });
      expect(err.internal).toContain('status=503');
    } finally {
      await broken.close();
    }
  });
});

describe('Nango webhooks', () => {
  it('verifies the HMAC over the raw body and rejects tampering or the wrong key', async () => {
    await connect('tenant-a');
    const hook = await receiver.waitFor(1);
    const headers = new Headers(Object.entries(hook.headers).map(([k, v]): [string, string] => [k, String(v)]));
    expect(verifyNangoWebhook(hook.rawBody, hook.headers, webhookSigningKey)).toBe(true);
    expect(verifyNangoWebhook(hook.rawBody, headers, webhookSigningKey)).toBe(true);
    expect(verifyNangoWebhook(hook.rawBody.replace('tenant-a', 'tenant-b'), hook.headers, webhookSigningKey)).toBe(
      false,
    );
    expect(verifyNangoWebhook(hook.rawBody, hook.headers, secretKey)).toBe(false);
    expect(verifyNangoWebhook(hook.rawBody, hook.headers, '')).toBe(false);
    expect(verifyNangoWebhook(hook.rawBody, { 'content-type': 'application/json' }, webhookSigningKey)).toBe(false);
  });

  it('parses creation and failure auth webhooks', async () => {
    const connectionId = await connect('tenant-a');
    const created = parseNangoWebhook((await receiver.waitFor(1)).rawBody);
    expect(created).toEqual({
      kind: 'auth',
      success: true,
      operation: 'creation',
      connectionId,
      providerConfigKey: 'notion',
      organizationId: 'tenant-a',
      endUserId: 'user-1',
      tags: expect.objectContaining({
        organization_id: 'tenant-a',
        end_user_email: 'admin@acme.test',
      }),
    });

    const session = await client.createConnectSession(admin('tenant-a'));
    await fake.control.completeSession(session.sessionToken, {
      fail: {
        type: 'unable_to_parse_token_response',
        description: 'bad token',
      },
    });
    const failed = parseNangoWebhook((await receiver.waitFor(2)).rawBody);
    expect(failed).toMatchObject({
      kind: 'auth',
      success: false,
      error: {
        type: 'unable_to_parse_token_response',
        description: 'bad token',
      },
    });
  });

  it('passes other webhook types through and rejects malformed bodies', () => {
    expect(parseNangoWebhook('{"type":"sync","connectionId":"c"}')).toEqual({
      kind: 'other',
      type: 'sync',
    });
    expect(() => parseNangoWebhook('not json')).toThrow(expect.objectContaining({ code: 'invalid_nango_webhook' }));
    expect(() => parseNangoWebhook('{"type":"auth","success":"yes"}')).toThrow(
      expect.objectContaining({ code: 'invalid_nango_webhook' }),
    );
  });
});
