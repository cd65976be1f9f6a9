import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createLogger, type Logger } from '../../platform/logger.ts';
import type { FakeEnvironment } from './auth-flow.ts';
import { connectSessionRoutes } from './connect-session-routes.ts';
import { connectUiRoutes } from './connect-ui.ts';
import { connectionRoutes } from './connection-routes.ts';
import { controlRoutes, createControl, type FakeNangoControl } from './control.ts';
import { isSecretKeyFormat } from './nango-errors.ts';
import { proxyRoute } from './proxy-route.ts';
import { FakeNangoStore } from './store.ts';
import { WebhookEmitter } from './webhook-emitter.ts';

export type { FakeNangoControl, FakeConnectionView } from './control.ts';
export type { WebhookDelivery, AuthWebhookBody } from './webhook-emitter.ts';
export type { CompleteAuthOptions } from './auth-flow.ts';

type Lazy<T> = T | (() => T);

export interface FakeNangoOptions {
  port?: number;
  /** Environment API key; must be a UUID v4 like Nango's. */
  secretKey: string;
  /** Separate UUID v4 used to sign webhooks, as on real Nango environments. */
  webhookSigningKey: string;
  /** Where auth webhooks go; lazy so the receiving app can start after the fake. */
  webhookUrl?: Lazy<string | undefined>;
  /** Upstream for `/proxy/*` (the fake Notion in sandbox mode). */
  notionBaseUrl: Lazy<string>;
  integrationId?: string;
  /** The Trust Center's public URL, for the "return" link on the Connect UI success page. */
  publicUrl?: Lazy<string | undefined>;
  logger?: Logger;
  /** Webhook retry waits (Nango: 3 s then 6 s). */
  webhookRetryDelaysMs?: readonly number[];
  /** Multiplies proxy retry waits (only used when a caller sends `Retries`). */
  proxyDelayScale?: number;
}

export interface FakeNango {
  url: string;
  control: FakeNangoControl;
  close(): Promise<void>;
}

const resolve = <T>(value: Lazy<T>): T => (typeof value === 'function' ? (value as () => T)() : value);

/** Builds the fake's Hono app without listening; `baseUrl` is read lazily for connect links. */
export function createFakeNangoApp(options: FakeNangoOptions, baseUrl: () => string) {
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
  };
  const control = createControl(env);
  const app = new Hono();
  app.route(
    '/',
    connectSessionRoutes(env, {
      secretKey: options.secretKey,
      connectUrl: () => `${baseUrl()}/connect/`,
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
  app.route('/', connectUiRoutes(env, { publicUrl: () => resolve(options.publicUrl) }));
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
  return { app, control };
}

/** Starts a local stand-in for Nango Cloud on 127.0.0.1 that the unmodified Nango SDKs can talk to. */
export async function startFakeNango(options: FakeNangoOptions): Promise<FakeNango> {
  let url = '';
  const { app, control } = createFakeNangoApp(options, () => url);
  const server = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => ready(s));
    s.once('error', fail);
  });
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    control,
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((err) => (err ? fail(err) : done()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
