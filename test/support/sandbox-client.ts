import crypto from 'node:crypto';
import type { Session } from './test-app.ts';
import type { WebhookDelivery } from '../../src/sandbox/fake-nango/index.ts';
import type { ImportStatus } from '../../src/contracts/integrations.ts';

/** Drives the sandbox fakes through their HTTP control calls, as scripts and the browser tests do. */
export class SandboxClient {
  constructor(
    readonly nangoHost: string,
    readonly notionBaseUrl: string,
  ) {}

  static async discover(baseUrl: string): Promise<SandboxClient> {
    const res = await fetch(`${baseUrl}/api/sandbox`);
    if (res.status !== 200) throw new Error(`sandbox discovery failed: ${res.status}`);
    const body = (await res.json()) as {
      nangoHost: string;
      notionBaseUrl: string;
    };
    return new SandboxClient(body.nangoHost, body.notionBaseUrl);
  }

  /** Approve the consent of a connect session as the admin would, waiting for the webhook attempt. */
  async approve(sessionToken: string, opts: { fail?: boolean } = {}): Promise<{ connectionId: string }> {
    const res = await fetch(`${this.nangoHost}/__fake/sessions/${sessionToken}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(opts),
    });
    if (res.status !== 200) throw new Error(`approve failed: ${res.status} ${await res.text()}`);
    return (await res.json()) as { connectionId: string };
  }

  /** Complete a connect session; a failure makes the fake send Nango's creation-failure webhook. */
  async complete(
    sessionToken: string,
    opts: { fail?: true | { type: string; description: string } } = {},
  ): Promise<{ success: boolean; webhook: WebhookDelivery | null }> {
    return this.control(`sessions/${sessionToken}/complete`, opts);
  }

  /** Nango failing (or, after a failure, succeeding) to refresh the connection's token: its refresh webhook. */
  async refresh(connectionId: string, outcome: 'failed' | 'recovered'): Promise<{ webhook: WebhookDelivery | null }> {
    return this.control(`connections/${connectionId}/refresh-${outcome}`);
  }

  /** A Notion webhook event as Notion sends it to Nango, which routes it by workspace and forwards it to us. */
  async forwardNotionEvent(event: { workspace_id: string } & Record<string, unknown>): Promise<WebhookDelivery[]> {
    return (await this.control<{ deliveries: WebhookDelivery[] }>('forward', event)).deliveries;
  }

  /** Wait until every webhook the fake Nango has queued was answered by the app. */
  async flushWebhooks(): Promise<WebhookDelivery[]> {
    return (await this.control<{ deliveries: WebhookDelivery[] }>('webhooks/flush')).deliveries;
  }

  /** The events the fake Notion sent for edits, oldest first. */
  async notionWebhookEvents(): Promise<{ id: string; type: string; entity: { id: string } }[]> {
    const res = await fetch(`${this.notionBaseUrl}/__fake/webhook-events`);
    return ((await res.json()) as { events: { id: string; type: string; entity: { id: string } }[] }).events;
  }

  private async control<T>(path: string, body: unknown = {}): Promise<T> {
    const res = await fetch(`${this.nangoHost}/__fake/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`fake Nango ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async setWebhooks(enabled: boolean): Promise<void> {
    await fetch(`${this.nangoHost}/__fake/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabled }),
    });
  }

  async nangoConnections(): Promise<{ connectionId: string; organizationId: string | null; workspaceId: string }[]> {
    return (
      (await (await fetch(`${this.nangoHost}/__fake/connections`)).json()) as {
        connections: { connectionId: string; organizationId: string | null; workspaceId: string }[];
      }
    ).connections;
  }

  async webhookDeliveries(): Promise<{ body: unknown; outcome: string; status: number | null }[]> {
    return (
      (await (await fetch(`${this.nangoHost}/__fake/webhooks`)).json()) as {
        deliveries: { body: unknown; outcome: string; status: number | null }[];
      }
    ).deliveries;
  }

  /** Edit, trash or unshare a page in the fake workspace (bumps its last edited time like Notion). */
  async editPage(
    pageId: string,
    edit: {
      title?: string;
      appendParagraph?: string;
      /** With appendParagraph: the paragraph ends with a mention of this page. */
      appendMention?: string;
      inTrash?: boolean;
      shared?: boolean;
      properties?: Record<string, Record<string, unknown>>;
    },
  ): Promise<void> {
    const res = await fetch(`${this.notionBaseUrl}/__fake/pages/${pageId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(edit),
    });
    if (res.status >= 300) throw new Error(`edit failed: ${res.status} ${await res.text()}`);
  }

  async notion(path: string, body: unknown = {}): Promise<Response> {
    return fetch(`${this.notionBaseUrl}/__fake/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async notionRequests(): Promise<{ method: string; path: string }[]> {
    const body = (await (await fetch(`${this.notionBaseUrl}/__fake/requests`)).json()) as {
      requests: { method: string; path: string }[];
    };
    return body.requests;
  }
}

/** Connect the session's tenant to the sandbox Notion workspace (connect → consent → webhook). */
export async function connectNotion(admin: Session, sandbox: SandboxClient): Promise<{ connectionId: string }> {
  const res = await admin.request('/api/integrations/notion/connect', {
    method: 'POST',
  });
  if (res.status !== 200) throw new Error(`connect failed: ${res.status} ${await res.text()}`);
  const { sessionToken } = (await res.json()) as { sessionToken: string };
  return sandbox.approve(sessionToken);
}

/** Sign a webhook body the way Nango does, with the given key. */
export function signWebhook(body: string, key: string): string {
  return crypto.createHmac('sha256', key).update(body).digest('hex');
}

/** Poll `check` until it returns a value, or fail after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Start a sync with "Sync now" and wait until that run succeeded. */
export async function syncNowAndWait(session: Session): Promise<void> {
  const res = await session.request('/api/integrations/notion/sync', { method: 'POST', json: {} });
  const { syncRunId } = (await res.json()) as { syncRunId: string };
  await eventually(
    async () => {
      const runs = (await (await session.request('/api/integrations/notion/sync-runs')).json()) as {
        items: { id: string; status: string }[];
      };
      return runs.items.find((r) => r.id === syncRunId && r.status === 'succeeded');
    },
    45_000,
    'sync run',
  );
}

/** Wait until an import is no longer running (completed or cancelled) and return it. */
export async function waitForImport(session: Session, importId: string): Promise<ImportStatus> {
  return eventually(
    async () => {
      const imp = (await (await session.request(`/api/notion/imports/${importId}`)).json()) as ImportStatus;
      return imp.status !== 'running' ? imp : null;
    },
    45_000,
    `import ${importId}`,
  );
}
