import { nangoClientOf } from './nango.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import { auditAction } from '../audit/audit-actor.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { ConnectorHooks } from './connector-hooks.ts';
import { deleteIntegration, findNotionIntegration } from './connections.repo.ts';

/**
 * Disconnect Notion: delete the Nango connection (which drops the token), then our record, stop queued
 * work and mark imported documents as disconnected. Documents themselves are kept. Idempotent: with no
 * connection there is nothing to do. Nango is called first so that a failure there leaves everything as
 * it was and the admin can retry, rather than a record-less connection that still holds a token.
 */
export async function disconnectNotion(ctx: ActorContext, hooks: ConnectorHooks): Promise<{ disconnected: boolean }> {
  const { s } = ctx;
  const integration = await withTenant(s.db, ctx.tenantId, findNotionIntegration);
  if (!integration) return { disconnected: false };
  await nangoClientOf(s)?.deleteConnection(integration.nango_connection_id);
  await withTenant(s.db, ctx.tenantId, async (trx) => {
    // Before the delete: it nulls the connection id on runs and imports, which the hook uses to find them.
    await hooks.onDisconnected(trx, integration);
    await deleteIntegration(trx, integration.id);
    await auditAction(trx, ctx, {
      action: 'integration.disconnected',
      targetType: 'integration',
      targetId: integration.id,
      details: { provider: 'notion', workspace: integration.workspace_name },
    });
  });
  await hooks.afterDisconnected(integration);
  return { disconnected: true };
}
