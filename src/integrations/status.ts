import type { ActorContext } from '../platform/http/request-context.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { Integration } from '../contracts/integrations.ts';
import { isoOrNull } from '../platform/db/dates.ts';
import { findNotionStatus } from './connections.repo.ts';

/** Per-provider status for the Integrations page; a provider with no record is `disconnected`. */
export async function integrationStatuses(ctx: ActorContext): Promise<{ items: Integration[] }> {
  return { items: [await notionStatus(ctx)] };
}

async function notionStatus(ctx: ActorContext): Promise<Integration> {
  const row = await withTenant(ctx.s.db, ctx.tenantId, findNotionStatus);
  if (!row) {
    return {
      provider: 'notion',
      status: 'disconnected',
      statusReason: null,
      workspaceName: null,
      workspaceIcon: null,
      connectedBy: null,
      connectedAt: null,
      lastSyncAt: null,
      nextSyncAt: null,
      syncStatus: null,
      liveUpdatesAt: null,
    };
  }
  return {
    provider: 'notion',
    status: row.status,
    statusReason: row.status_reason,
    workspaceName: row.workspace_name,
    workspaceIcon: row.workspace_icon,
    connectedBy: row.user_id && row.user_email ? { id: row.user_id, email: row.user_email } : null,
    connectedAt: isoOrNull(row.connected_at),
    lastSyncAt: isoOrNull(row.last_success_at),
    // A connection that needs reauthorization is paused: promising a next run would be wrong.
    nextSyncAt: row.status === 'connected' ? isoOrNull(row.next_run_at) : null,
    syncStatus: row.sync_status ?? null,
    liveUpdatesAt: isoOrNull(row.live_updates_at),
  };
}
