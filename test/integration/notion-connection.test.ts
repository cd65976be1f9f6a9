import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eServer } from '../support/e2e.ts';
import { Session } from '../support/test-app.ts';
import { SandboxClient, connectNotion, eventually, signWebhook } from '../support/sandbox-client.ts';
import { DEMO } from '../../src/app/demo-tenant.ts';
import type { RunningServer } from '../../src/app/server.ts';
import type { Integration } from '../../src/contracts/integrations.ts';

let server: RunningServer;
let admin: Session;
let viewer: Session;
let sandbox: SandboxClient;

const status = async (s: Session) =>
  (
    (await (await s.request('/api/integrations')).json()) as {
      items: Integration[];
    }
  ).items[0]!;

beforeAll(async () => {
  server = await startE2eServer();
  admin = await Session.signIn(server.url, DEMO.admin, DEMO.password);
  viewer = await Session.signIn(server.url, DEMO.viewer, DEMO.password);
  sandbox = await SandboxClient.discover(server.url);
});
afterAll(async () => server?.close());

describe('connecting Notion through Nango (sandbox)', () => {
  it('starts disconnected, and only admins may connect', async () => {
    expect((await status(admin)).status).toBe('disconnected');
    expect(
      (
        await viewer.request('/api/integrations/notion/connect', {
          method: 'POST',
        })
      ).status,
    ).toBe(403);
  });

  it('connect → consent → webhook stores the connection with the workspace name, never a token', async () => {
    const res = await admin.request('/api/integrations/notion/connect', {
      method: 'POST',
    });
    const session = (await res.json()) as {
      connectLink: string;
      sessionToken: string;
      expiresAt: string;
    };
    expect(session.connectLink).toContain(session.sessionToken);
    const consent = await fetch(session.connectLink);
    expect(await consent.text()).toContain('Allow access');
    const { connectionId } = await sandbox.approve(session.sessionToken);
    const current = await status(admin);
    expect(current).toMatchObject({
      status: 'connected',
      workspaceName: 'Acme Inc.',
      connectedBy: { email: DEMO.admin },
    });
    expect(current.nextSyncAt).not.toBeNull();
    const rows = await server.runtime.services.db.selectFrom('integrations').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.nango_connection_id).toBe(connectionId);
    expect(JSON.stringify(rows)).not.toMatch(/access_token|secret_|ntn_/);
  });

  it('rejects forged and altered webhooks and stores nothing; a replayed webhook changes nothing', async () => {
    const before = await server.runtime.services.db.selectFrom('integrations').selectAll().executeTakeFirstOrThrow();
    const deliveries = await sandbox.webhookDeliveries();
    const original = JSON.stringify(deliveries.at(-1)!.body);
    const post = (body: string, signature: string) =>
      fetch(`${server.url}/api/webhooks/nango`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-nango-hmac-sha256': signature,
        },
        body,
      });
    const forged = await post(original, signWebhook(original, 'not-the-signing-key'));
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
    const altered = original.replace(before.nango_connection_id, '00000000-0000-4000-8000-000000000000');
    expect(
      (await post(altered, signWebhook(original, server.runtime.services.nangoSettings!.webhookSigningKey))).status,
    ).toBe(401);
    expect((await post('{"type":', 'abc')).status).toBe(401);
    const replay = await post(
      original,
      signWebhook(original, server.runtime.services.nangoSettings!.webhookSigningKey),
    );
    expect(replay.status).toBe(200);
    const after = await server.runtime.services.db.selectFrom('integrations').selectAll().executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('rejects a signed webhook for an unknown tenant', async () => {
    const body = JSON.stringify({
      type: 'auth',
      operation: 'creation',
      success: true,
      connectionId: 'c-unknown',
      providerConfigKey: 'notion',
      provider: 'notion',
      environment: 'dev',
      endUser: {
        endUserId: 'u',
        organizationId: '00000000-0000-4000-8000-000000000000',
        tags: { organization_id: '00000000-0000-4000-8000-000000000000' },
      },
    });
    const res = await fetch(`${server.url}/api/webhooks/nango`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-nango-hmac-sha256': signWebhook(body, server.runtime.services.nangoSettings!.webhookSigningKey),
      },
      body,
    });
    expect(res.status).toBe(404);
    expect(await server.runtime.services.db.selectFrom('integrations').select('id').execute()).toHaveLength(1);
  });

  it('with webhooks lost, /confirm adopts the new connection and deletes the replaced one', async () => {
    const old = (await server.runtime.services.db.selectFrom('integrations').selectAll().executeTakeFirstOrThrow())
      .nango_connection_id;
    await sandbox.setWebhooks(false);
    try {
      const { connectionId } = await connectNotion(admin, sandbox);
      const stillOld = await server.runtime.services.db
        .selectFrom('integrations')
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(stillOld.nango_connection_id).toBe(old);
      const confirmed = await admin.request('/api/integrations/notion/confirm', { method: 'POST' });
      expect(confirmed.status).toBe(200);
      const row = await server.runtime.services.db.selectFrom('integrations').selectAll().executeTakeFirstOrThrow();
      expect(row.nango_connection_id).toBe(connectionId);
      const live = (await sandbox.nangoConnections()).map((c) => c.connectionId);
      expect(live).toContain(connectionId);
      expect(live).not.toContain(old);
    } finally {
      await sandbox.setWebhooks(true);
    }
  });

  it('a revoked token marks the connection needs_reauth; reconnect restores it', async () => {
    await sandbox.notion('revoke');
    const search = await admin.request('/api/notion/search?q=Security');
    expect(search.status).toBe(409);
    expect(await status(admin)).toMatchObject({
      status: 'needs_reauth',
      nextSyncAt: null,
    });
    const blocked = await admin.request('/api/integrations/notion/sync', {
      method: 'POST',
      json: {},
    });
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('notion_needs_reauth');
    await sandbox.notion('unrevoke');
    const res = await admin.request('/api/integrations/notion/reconnect', {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    await sandbox.approve(((await res.json()) as { sessionToken: string }).sessionToken);
    expect((await status(admin)).status).toBe('connected');
  });

  it('two "Sync now" clicks at the same moment start one run', async () => {
    await sandbox.notion('config', { latencyMs: 300 });
    try {
      const [a, b] = await Promise.all(
        [0, 1].map(
          async () =>
            (await (
              await admin.request('/api/integrations/notion/sync', {
                method: 'POST',
                json: {},
              })
            ).json()) as { syncRunId: string; alreadyRunning: boolean },
        ),
      );
      expect(a!.syncRunId).toBe(b!.syncRunId);
      expect([a!.alreadyRunning, b!.alreadyRunning].sort()).toEqual([false, true]);
      await eventually(
        async () => {
          const runs = (
            (await (await admin.request('/api/integrations/notion/sync-runs')).json()) as {
              items: { id: string; status: string }[];
            }
          ).items;
          return runs.find((r) => r.id === a!.syncRunId && r.status === 'succeeded');
        },
        45_000,
        'sync run',
      );
    } finally {
      await sandbox.notion('config', { latencyMs: 0 });
    }
  });

  it('a failed re-authorisation keeps the stored connection; a deletion webhook is acknowledged and shown', async () => {
    const db = server.runtime.services.db;
    const before = await db.selectFrom('integrations').selectAll().executeTakeFirstOrThrow();
    const key = server.runtime.services.nangoSettings!.webhookSigningKey;
    const post = (body: Record<string, unknown>) => {
      const raw = JSON.stringify({
        type: 'auth',
        provider: 'notion',
        providerConfigKey: 'notion',
        environment: 'dev',
        endUser: {
          endUserId: admin.userId,
          organizationId: admin.tenantId,
          tags: { organization_id: admin.tenantId },
        },
        ...body,
      });
      return fetch(`${server.url}/api/webhooks/nango`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-nango-hmac-sha256': signWebhook(raw, key),
        },
        body: raw,
      });
    };
    await db.updateTable('integrations').set({ status: 'needs_reauth' }).execute();
    const failed = await post({
      operation: 'override',
      success: false,
      connectionId: '11111111-1111-4111-8111-111111111111',
      error: { type: 'access_denied', description: 'The user cancelled.' },
    });
    expect(failed.status).toBe(200);
    const afterFailure = await db.selectFrom('integrations').selectAll().executeTakeFirstOrThrow();
    expect(afterFailure).toMatchObject({
      nango_connection_id: before.nango_connection_id,
      status: 'needs_reauth',
    });
    expect(afterFailure.status_reason).toContain('The user cancelled.');

    const deleted = await post({
      operation: 'deletion',
      success: true,
      connectionId: before.nango_connection_id,
    });
    expect(deleted.status).toBe(200);
    expect(await db.selectFrom('integrations').selectAll().executeTakeFirstOrThrow()).toMatchObject({
      status: 'error',
      nango_connection_id: before.nango_connection_id,
    });
    expect(
      (
        (await (await admin.request('/api/notion/search')).json()) as {
          error: { code: string };
        }
      ).error.code,
    ).toBe('notion_connection_failed');
    await db.updateTable('integrations').set({ status: 'connected', status_reason: null }).execute();
  });

  it('disconnect deletes our record and the Nango connection, cancels work, keeps documents', async () => {
    const search = (await (await admin.request('/api/notion/search?q=Incident')).json()) as {
      items: { id: string; title: string }[];
    };
    const page = search.items.find((i) => i.title === 'Incident Response Plan')!;
    const started = (await (
      await admin.request('/api/notion/imports', {
        method: 'POST',
        json: { pageIds: [page.id] },
      })
    ).json()) as { importId: string };
    const done = await eventually(
      async () => {
        const imp = (await (await admin.request(`/api/notion/imports/${started.importId}`)).json()) as {
          status: string;
          items: { documentId: string | null }[];
        };
        return imp.status === 'completed' ? imp : null;
      },
      45_000,
      'import',
    );
    const documentId = done.items[0]!.documentId!;
    const connectionId = (
      await server.runtime.services.db.selectFrom('integrations').selectAll().executeTakeFirstOrThrow()
    ).nango_connection_id;

    await sandbox.notion('config', { latencyMs: 1500 });
    const sync = (await (
      await admin.request('/api/integrations/notion/sync', {
        method: 'POST',
        json: {},
      })
    ).json()) as { syncRunId: string };
    const res = await admin.request('/api/integrations/notion', {
      method: 'DELETE',
    });
    expect(res.status).toBe(200);
    await sandbox.notion('config', { latencyMs: 0 });
    expect(await server.runtime.services.db.selectFrom('integrations').select('id').execute()).toEqual([]);
    expect((await sandbox.nangoConnections()).map((c) => c.connectionId)).not.toContain(connectionId);
    expect((await status(admin)).status).toBe('disconnected');
    const doc = (await (await admin.request(`/api/documents/${documentId}`)).json()) as {
      sourceStatus: string;
      markdown: string;
    };
    expect(doc.sourceStatus).toBe('disconnected');
    expect(doc.markdown.length).toBeGreaterThan(20);
    const runs = await eventually(
      async () => {
        const r = (
          (await (await admin.request('/api/integrations/notion/sync-runs')).json()) as {
            items: { id: string; status: string }[];
          }
        ).items;
        return r.find((x) => x.id === sync.syncRunId && x.status !== 'running' && x.status !== 'queued') ? r : null;
      },
      45_000,
      'sync run to stop',
    );
    expect(runs.find((x) => x.id === sync.syncRunId)!.status).toBe('cancelled');
    expect((await admin.request('/api/integrations/notion', { method: 'DELETE' })).status).toBe(200);
    const audit = (await (await admin.request('/api/audit?action=integration.')).json()) as {
      items: { action: string }[];
    };
    expect(audit.items.map((a) => a.action)).toContain('integration.disconnected');
  });
});
