import { z } from 'zod';
import type { AppServices } from '../platform/app-services.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { checkHealth, checkReady } from '../platform/health.ts';

const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'draining']),
  database: z.object({ ok: z.boolean(), latencyMs: z.number().optional() }),
  queue: z.object({ ok: z.boolean(), queued: z.number().optional(), active: z.number().optional() }),
});

/** Health for people and monitors (/healthz, detailed) and readiness for load balancers (/readyz). */
export function registerHealthRoutes(api: ApiRouter, s: AppServices): void {
  api.route(
    {
      method: 'get',
      path: '/healthz',
      tag: 'operations',
      summary: 'Database and job queue health, each probed separately (503 when either is down)',
      access: 'public',
      response: HealthSchema,
    },
    async (c) => {
      const report = await checkHealth(s);
      c.header('Cache-Control', 'no-store');
      return c.json(report, report.status === 'ok' ? 200 : 503);
    },
  );
  api.route(
    {
      method: 'get',
      path: '/readyz',
      tag: 'operations',
      summary: 'Readiness for load balancers: 200 while the database answers and the process is not shutting down',
      access: 'public',
      response: z.object({ ready: z.boolean() }),
    },
    async (c) => {
      const ready = await checkReady(s);
      c.header('Cache-Control', 'no-store');
      return c.json({ ready }, ready ? 200 : 503);
    },
  );
}
