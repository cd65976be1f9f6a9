import { randomUUID } from 'node:crypto';
import { Nango } from '@nangohq/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.ts';
import { startFakeNango, type FakeNango } from '../../src/sandbox/fake-nango/index.ts';
import { startEchoUpstream, startRecordingServer, type TestServer } from './nango-test-servers.ts';

const secretKey = randomUUID();
const webhookSigningKey = randomUUID();

let fake: FakeNango;
let receiver: TestServer;
let upstream: TestServer;
let nango: Nango;

/** The status and JSON body of an SDK (axios) rejection. */
async function failure(promise: Promise<unknown>): Promise<{
  status: number;
  data: unknown;
  headers: Record<string, unknown>;
}> {
  try {
    await promise;
  } catch (err) {
    const res = (
      err as {
        response?: {
          status: number;
          data: unknown;
          headers: Record<string, unknown>;
        };
      }
    ).response;
    if (res) return res;
    throw err;
  }
  throw new Error('expected the call to fail');
}

const session = (tenant = 'tenant-1', user = 'user-1') =>
  nango.createConnectSession({
    end_user: { id: user, email: 'Admin@Acme.test' },
    organization: { id: tenant, display_name: 'Acme' },
    allowed_integrations: ['notion'],
    tags: { Organization_ID: tenant, end_user_id: user },
  });

beforeAll(async () => {
  receiver = await startRecordingServer(() => ({ status: 200 }));
  upstream = await startEchoUpstream();
  fake = await startFakeNango({
    secretKey,
    webhookSigningKey,
    webhookUrl: () => `${receiver.url}/webhooks/nango`,
    notionBaseUrl: () => upstream.url,
    logger: createLogger('silent'),
    webhookRetryDelaysMs: [0, 0],
  });
  nango = new Nango({ apiKey: secretKey, host: fake.url, webhookSigningKey });
});

afterAll(async () => {
  await fake?.close();
  await receiver?.close();
  await upstream?.close();
});

beforeEach(() => {
  fake.control.reset();
  receiver.received.length = 0;
  upstream.received.length = 0;
});

describe('auth middleware', () => {
  it('rejects a missing Authorization header', async () => {
    const res = await fetch(`${fake.url}/connections`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: {
        code: 'missing_auth_header',
        message: 'Authentication failed. The request is missing the Authorization header.',
      },
    });
  });

  it('rejects a key that is not a UUID v4', async () => {
    const bad = new Nango({ apiKey: 'not-a-uuid', host: fake.url });
    const res = await failure(bad.listConnections());
    expect(res.status).toBe(401);
    expect(res.data).toEqual({
      error: {
        code: 'invalid_secret_key_format',
        message: 'Authentication failed. The provided secret key is not a UUID v4.',
      },
    });
  });

  it('rejects an unknown key', async () => {
    const other = new Nango({ apiKey: randomUUID(), host: fake.url });
    const res = await failure(other.createConnectSession({ tags: { end_user_id: 'x' } }));
    expect(res.status).toBe(401);
    expect(res.data).toEqual({
      error: {
        code: 'unknown_account',
        message: 'Authentication failed. The provided authorization header does not match any account.',
      },
    });
  });

  it('refuses to start with a non-UUID secret key', async () => {
    await expect(
      startFakeNango({
        secretKey: 'secret',
        webhookSigningKey,
        notionBaseUrl: upstream.url,
      }),
    ).rejects.toThrow(/UUID v4/);
  });
});

describe('connect sessions', () => {
  it('creates a session with the 201 shape and lower-cased merged tags', async () => {
    const before = Date.now();
    const res = await fetch(`${fake.url}/connect/sessions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secretKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        end_user: { id: 'u1', email: 'a@acme.test' },
        organization: { id: 't1' },
        tags: { Team: 'Security' },
      }),
    });
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as {
      data: { token: string; connect_link: string; expires_at: string };
    };
    expect(data.token).toMatch(/^nango_connect_session_[a-f0-9]{64}$/);
    // Nango's buildConnectUiSessionLink: the Connect UI origin (its own port), path `/`, the token as a query.
    expect(data.connect_link).toBe(`${fake.connectUiUrl}/?session_token=${data.token}`);
    expect(new URL(data.connect_link).origin).not.toBe(new URL(fake.url).origin);
    const ttl = new Date(data.expires_at).getTime() - before;
    expect(ttl).toBeGreaterThan(29 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000 + 1000);

    const done = await fake.control.completeSession(data.token);
    expect(done.ok).toBe(true);
    expect(fake.control.connections()[0]?.tags).toEqual({
      end_user_id: 'u1',
      end_user_email: 'a@acme.test',
      organization_id: 't1',
      team: 'Security',
    });
  });

  it('rejects unknown keys, a missing end user and unknown integrations with invalid_body', async () => {
    const unknownKey = await failure(
      nango.createConnectSession({
        end_user: { id: 'u' },
        colour: 'red',
      } as never),
    );
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.data).toMatchObject({
      error: {
        code: 'invalid_body',
        errors: [expect.objectContaining({ code: 'unrecognized_keys' })],
      },
    });

    const noUser = await failure(nango.createConnectSession({ organization: { id: 't' } } as never));
    expect(noUser.data).toMatchObject({
      error: {
        code: 'invalid_body',
        errors: [expect.objectContaining({ path: ['end_user'] })],
      },
    });

    const badIntegration = await failure(
      nango.createConnectSession({
        end_user: { id: 'u' },
        allowed_integrations: ['notion', 'slack'],
      }),
    );
    expect(badIntegration.data).toMatchObject({
      error: {
        code: 'invalid_body',
        errors: [{ path: ['allowed_integrations', 1] }],
      },
    });
  });

  it('serves GET /connect/session to the session token only', async () => {
    const { data } = await session();
    const ok = await fetch(`${fake.url}/connect/session`, {
      headers: { authorization: `Bearer ${data.token}` },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      data: {
        endUser: {
          id: 'user-1',
          email: 'Admin@Acme.test',
          organization: { id: 'tenant-1', display_name: 'Acme' },
        },
        allowed_integrations: ['notion'],
      },
    });
    const bad = await fetch(`${fake.url}/connect/session`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(await bad.json()).toEqual({
      error: { code: 'invalid_connect_session_token_format' },
    });

    fake.control.advanceClock(31 * 60_000);
    const expired = await fetch(`${fake.url}/connect/session`, {
      headers: { authorization: `Bearer ${data.token}` },
    });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({
      error: { code: 'unknown_connect_session_token' },
    });
  });
});

describe('connection lifecycle', () => {
  it('completes a session: connection listed by tenant tag, signed creation webhook delivered', async () => {
    const { data } = await session();
    const done = await fake.control.completeSession(data.token);
    if (!done.ok) throw new Error(done.message);
    expect(done.webhook?.outcome).toBe('delivered');

    const list = await nango.listConnections({
      integrationId: 'notion',
      tags: { organization_id: 'tenant-1' },
    });
    expect(list.connections).toHaveLength(1);
    const item = list.connections[0];
    expect(item).toMatchObject({
      connection_id: done.connectionId,
      provider_config_key: 'notion',
      provider: 'notion',
      errors: [],
      metadata: null,
    });
    expect(item?.tags).toEqual({
      organization_id: 'tenant-1',
      organization_display_name: 'Acme',
      end_user_id: 'user-1',
      end_user_email: 'Admin@Acme.test',
    });
    expect((item as unknown as Record<string, unknown>)['created']).toMatch(/Z$/);
    expect((await nango.listConnections({ tags: { organization_id: 'tenant-2' } })).connections).toEqual([]);
    expect(
      (
        await nango.listConnections(undefined, undefined, {
          endUserOrganizationId: 'tenant-1',
        })
      ).connections,
    ).toHaveLength(1);

    const hook = await receiver.waitFor(1);
    expect(hook.url).toBe('/webhooks/nango');
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.headers['user-agent']).toMatch(/^nango\/0\.71\.10 /);
    expect(nango.verifyIncomingWebhookRequest(hook.rawBody, hook.headers)).toBe(true);
    expect(nango.verifyIncomingWebhookRequest(hook.rawBody.replace('tenant-1', 'tenant-9'), hook.headers)).toBe(false);
    // Signed with the environment's webhook signing key: a receiver verifying with the secret key rejects it.
    expect(
      new Nango({ apiKey: secretKey, host: fake.url, webhookSigningKey: secretKey }).verifyIncomingWebhookRequest(
        hook.rawBody,
        hook.headers,
      ),
    ).toBe(false);
    expect(
      new Nango({ apiKey: secretKey, host: fake.url }).verifyIncomingWebhookRequest(hook.rawBody, hook.headers),
    ).toBe(false);

    const body = JSON.parse(hook.rawBody) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([...Object.keys(body)].sort());
    expect(hook.rawBody).not.toMatch(/\s/);
    expect(body).toEqual({
      from: 'nango',
      type: 'auth',
      operation: 'creation',
      success: true,
      connectionId: done.connectionId,
      providerConfigKey: 'notion',
      provider: 'notion',
      authMode: 'OAUTH2',
      environment: 'dev',
      tags: item?.tags,
      endUser: {
        endUserId: 'user-1',
        endUserEmail: 'Admin@Acme.test',
        organizationId: 'tenant-1',
        tags: {},
      },
    });
  });

  it('returns the full connection with +00:00 timestamps and Notion credentials', async () => {
    const { data } = await session();
    const done = await fake.control.completeSession(data.token, {
      workspaceId: 'ws-1',
    });
    if (!done.ok) throw new Error(done.message);
    const conn = await nango.getConnection('notion', done.connectionId);
    expect(conn).toMatchObject({
      connection_id: done.connectionId,
      connection_config: { workspace_id: 'ws-1' },
      end_user: {
        id: 'user-1',
        email: 'Admin@Acme.test',
        display_name: null,
        tags: null,
        organization: { id: 'tenant-1', display_name: 'Acme' },
      },
      credentials: {
        type: 'OAUTH2',
        raw: {
          workspace_name: 'Acme Security (sandbox)',
          workspace_id: 'ws-1',
          token_type: 'bearer',
        },
      },
    });
    expect(conn.created_at).toMatch(/\+00:00$/);

    const unknown = await failure(nango.getConnection('notion', randomUUID()));
    expect(unknown).toMatchObject({
      status: 404,
      data: {
        error: { code: 'not_found', message: 'Failed to find connection' },
      },
    });
    const badKey = await failure(nango.getConnection('slack', done.connectionId));
    expect(badKey).toMatchObject({
      status: 400,
      data: {
        error: {
          code: 'unknown_provider_config',
          message: 'Provider does not exists',
        },
      },
    });
  });

  it('reconnects with an override webhook and the same connection id', async () => {
    const { data } = await session();
    const first = await fake.control.completeSession(data.token);
    if (!first.ok) throw new Error(first.message);
    const tokenBefore = fake.control.connections()[0]?.accessToken;

    const re = await nango.createReconnectSession({
      connection_id: first.connectionId,
      integration_id: 'notion',
    });
    expect(re.data.token).toMatch(/^nango_connect_session_/);
    const second = await fake.control.completeSession(re.data.token);
    expect(second).toMatchObject({
      ok: true,
      connectionId: first.connectionId,
      operation: 'override',
    });
    expect(fake.control.connections()).toHaveLength(1);
    expect(fake.control.connections()[0]?.accessToken).not.toBe(tokenBefore);

    const hook = await receiver.waitFor(2);
    expect(JSON.parse(hook.rawBody)).toMatchObject({
      operation: 'override',
      success: true,
      connectionId: first.connectionId,
    });

    const missing = await failure(
      nango.createReconnectSession({
        connection_id: randomUUID(),
        integration_id: 'notion',
      }),
    );
    expect(missing).toMatchObject({
      status: 400,
      data: {
        error: {
          code: 'invalid_body',
          message: 'ConnectionID or IntegrationId does not exists',
        },
      },
    });
  });

  it('keeps the session usable after a connection was created', async () => {
    const { data } = await session();
    const a = await fake.control.completeSession(data.token);
    const b = await fake.control.completeSession(data.token);
    if (!a.ok || !b.ok) throw new Error('completion failed');
    expect(a.connectionId).not.toBe(b.connectionId);
  });

  it('sends a creation-failure webhook without tags or end user and creates nothing when consent fails', async () => {
    const { data } = await session();
    const res = await fetch(`${fake.url}/__fake/sessions/${data.token}/complete`, {
      method: 'POST',
      body: JSON.stringify({ fail: true }),
    });
    expect(res.status).toBe(200);
    const { connectionId } = (await res.json()) as { connectionId: string };
    const hook = await receiver.waitFor(1);
    expect(nango.verifyIncomingWebhookRequest(hook.rawBody, hook.headers)).toBe(true);
    // Nango's connectionCreationFailed hook only knows the attempted id and the integration.
    expect(JSON.parse(hook.rawBody)).toEqual({
      from: 'nango',
      type: 'auth',
      operation: 'creation',
      success: false,
      connectionId,
      providerConfigKey: 'notion',
      provider: 'notion',
      authMode: 'OAUTH2',
      environment: 'dev',
      error: {
        type: 'unable_to_parse_token_response',
        description: 'The token response from Notion could not be parsed.',
      },
    });
    expect(fake.control.connections()).toEqual([]);
  });

  it('reports a failed re-authorisation as a creation failure on the same connection id', async () => {
    const { data } = await session();
    const first = await fake.control.completeSession(data.token);
    if (!first.ok) throw new Error(first.message);
    const re = await nango.createReconnectSession({ connection_id: first.connectionId, integration_id: 'notion' });
    const failed = await fake.control.completeSession(re.data.token, {
      fail: { type: 'invalid_callback', description: 'x' },
    });
    expect(failed).toMatchObject({ ok: true, success: false, connectionId: first.connectionId });
    const hook = await receiver.waitFor(2);
    const body = JSON.parse(hook.rawBody) as Record<string, unknown>;
    expect(body).toMatchObject({ operation: 'creation', success: false, connectionId: first.connectionId });
    expect(body).not.toHaveProperty('tags');
    expect(body).not.toHaveProperty('endUser');
    expect(fake.control.connections()).toHaveLength(1);
  });

  it('sends refresh failure and recovery webhooks with tags and no end user, and lists the auth error meanwhile', async () => {
    const { data } = await session();
    const done = await fake.control.completeSession(data.token);
    if (!done.ok) throw new Error(done.message);
    expect(await fake.control.recoverRefresh(done.connectionId)).toBeNull();

    const failedRes = await fetch(`${fake.url}/__fake/connections/${done.connectionId}/refresh-failed`, {
      method: 'POST',
    });
    expect(failedRes.status).toBe(200);
    const failed = await receiver.waitFor(2);
    expect(nango.verifyIncomingWebhookRequest(failed.rawBody, failed.headers)).toBe(true);
    const failedBody = JSON.parse(failed.rawBody) as Record<string, unknown>;
    expect(failedBody).toMatchObject({
      type: 'auth',
      operation: 'refresh',
      success: false,
      connectionId: done.connectionId,
      tags: { organization_id: 'tenant-1' },
      error: { type: 'refresh_token_external_error' },
    });
    expect(failedBody).not.toHaveProperty('endUser');
    const broken = await nango.getConnection('notion', done.connectionId);
    expect(broken.errors).toEqual([{ type: 'auth', log_id: expect.any(String) }]);

    const recovered = await fetch(`${fake.url}/__fake/connections/${done.connectionId}/refresh-recovered`, {
      method: 'POST',
    });
    expect(((await recovered.json()) as { webhook: { outcome: string } }).webhook.outcome).toBe('delivered');
    const recoveredBody = JSON.parse((await receiver.waitFor(3)).rawBody) as Record<string, unknown>;
    expect(recoveredBody).toMatchObject({ operation: 'refresh', success: true, tags: { organization_id: 'tenant-1' } });
    expect(recoveredBody).not.toHaveProperty('error');
    expect((await nango.getConnection('notion', done.connectionId)).errors).toEqual([]);

    const unknown = await fetch(`${fake.url}/__fake/connections/${randomUUID()}/refresh-failed`, { method: 'POST' });
    expect(unknown.status).toBe(404);
  });

  it('follows the environment toggles: no creation webhook when off, deletion webhook only when on', async () => {
    await fetch(`${fake.url}/__fake/webhook-settings`, {
      method: 'POST',
      body: JSON.stringify({ onAuthCreation: false }),
    });
    const { data } = await session();
    const done = await fake.control.completeSession(data.token);
    if (!done.ok) throw new Error(done.message);
    expect(done.webhook).toBeNull();
    await nango.deleteConnection('notion', done.connectionId);
    await fake.control.flushWebhooks();
    expect(receiver.received).toEqual([]);

    fake.control.setWebhookSettings({ onConnectionDeletion: true });
    const second = await fake.control.completeSession((await session()).data.token);
    if (!second.ok) throw new Error(second.message);
    await nango.deleteConnection('notion', second.connectionId);
    const hook = await receiver.waitFor(1);
    expect(nango.verifyIncomingWebhookRequest(hook.rawBody, hook.headers)).toBe(true);
    expect(JSON.parse(hook.rawBody)).toMatchObject({
      operation: 'deletion',
      success: true,
      connectionId: second.connectionId,
      tags: { organization_id: 'tenant-1' },
    });
  });

  it('drops webhooks while they are switched off', async () => {
    await fetch(`${fake.url}/__fake/webhooks`, {
      method: 'POST',
      body: JSON.stringify({ enabled: false }),
    });
    const { data } = await session();
    const done = await fake.control.completeSession(data.token);
    expect(done).toMatchObject({
      ok: true,
      webhook: { outcome: 'dropped', attempts: 0 },
    });
    expect(receiver.received).toEqual([]);
    const listed = (await (await fetch(`${fake.url}/__fake/connections`)).json()) as { connections: unknown[] };
    expect(listed.connections).toHaveLength(1);
  });

  it('deletes softly, answering 400 unknown_connection the second time', async () => {
    const { data } = await session();
    const done = await fake.control.completeSession(data.token);
    if (!done.ok) throw new Error(done.message);
    const res = await nango.deleteConnection('notion', done.connectionId);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ success: true });
    const again = await failure(nango.deleteConnection('notion', done.connectionId));
    expect(again).toEqual(
      expect.objectContaining({
        status: 400,
        data: { error: { code: 'unknown_connection' } },
      }),
    );
    expect((await nango.listConnections()).connections).toEqual([]);
    expect((await failure(nango.getConnection('notion', done.connectionId))).status).toBe(404);
  });

  it('stores metadata with POST (replace) and PATCH (merge)', async () => {
    const { data } = await session();
    const done = await fake.control.completeSession(data.token);
    if (!done.ok) throw new Error(done.message);
    expect((await nango.setMetadata('notion', done.connectionId, { a: 1, b: 2 })).status).toBe(201);
    expect((await nango.updateMetadata('notion', done.connectionId, { b: 3 })).status).toBe(200);
    expect(await nango.getMetadata('notion', done.connectionId)).toEqual({
      a: 1,
      b: 3,
    });
    const missing = await failure(nango.setMetadata('notion', randomUUID(), { a: 1 }));
    expect(missing).toMatchObject({
      status: 404,
      data: { error: { code: 'unknown_connection' } },
    });
  });
});

describe('proxy', () => {
  const connect = async () => {
    const { data } = await session();
    const done = await fake.control.completeSession(data.token, {
      accessToken: 'ntn_test_token',
    });
    if (!done.ok) throw new Error(done.message);
    return done.connectionId;
  };

  it('forwards path, query, body and Nango-Proxy-* headers with the connection token', async () => {
    const connectionId = await connect();
    const res = await nango.post({
      endpoint: '/v1/search',
      params: { page_size: '10' },
      providerConfigKey: 'notion',
      connectionId,
      headers: { 'Notion-Version': '2025-09-03' },
      data: { query: 'policy' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('req-1');
    expect(res.headers['x-internal-upstream']).toBeUndefined();
    const echo = res.data as {
      method: string;
      url: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(echo.method).toBe('POST');
    expect(echo.url).toBe('/v1/search?page_size=10');
    expect(JSON.parse(echo.body)).toEqual({ query: 'policy' });
    expect(echo.headers['notion-version']).toBe('2025-09-03');
    expect(echo.headers['authorization']).toBe('Bearer ntn_test_token');
    expect(echo.headers['content-type']).toMatch(/^application\/json/);
    expect(
      Object.keys(echo.headers).filter(
        (h) => h.startsWith('nango') || h === 'connection-id' || h === 'provider-config-key',
      ),
    ).toEqual([]);
  });

  it('drops unprefixed caller headers and falls back to Notion-Version 2022-06-28', async () => {
    const connectionId = await connect();
    const res = await fetch(`${fake.url}/proxy/v1/users/me`, {
      headers: {
        authorization: `Bearer ${secretKey}`,
        'connection-id': connectionId,
        'provider-config-key': 'notion',
        'notion-version': '2025-09-03',
        'x-custom': '1',
      },
    });
    const echo = (await res.json()) as { headers: Record<string, string> };
    expect(echo.headers['notion-version']).toBe('2022-06-28');
    expect(echo.headers['x-custom']).toBeUndefined();
  });

  it('passes an upstream 429 through with its body and Retry-After, without retrying', async () => {
    const connectionId = await connect();
    const res = await failure(
      nango.get({
        endpoint: '/v1/rate-limited',
        providerConfigKey: 'notion',
        connectionId,
      }),
    );
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.data).toEqual({
      object: 'error',
      status: 429,
      code: 'rate_limited',
      message: 'Rate limited',
    });
    expect(upstream.received).toHaveLength(1);
  });

  it('answers Nango errors for unknown integrations, unknown connections and missing headers', async () => {
    const unknownConn = await failure(
      nango.get({
        endpoint: '/v1/users',
        providerConfigKey: 'notion',
        connectionId: randomUUID(),
      }),
    );
    expect(unknownConn).toMatchObject({
      status: 400,
      data: {
        error: { code: 'server_error', message: 'Failed to get connection' },
      },
    });
    const unknownKey = await failure(
      nango.get({
        endpoint: '/v1/users',
        providerConfigKey: 'slack',
        connectionId: 'x',
      }),
    );
    expect(unknownKey).toMatchObject({
      status: 404,
      data: { error: { code: 'unknown_provider_config' } },
    });
    const noHeaders = await fetch(`${fake.url}/proxy/v1/users`, {
      headers: { authorization: `Bearer ${secretKey}` },
    });
    expect(noHeaders.status).toBe(400);
    expect(await noHeaders.json()).toMatchObject({
      error: { code: 'invalid_headers' },
    });
    expect(upstream.received).toEqual([]);
  });
});

/** The form fields and action of the consent page's button labelled `label`. */
function consentForm(html: string, label: string): { action: string; fields: URLSearchParams } {
  const form = [...html.matchAll(/<form method="post" action="([^"]+)">(.*?)<\/form>/gs)].find((m) =>
    m[2]?.includes(`>${label}</button>`),
  );
  if (!form?.[1] || !form[2]) throw new Error(`no form with a ${label} button`);
  const fields = new URLSearchParams(
    [...form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
  return { action: form[1], fields };
}

describe('connect UI', () => {
  it('lives on its own origin: the API origin serves no UI pages', async () => {
    expect(new URL(fake.connectUiUrl).origin).not.toBe(new URL(fake.url).origin);
    const { data } = await session();
    const onApi = await fetch(`${fake.url}/connect/?session_token=${data.token}`);
    expect(onApi.status).toBe(404);
    expect(onApi.headers.get('content-type')).toMatch(/application\/json/);
    expect((await fetch(`${fake.url}/connect/authorize`, { method: 'POST' })).status).toBe(404);
  });

  it('works without JavaScript from connect_link: consent, then a connection and its webhook', async () => {
    const { data } = await session();
    const page = await fetch(data.connect_link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Acme wants to connect to Notion');
    expect(html).toContain('Admin@Acme.test');
    expect(html).not.toMatch(/(src|href)="https?:/);

    const allow = consentForm(html, 'Allow access');
    const done = await fetch(new URL(allow.action, data.connect_link), { method: 'POST', body: allow.fields });
    expect(done.status).toBe(200);
    const doneHtml = await done.text();
    // Real Nango has no way back to the app: the standalone page says to close the tab.
    expect(doneHtml).toContain('You can now close this tab.');

    const connections = fake.control.connections();
    expect(connections).toHaveLength(1);
    expect(doneHtml).toContain(
      JSON.stringify({
        type: 'connect',
        payload: { providerConfigKey: 'notion', connectionId: connections[0]?.connectionId, isPending: false },
      }),
    );
    const hook = await receiver.waitFor(1);
    expect(JSON.parse(hook.rawBody)).toMatchObject({
      operation: 'creation',
      success: true,
      connectionId: connections[0]?.connectionId,
    });
  });

  it('Cancel on the consent is a failed creation: webhook without tags, error event for the embedding app', async () => {
    const { data } = await session();
    const deny = consentForm(await (await fetch(data.connect_link)).text(), 'Cancel');
    const res = await fetch(new URL(deny.action, data.connect_link), { method: 'POST', body: deny.fields });
    const html = await res.text();
    expect(html).toContain('Could not connect Notion');
    const errorMessage = 'Did not get authorization code in the callback. Provider error: error: access_denied';
    expect(html).toContain(JSON.stringify({ type: 'error', payload: { errorType: 'callback_err', errorMessage } }));
    const hook = await receiver.waitFor(1);
    const body = JSON.parse(hook.rawBody) as Record<string, unknown>;
    expect(body).toMatchObject({
      operation: 'creation',
      success: false,
      error: { type: 'invalid_callback', description: errorMessage },
    });
    expect(body).not.toHaveProperty('tags');
    expect(body).not.toHaveProperty('endUser');
    expect(fake.control.connections()).toEqual([]);
  });

  it('embedded: says ready, takes the token by postMessage and posts it back in a form body, never the URL', async () => {
    const { data } = await session();
    const shell = await (await fetch(`${fake.connectUiUrl}/?apiURL=${encodeURIComponent(fake.url)}`)).text();
    expect(shell).toContain("window.parent.postMessage({ type: 'ready' }, '*')");
    expect(shell).toContain("d.type !== 'session_token'");
    expect(shell).toMatch(/<form id="token-form" method="post" action="\.\/">/);
    const consent = await fetch(`${fake.connectUiUrl}/`, {
      method: 'POST',
      body: new URLSearchParams({ session_token: data.token }),
    });
    expect(await consent.text()).toContain('Allow access');
  });

  it('shows an expiry page for an unknown token', async () => {
    const res = await fetch(`${fake.connectUiUrl}/?session_token=nango_connect_session_${'0'.repeat(64)}`);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('This link is invalid or has expired');
  });
});

describe('forwarded Notion webhooks', () => {
  const notionEvent = (workspaceId: string) => ({
    id: randomUUID(),
    timestamp: '2026-05-04T10:00:00.000Z',
    workspace_id: workspaceId,
    workspace_name: 'Acme',
    subscription_id: randomUUID(),
    integration_id: randomUUID(),
    type: 'page.content_updated',
    authors: [{ id: randomUUID(), type: 'person' }],
    attempt_number: 1,
    api_version: '2025-09-03',
    entity: { id: randomUUID(), type: 'page' },
    data: { parent: { id: randomUUID(), type: 'space' }, updated_blocks: [] },
  });

  it('routes by workspace id and wraps the event as type forward, signed with the signing key', async () => {
    const done = await fake.control.completeSession((await session()).data.token, { workspaceId: 'ws-forward' });
    if (!done.ok) throw new Error(done.message);
    await receiver.waitFor(1);
    const event = notionEvent('ws-forward');
    const res = await fetch(`${fake.url}/__fake/forward`, { method: 'POST', body: JSON.stringify(event) });
    expect(((await res.json()) as { deliveries: { outcome: string }[] }).deliveries).toMatchObject([
      { outcome: 'delivered' },
    ]);
    const hook = await receiver.waitFor(2);
    expect(nango.verifyIncomingWebhookRequest(hook.rawBody, hook.headers)).toBe(true);
    expect(JSON.parse(hook.rawBody)).toEqual({
      from: 'notion',
      type: 'forward',
      connectionId: done.connectionId,
      providerConfigKey: 'notion',
      payload: event,
    });
  });

  it('sends an unmatched event unwrapped, and nothing when forwarding is off', async () => {
    const event = notionEvent('ws-nobody');
    await fake.control.forwardNotionEvent(event, { 'x-notion-signature': 'sha256=abc', cookie: 'no' });
    const hook = await receiver.waitFor(1);
    expect(JSON.parse(hook.rawBody)).toEqual(event);
    expect(hook.headers['x-notion-signature']).toBe('sha256=abc');
    expect(hook.headers['cookie']).toBeUndefined();
    expect(nango.verifyIncomingWebhookRequest(hook.rawBody, hook.headers)).toBe(true);

    fake.control.setWebhookSettings({ forwardWebhooks: false });
    expect(await fake.control.forwardNotionEvent(event)).toEqual([]);
  });
});

describe('webhook delivery', () => {
  it('retries 5xx but not 4xx', async () => {
    const flaky = await startRecordingServer((req) => ({
      status: req.url === '/500' ? 503 : 400,
    }));
    try {
      const { data } = await nango.createConnectSession({
        end_user: { id: 'u' },
        webhook_url_override: `${flaky.url}/500`,
      });
      const five = await fake.control.completeSession(data.token);
      expect(five).toMatchObject({
        ok: true,
        webhook: { outcome: 'failed', attempts: 3, status: 503 },
      });

      const { data: d2 } = await nango.createConnectSession({
        end_user: { id: 'u' },
        webhook_url_override: `${flaky.url}/400`,
      });
      const four = await fake.control.completeSession(d2.token);
      expect(four).toMatchObject({
        ok: true,
        webhook: { outcome: 'failed', attempts: 1, status: 400 },
      });
      expect(flaky.received).toHaveLength(4);
    } finally {
      await flaky.close();
    }
  });
});

describe('sandbox restarts', () => {
  it('restores a connection the app still references, with its id and tenant tags', async () => {
    const connectionId = randomUUID();
    fake.control.restoreConnection({
      connectionId,
      organizationId: 'tenant-restored',
      endUserId: 'user-9',
    });
    fake.control.restoreConnection({
      connectionId,
      organizationId: 'tenant-restored',
      endUserId: 'user-9',
    });
    const conn = await nango.getConnection('notion', connectionId);
    expect(conn.connection_id).toBe(connectionId);
    expect(conn.tags).toMatchObject({
      organization_id: 'tenant-restored',
      end_user_id: 'user-9',
    });
    const listed = await nango.listConnections({
      tags: { organization_id: 'tenant-restored' },
    });
    expect(listed.connections.map((c) => c.connection_id)).toEqual([connectionId]);
  });
});
