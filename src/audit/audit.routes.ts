import { z } from 'zod';
import { AUDIT_KIND_IDS } from '../contracts/audit-sentences.ts';
import { readAuditLog } from './audit-log.ts';
import { AuditEntrySchema } from '../contracts/accounts.ts';
import { cursorPageSchema, cursorQueryFields } from '../contracts/paging.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';

const AuditQuery = z.strictObject({
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(100).optional(),
  actorType: z.enum(['user', 'api_token', 'contact', 'visitor', 'system']).optional(),
  actorId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  kind: z.enum(AUDIT_KIND_IDS).optional(),
  who: z.string().trim().max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  ...cursorQueryFields,
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
      response: cursorPageSchema(AuditEntrySchema),
    },
    async (c, { ctx, query }) => c.json(await readAuditLog(ctx, query)),
  );
}
