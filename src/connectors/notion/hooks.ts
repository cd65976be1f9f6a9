import { sql } from 'kysely';
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
      const existing = await trx
        .selectFrom('sync_states')
        .select('integration_id')
        .where('integration_id', '=', integration.id)
        .executeTakeFirst();
      if (!existing) {
        await trx
          .insertInto('sync_states')
          .values({
            integration_id: integration.id,
            tenant_id: integration.tenant_id,
            next_run_at: firstRunAt(integration.id, intervalMs, new Date()),
          })
          .execute();
      } else if (replaced) {
        // A different connection may see a different workspace: sync starts over, and runs still working
        // through the old connection stop at their next checkpoint instead of writing its progress back.
        await trx
          .updateTable('sync_states')
          .set({
            stage: 'idle',
            high_water_mark: null,
            pending_high_water_mark: null,
            cursor: null,
            failure_count: 0,
            status: 'ok',
            updated_at: sql`now()`,
          })
          .where('integration_id', '=', integration.id)
          .execute();
        await cancelActiveRuns(trx, integration.id, 'The Notion connection was replaced.');
      } else {
        // Re-authorised: the same workspace, so progress is kept; only a pause ends.
        await trx
          .updateTable('sync_states')
          .set({
            status: sql`case when status = 'paused' then 'ok' else status end`,
            updated_at: sql`now()`,
          })
          .where('integration_id', '=', integration.id)
          .execute();
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
