import { z } from 'zod';
import { readAuditLog } from './audit-log.ts';
import { AuditEntrySchema } from '../contracts/accounts.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';

const AuditQuery = z.strictObject({
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(100).optional(),
  actorType: z.enum(['user', 'api_token', 'contact', 'visitor', 'system']).optional(),
  actorId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  before: z.string().regex(/^\d+$/).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

/** The tenant's audit log (admins only). */
export function registerAuditRoutes(api: ApiRouter): void {
  api.route(
    {
      method: 'get',
      path: '/api/audit',
      tag: 'audit',
      summary: 'Read the audit log, newest first',
      access: 'admin',
      query: AuditQuery,
      response: z.object({ items: z.array(AuditEntrySchema) }),
    },
    async (c, { ctx, query }) => c.json({ items: await readAuditLog(ctx, query) }),
  );
}
