import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  completeAuth,
  emitRefreshFailure,
  emitRefreshRecovered,
  type CompleteAuthOptions,
  type CompleteAuthResult,
  type FakeEnvironment,
} from './auth-flow.ts';
import { forwardProviderEvent, type ProviderEvent } from './forward.ts';
import { zodErrors } from './nango-errors.ts';
import type { ProxiedRequest } from './store.ts';
import type { WebhookDelivery, WebhookSettings } from './webhook-emitter.ts';

export interface FakeConnectionView {
  connectionId: string;
  providerConfigKey: string;
  tags: Record<string, string>;
  endUserId: string | null;
  organizationId: string | null;
  workspaceId: string;
  /** Lets sandbox wiring hand the same token to the fake Notion. */
  accessToken: string;
  createdAt: string;
}

export type CompletedSession =
  | (Omit<Extract<CompleteAuthResult, { ok: true }>, 'webhook'> & {
      webhook: WebhookDelivery | null;
    })
  | Extract<CompleteAuthResult, { ok: false }>;

/** Test and sandbox controls that real Nango does not have. */
export interface FakeNangoControl {
  /** Finishes consent for a session as if the user clicked "Allow access"; waits for the webhook attempt. */
  completeSession(token: string, opts?: CompleteAuthOptions): Promise<CompletedSession>;
  /** False drops every webhook (as if the receiver were unreachable), to test reconciliation. */
  setWebhooksEnabled(enabled: boolean): void;
  /** Nango's environment toggles and the integration's "forward webhooks" switch. */
  setWebhookSettings(settings: Partial<WebhookSettings>): WebhookSettings;
  /**
   * Re-creates a connection the app still references after a restart (the fake keeps nothing on disk),
   * with the same id and tenant tags and a fresh token.
   */
  restoreConnection(input: { connectionId: string; organizationId: string; endUserId: string | null }): void;
  connections(): FakeConnectionView[];
  webhookDeliveries(): WebhookDelivery[];
  proxiedRequests(): ProxiedRequest[];
  /** `operation:'refresh', success:false`; null if the connection is unknown or the toggle is off. */
  failRefresh(connectionId: string): Promise<WebhookDelivery | null>;
  /** `operation:'refresh', success:true` after a failure (Nango PR #7202); null when there was none. */
  recoverRefresh(connectionId: string): Promise<WebhookDelivery | null>;
  /**
   * Hands Nango a Notion webhook event, as Notion would POST it to Nango's webhook URL; Nango routes it
   * by `workspace_id` and forwards it. Resolves once every delivery attempt has finished.
   */
  forwardNotionEvent(payload: ProviderEvent, headers?: Record<string, string>): Promise<WebhookDelivery[]>;
  advanceClock(ms: number): void;
  flushWebhooks(): Promise<void>;
  reset(): void;
}

/** Builds the programmatic control object over one fake environment. */
export function createControl(env: FakeEnvironment): FakeNangoControl {
  return {
    async completeSession(token, opts = {}) {
      const session = env.store.liveSession(token);
      if (!session)
        return {
          ok: false,
          errorType: 'unknown_connect_session_token',
          message: 'Unknown or expired connect session',
        };
      const result = completeAuth(env, session, opts);
      if (!result.ok) return result;
      return {
        ...result,
        webhook: result.webhook ? await result.webhook : null,
      };
    },
    restoreConnection({ connectionId, organizationId, endUserId }) {
      if (env.store.liveConnection(connectionId)) return;
      const endUser = endUserId ? { id: endUserId } : null;
      const tags = {
        organization_id: organizationId,
        ...(endUserId ? { end_user_id: endUserId } : {}),
      };
      env.store.createConnection(
        {
          endUser,
          organization: { id: organizationId },
          tags,
          webhookUrlOverride: null,
        },
        env.integrationId,
        { connectionId, workspaceId: env.defaultWorkspaceId() },
      );
    },
    setWebhooksEnabled(enabled) {
      env.webhooks.enabled = enabled;
    },
    setWebhookSettings(settings) {
      env.webhooks.settings = { ...env.webhooks.settings, ...settings };
      return { ...env.webhooks.settings };
    },
    connections() {
      return env.store.liveConnections().map((conn) => ({
        connectionId: conn.connectionId,
        providerConfigKey: conn.providerConfigKey,
        tags: conn.tags,
        endUserId: conn.endUser?.id ?? null,
        organizationId: conn.organization?.id ?? null,
        workspaceId: conn.connectionConfig.workspace_id,
        accessToken: conn.credentials.access_token,
        createdAt: new Date(conn.createdAt).toISOString(),
      }));
    },
    webhookDeliveries: () => [...env.webhooks.deliveries],
    proxiedRequests: () => [...env.store.proxied],
    async failRefresh(connectionId) {
      const conn = env.store.liveConnection(connectionId);
      return conn ? emitRefreshFailure(env, conn) : null;
    },
    async recoverRefresh(connectionId) {
      const conn = env.store.liveConnection(connectionId);
      return conn ? emitRefreshRecovered(env, conn) : null;
    },
    forwardNotionEvent: (payload, headers) => Promise.all(forwardProviderEvent(env, payload, headers)),
    advanceClock: (ms) => env.store.advanceClock(ms),
    flushWebhooks: () => env.webhooks.flush(),
    reset() {
      env.store.reset();
      env.webhooks.reset();
    },
  };
}

const completeBodySchema = z
  .object({
    workspace_id: z.string().min(1).optional(),
    access_token: z.string().min(1).optional(),
    fail: z.union([z.boolean(), z.object({ type: z.string().min(1), description: z.string() })]).optional(),
    suppressWebhook: z.boolean().optional(),
  })
  .default({});

const webhookSettingsSchema = z.strictObject({
  onAuthCreation: z.boolean().optional(),
  onAuthRefreshError: z.boolean().optional(),
  onConnectionDeletion: z.boolean().optional(),
  forwardWebhooks: z.boolean().optional(),
});

const providerEventSchema = z.looseObject({ workspace_id: z.string().min(1) });

const withoutUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const DEFAULT_FAILURE = {
  type: 'unable_to_parse_token_response',
  description: 'The token response from Notion could not be parsed.',
};

/** `/__fake/*` HTTP mirror of the control object; no Nango auth (the server binds to loopback only). */
export function controlRoutes(control: FakeNangoControl) {
  const app = new Hono();
  const body = async (c: Context): Promise<unknown> => {
    const text = await c.req.text();
    return text ? (JSON.parse(text) as unknown) : undefined;
  };

  app.post('/__fake/sessions/:token/complete', async (c) => {
    const parsed = completeBodySchema.safeParse(await body(c).catch(() => null));
    if (!parsed.success) return c.json({ error: { code: 'invalid_body', errors: zodErrors(parsed.error) } }, 400);
    const b = parsed.data;
    const fail = b.fail === true ? DEFAULT_FAILURE : b.fail || undefined;
    const result = await control.completeSession(c.req.param('token'), {
      workspaceId: b.workspace_id,
      accessToken: b.access_token,
      fail,
      suppressWebhook: b.suppressWebhook,
    });
    if (!result.ok) return c.json({ error: { code: result.errorType, message: result.message } }, 404);
    return c.json({
      connectionId: result.connectionId,
      operation: result.operation,
      success: result.success,
      webhook: result.webhook,
    });
  });

  app.post('/__fake/webhooks', async (c) => {
    const parsed = z.object({ enabled: z.boolean() }).safeParse(await body(c).catch(() => null));
    if (!parsed.success) return c.json({ error: { code: 'invalid_body', errors: zodErrors(parsed.error) } }, 400);
    control.setWebhooksEnabled(parsed.data.enabled);
    return c.json({ enabled: parsed.data.enabled });
  });
  app.get('/__fake/webhooks', (c) => c.json({ deliveries: control.webhookDeliveries() }));
  app.post('/__fake/webhooks/flush', async (c) => {
    await control.flushWebhooks();
    return c.json({ deliveries: control.webhookDeliveries() });
  });

  app.post('/__fake/webhook-settings', async (c) => {
    const parsed = webhookSettingsSchema.safeParse(await body(c).catch(() => null));
    if (!parsed.success) return c.json({ error: { code: 'invalid_body', errors: zodErrors(parsed.error) } }, 400);
    return c.json({ settings: control.setWebhookSettings(withoutUndefined(parsed.data)) });
  });

  app.post('/__fake/forward', async (c) => {
    const parsed = providerEventSchema.safeParse(await body(c).catch(() => null));
    if (!parsed.success) return c.json({ error: { code: 'invalid_body', errors: zodErrors(parsed.error) } }, 400);
    return c.json({ deliveries: await control.forwardNotionEvent(parsed.data) });
  });

  app.get('/__fake/connections', (c) => c.json({ connections: control.connections() }));
  const refreshRoute = (path: string, emit: (id: string) => Promise<WebhookDelivery | null>) =>
    app.post(`/__fake/connections/:id/${path}`, async (c) => {
      const id = c.req.param('id');
      if (!control.connections().some((conn) => conn.connectionId === id))
        return c.json({ error: { code: 'not_found' } }, 404);
      return c.json({ webhook: await emit(id) });
    });
  refreshRoute('refresh-failed', control.failRefresh);
  refreshRoute('refresh-recovered', control.recoverRefresh);
  app.get('/__fake/requests', (c) => c.json({ requests: control.proxiedRequests() }));

  app.post('/__fake/time', async (c) => {
    const parsed = z.object({ advanceMs: z.number().int().min(0) }).safeParse(await body(c).catch(() => null));
    if (!parsed.success) return c.json({ error: { code: 'invalid_body', errors: zodErrors(parsed.error) } }, 400);
    control.advanceClock(parsed.data.advanceMs);
    return c.json({ ok: true });
  });

  app.post('/__fake/reset', (c) => {
    control.reset();
    return c.json({ ok: true });
  });
  return app;
}
