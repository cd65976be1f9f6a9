import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createLogger, type Logger } from '../../platform/logger.ts';
import type { FakeEnvironment } from './auth-flow.ts';
import { connectSessionRoutes } from './connect-session-routes.ts';
import { connectUiApp } from './connect-ui.ts';
import { connectionRoutes } from './connection-routes.ts';
import { controlRoutes, createControl, type FakeNangoControl } from './control.ts';
import { isSecretKeyFormat } from './nango-errors.ts';
import { proxyRoute } from './proxy-route.ts';
import { FakeNangoStore } from './store.ts';
import { WebhookEmitter } from './webhook-emitter.ts';

export type { FakeNangoControl } from './control.ts';
export type { WebhookDelivery } from './webhook-emitter.ts';

type Lazy<T> = T | (() => T);

export interface FakeNangoOptions {
  /** API port; 0 or absent = any free port. */
  port?: number;
  /** Connect UI port (its own origin, like connect.nango.dev); 0 or absent = any free port. */
  connectUiPort?: number;
  /** Environment API key; must be a UUID v4 like Nango's. */
  secretKey: string;
  /** Separate UUID v4 used to sign webhooks, as on real Nango environments. */
  webhookSigningKey: string;
  /** Where auth webhooks go; lazy so the receiving app can start after the fake. */
  webhookUrl?: Lazy<string | undefined>;
  /** Upstream for `/proxy/*` (the fake Notion in sandbox mode). */
  notionBaseUrl: Lazy<string>;
  integrationId?: string;
  /** Notion workspace new connections belong to (Nango copies `workspace_id` from Notion's token response). */
  notionWorkspaceId?: Lazy<string | undefined>;
  logger?: Logger;
  /** Webhook retry waits (Nango: 3 s then 6 s). */
  webhookRetryDelaysMs?: readonly number[];
  /** Multiplies proxy retry waits (only used when a caller sends `Retries`). */
  proxyDelayScale?: number;
}

export interface FakeNango {
  /** API origin: the SDKs' `host` / `apiURL`. */
  url: string;
  /** Connect UI origin, where `connect_link` points: `openConnectUI`'s `baseURL`. */
  connectUiUrl: string;
  control: FakeNangoControl;
  close(): Promise<void>;
}

const resolve = <T>(value: Lazy<T>): T => (typeof value === 'function' ? (value as () => T)() : value);

/** Builds the fake's two Hono apps (API, Connect UI) without listening; the Connect UI URL is read lazily. */
export function createFakeNangoApp(options: FakeNangoOptions, connectUiUrl: () => string) {
  for (const [name, key] of [
    ['secretKey', options.secretKey],
    ['webhookSigningKey', options.webhookSigningKey],
  ] as const) {
    if (!isSecretKeyFormat(key)) throw new Error(`fake nango: ${name} must be a UUID v4`);
  }
  const logger = options.logger ?? createLogger('warn');
  const env: FakeEnvironment = {
    store: new FakeNangoStore(),
    integrationId: options.integrationId ?? 'notion',
    webhooks: new WebhookEmitter({
      signingKey: options.webhookSigningKey,
      resolveUrl: () => resolve(options.webhookUrl),
      logger,
      retryDelaysMs: options.webhookRetryDelaysMs ?? [3000, 6000],
      timeoutMs: 20_000,
    }),
    defaultWorkspaceId: () => resolve(options.notionWorkspaceId),
  };
  const control = createControl(env);
  const app = new Hono();
  app.route(
    '/',
    connectSessionRoutes(env, {
      secretKey: options.secretKey,
      connectUiUrl,
    }),
  );
  app.route('/', connectionRoutes(env, { secretKey: options.secretKey }));
  const notionBaseUrl = () => resolve(options.notionBaseUrl);
  app.route(
    '/',
    proxyRoute(env, {
      secretKey: options.secretKey,
      notionBaseUrl,
      delayScale: options.proxyDelayScale ?? 1,
    }),
  );
  app.route('/', controlRoutes(control));
  app.notFound((c) =>
    c.json(
      {
        error: {
          code: 'not_found',
          message: `No route for ${c.req.method} ${c.req.path}`,
        },
      },
      404,
    ),
  );
  app.onError((err, c) => {
    logger.error({ err: err.message, path: c.req.path }, 'fake nango: unhandled error');
    return c.body(null, 500);
  });
  return { app, connectUi: connectUiApp(env), control };
}

type NodeServer = ReturnType<typeof serve>;

async function listen(fetch: Hono['fetch'], port: number): Promise<{ server: NodeServer; url: string }> {
  const server = await new Promise<NodeServer>((ready, fail) => {
    const s = serve({ fetch, port, hostname: '127.0.0.1' }, () => ready(s));
    s.once('error', fail);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function close(server: NodeServer): Promise<void> {
  return new Promise<void>((done, fail) => {
    server.close((err) => (err ? fail(err) : done()));
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}

/**
 * Starts a local stand-in for Nango Cloud on 127.0.0.1 that the unmodified Nango SDKs can talk to: the
 * API on one port and the Connect UI on another, as Nango serves them from two origins.
 */
export async function startFakeNango(options: FakeNangoOptions): Promise<FakeNango> {
  let connectUiUrl = '';
  const { app, connectUi, control } = createFakeNangoApp(options, () => connectUiUrl);
  const api = await listen(app.fetch, options.port ?? 0);
  const ui = await listen(connectUi.fetch, options.connectUiPort ?? 0).catch(async (err: unknown) => {
    await close(api.server);
    throw err;
  });
  connectUiUrl = ui.url;
  return {
    url: api.url,
    connectUiUrl,
    control,
    close: async () => {
      await Promise.all([close(api.server), close(ui.server)]);
    },
  };
}
