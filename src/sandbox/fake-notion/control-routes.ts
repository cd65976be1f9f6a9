import { Hono } from 'hono';
import { z } from 'zod';
import type { FakeNotionControl } from './control.ts';

const ID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Notion accepts ids with or without dashes and answers with the dashed form. */
export function normalizeId(raw: string): string | null {
  if (!ID_PATTERN.test(raw)) return null;
  const h = raw.replaceAll('-', '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const editSchema = z.object({
  title: z.string().optional(),
  appendParagraph: z.string().optional(),
  appendMention: z.string().optional(),
  inTrash: z.boolean().optional(),
  shared: z.boolean().optional(),
  locked: z.boolean().optional(),
  properties: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

const configSchema = z.object({
  latencyMs: z.number().int().min(0).optional(),
  rateLimit: z.object({ rps: z.number().positive(), burst: z.number().int().positive() }).nullable().optional(),
  expiredFileUrls: z.boolean().optional(),
  readContent: z.boolean().optional(),
  searchLagMs: z.number().int().min(0).optional(),
  webhooks: z.boolean().optional(),
});

const failSchema = z.object({
  count: z.number().int().min(0),
  status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504), z.literal(529)]),
});

const revokeSchema = z.object({ token: z.string().min(1).optional() });

/** Test controls over HTTP (mounted at `/__fake`), mirroring the in-process `control` object. */
export function createControlRoutes(control: FakeNotionControl): Hono {
  const routes = new Hono();
  const ok = { ok: true } as const;
  routes.get('/requests', (c) => c.json({ requests: control.requests(), counters: control.counters() }));
  routes.post('/reset-log', (c) => {
    control.resetLog();
    return c.json(ok);
  });
  routes.post('/revoke', async (c) => {
    const body = revokeSchema.safeParse(await c.req.json().catch(() => ({})));
    control.revoke(body.success ? body.data.token : undefined);
    return c.json(ok);
  });
  routes.post('/unrevoke', (c) => {
    control.unrevoke();
    return c.json(ok);
  });
  routes.post('/config', async (c) => {
    const parsed = configSchema.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: parsed.error.issues }, 400);
    if (parsed.data.latencyMs !== undefined) control.setLatency(parsed.data.latencyMs);
    if (parsed.data.rateLimit !== undefined) control.setRateLimit(parsed.data.rateLimit);
    if (parsed.data.expiredFileUrls !== undefined) control.setExpiredFileUrls(parsed.data.expiredFileUrls);
    if (parsed.data.readContent !== undefined) control.setReadContent(parsed.data.readContent);
    if (parsed.data.searchLagMs !== undefined) control.setSearchLag(parsed.data.searchLagMs);
    if (parsed.data.webhooks !== undefined) control.setWebhooksEnabled(parsed.data.webhooks);
    return c.json(ok);
  });
  routes.post('/fail-next', async (c) => {
    const parsed = failSchema.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: parsed.error.issues }, 400);
    control.failNext(parsed.data.count, parsed.data.status);
    return c.json(ok);
  });
  routes.post('/pages/:id', async (c) => {
    const id = normalizeId(c.req.param('id'));
    const parsed = editSchema.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: parsed.error.issues }, 400);
    if (id === null || !control.editPage(id, parsed.data)) return c.json({ error: 'unknown page' }, 404);
    return c.json(ok);
  });

  routes.get('/webhook-events', (c) => c.json({ events: control.webhookEvents() }));
  routes.post('/webhook-events/:id/redeliver', (c) => {
    const event = control.redeliverEvent(c.req.param('id'));
    return event ? c.json({ event }) : c.json({ error: 'unknown event' }, 404);
  });

  return routes;
}
