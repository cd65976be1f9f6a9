import type { AppServices } from '../../platform/app-services.ts';
import type { ConnectorHooks } from '../../integrations/connector-hooks.ts';
import { gatewayForIntegration } from './connection.ts';
import { cancelQueuedImportsOf } from './import/imports.repo.ts';
import { importPageJob } from './import/import-page.job.ts';
import { firstRunAt } from './sync/schedule.ts';
import { syncConnectionJob } from './sync/sync-connection.job.ts';
import { routeNotionEvent } from './sync/live-updates.ts';
import { refreshPageJob } from './sync/refresh-page.job.ts';
import { cancelActiveRuns } from './sync/sync-runs.repo.ts';
import { createSyncStateIfMissing, restartSyncState, unpauseSyncState } from './sync/sync-states.repo.ts';
import { markSourceDisconnected } from '../../documents/documents.repo.ts';

/** The Notion connector's part in connecting and disconnecting (see integrations/connector-hooks.ts). */
export function notionConnectorHooks(s: AppServices): ConnectorHooks {
  const intervalMs = s.config.SYNC_INTERVAL_HOURS * 3600_000;
  return {
    async describeWorkspace(connection) {
      const me = await gatewayForIntegration(s, {
        nango_connection_id: connection.connectionId,
        provider_config_key: connection.providerConfigKey,
      }).me();
      return { name: me.workspaceName, icon: me.workspaceIcon };
    },

    async onConnected(trx, integration, { replaced }) {
      const created = await createSyncStateIfMissing(trx, {
        integrationId: integration.id,
        tenantId: integration.tenant_id,
        nextRunAt: firstRunAt(integration.id, intervalMs, new Date()),
      });
      if (created) {
        // The first connection of this integration row: nothing to keep or reset.
      } else if (replaced) {
        // A different connection may see a different workspace: sync starts over, and runs still working
        // through the old connection stop at their next checkpoint instead of writing its progress back.
        await restartSyncState(trx, integration.id);
        await cancelActiveRuns(trx, integration.id, 'The Notion connection was replaced.');
      } else {
        // Re-authorised: the same workspace, so progress is kept; only a pause ends.
        await unpauseSyncState(trx, integration.id);
      }
      // Documents marked when the tenant disconnected are linked again; the next reconcile re-checks each one.
      await markSourceDisconnected(trx, 'notion', false);
    },

    async onDisconnected(trx, integration) {
      await markSourceDisconnected(trx, 'notion', true);
      await cancelQueuedImportsOf(trx, integration.id);
      await cancelActiveRuns(trx, integration.id, 'Notion was disconnected.');
    },

    async afterDisconnected(integration) {
      await s.jobs.cancel(
        importPageJob,
        await s.jobs.pendingJobIds(importPageJob, {
          integrationId: integration.id,
        }),
      );
      await s.jobs.cancel(
        syncConnectionJob,
        await s.jobs.pendingJobIds(syncConnectionJob, {
          integrationId: integration.id,
        }),
      );
      await s.jobs.cancel(
        refreshPageJob,
        await s.jobs.pendingJobIds(refreshPageJob, { integrationId: integration.id }),
      );
    },

    onForwardedEvent: (event) => routeNotionEvent(s, event),
  };
}
