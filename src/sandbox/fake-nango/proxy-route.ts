import { Hono } from 'hono';
import { z } from 'zod';
import type { FakeEnvironment } from './auth-flow.ts';
import { nangoError, secretKeyAuth, zodErrors } from './nango-errors.ts';

/** Nango's Notion provider template: base URL default and headers it adds unless the caller overrides them. */
const NOTION_DEFAULT_HEADERS: Record<string, string> = {
  'notion-version': '2022-06-28',
};

const PROXY_HEADER_PREFIX = 'nango-proxy-';

const SUCCESS_HEADERS = ['content-type', 'x-request-id', 'x-correlation-id', 'mcp-session-id'];
// Hop-by-hop or re-encoded by fetch: forwarding them would corrupt the relayed body.
const NEVER_RELAYED = new Set(['transfer-encoding', 'content-encoding', 'content-length', 'connection', 'keep-alive']);

const trueFalse = z.enum(['true', 'false']);
const proxyHeadersSchema = z.object({
  'provider-config-key': z.string().min(1),
  'connection-id': z.string().min(1),
  retries: z.string().regex(/^\d+$/, 'Expected an integer').optional(),
  'retry-on': z
    .string()
    .regex(/^\d+(,\d+)*$/)
    .optional(),
  'base-url-override': z.union([z.url(), z.literal('')]).optional(),
  decompress: trueFalse.optional(),
  'forward-headers-on-redirect': trueFalse.optional(),
  'nango-activity-log-id': z.string().max(255).optional(),
});

export interface ProxyOptions {
  secretKey: string;
  notionBaseUrl: () => string;
  /** Multiplies retry waits; 0 makes `Retries` tests instant. */
  delayScale: number;
}

/** `ALL /proxy/*`: forwards to the Notion base URL with the connection's token, like Nango's proxy. */
export function proxyRoute(env: FakeEnvironment, opts: ProxyOptions) {
  const app = new Hono();
  app.all('/proxy/*', secretKeyAuth(opts.secretKey), async (c) => {
    const incoming = c.req.header();
    const parsed = proxyHeadersSchema.safeParse(incoming);
    if (!parsed.success)
      return nangoError(c, 400, 'invalid_headers', undefined, {
        errors: zodErrors(parsed.error),
      });
    const h = parsed.data;
    if (h['provider-config-key'] !== env.integrationId) {
      return nangoError(
        c,
        404,
        'unknown_provider_config',
        'Provider config not found for the given provider config key. Please make sure the provider config exists in the Nango dashboard.',
      );
    }
    const conn = env.store.liveConnection(h['connection-id'], h['provider-config-key']);
    if (!conn) return nangoError(c, 400, 'server_error', 'Failed to get connection');

    const requestUrl = new URL(c.req.url);
    const endpoint = requestUrl.pathname.replace(/^\/proxy\/?/, '/') + requestUrl.search;
    const base = (h['base-url-override'] || opts.notionBaseUrl()).replace(/\/+$/, '');
    const upstreamUrl = `${base}${endpoint}`;

    const headers: Record<string, string> = { ...NOTION_DEFAULT_HEADERS };
    for (const [name, value] of Object.entries(incoming)) {
      if (name.startsWith(PROXY_HEADER_PREFIX)) headers[name.slice(PROXY_HEADER_PREFIX.length)] = value;
    }
    if (incoming['content-type']) headers['content-type'] = incoming['content-type'];
    headers['authorization'] = `Bearer ${conn.credentials.access_token}`;

    const method = c.req.method;
    const body = method === 'GET' || method === 'HEAD' ? undefined : await c.req.arrayBuffer();
    const retryOn = new Set((h['retry-on'] ?? '').split(',').filter(Boolean).map(Number));
    const attempts = Number(h.retries ?? '0') + 1;

    const log = {
      method,
      url: upstreamUrl,
      headers: { ...headers, authorization: 'Bearer [redacted]' },
      status: null as number | null,
    };
    env.store.proxied.push(log);

    let res: Response | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const last = attempt === attempts - 1;
      try {
        res = await fetch(upstreamUrl, {
          method,
          headers,
          body: body?.byteLength ? body : undefined,
          redirect: 'manual',
        });
      } catch {
        res = undefined;
        if (last) return c.body(null, 500);
        await sleep(backoffMs(attempt) * opts.delayScale);
        continue;
      }
      const retryable = res.status >= 500 || res.status === 429 || res.status === 401 || retryOn.has(res.status);
      if (!retryable || last) break;
      const retryAfter = Number(res.headers.get('retry-after'));
      await res.body?.cancel();
      await sleep(
        (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoffMs(attempt)) * opts.delayScale,
      );
    }
    if (!res) return c.body(null, 500);
    log.status = res.status;

    const ok = res.status >= 200 && res.status < 300;
    const out = new Headers();
    res.headers.forEach((value, name) => {
      if (NEVER_RELAYED.has(name)) return;
      if (ok && !SUCCESS_HEADERS.includes(name)) return;
      out.append(name, value);
    });
    const payload = res.status === 204 || res.status === 304 ? null : await res.arrayBuffer();
    return new Response(payload, { status: res.status, headers: out });
  });
  return app;
}

const backoffMs = (attempt: number) => Math.min(3000 * 2 ** attempt, 600_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
