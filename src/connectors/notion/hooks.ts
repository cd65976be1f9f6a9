import { sql } from 'kysely';
import type { AppServices } from '../../app-services.ts';
import type { ConnectorHooks } from '../../integrations/connector-hooks.ts';
import { gatewayForIntegration } from './connection.ts';
import { cancelQueuedImportsOf } from './import/imports.repo.ts';
import { importPageJob } from './import/import-page.job.ts';
import { firstRunAt } from './sync/schedule.ts';
import { syncConnectionJob } from './sync/sync-connection.job.ts';

/** The Notion connector's part in connecting and disconnecting (see integrations/connector-hooks.ts). */
export function notionConnectorHooks(s: AppServices): ConnectorHooks {
  const intervalMs = s.config.SYNC_INTERVAL_HOURS * 3600_000;
  return {
    async describeWorkspace(connection) {
      const me = await gatewayForIntegration(s, { nango_connection_id: connection.connectionId, provider_config_key: connection.providerConfigKey }).me();
      return { name: me.workspaceName, icon: me.workspaceIcon };
    },

    // A new or replaced connection may see a different workspace, so sync starts over from no high-water mark.
    async onConnected(trx, integration) {
      await trx.insertInto('sync_states').values({
        integration_id: integration.id, tenant_id: integration.tenant_id, next_run_at: firstRunAt(integration.id, intervalMs, new Date()),
      }).onConflict((oc) => oc.column('integration_id').doUpdateSet({
        stage: 'idle', high_water_mark: null, pending_high_water_mark: null, cursor: null, failure_count: 0,
        status: sql`case when sync_states.status = 'paused' then 'ok' else sync_states.status end`, updated_at: sql`now()`,
      })).execute();
      // Documents marked when the tenant disconnected are linked again; the next reconcile re-checks each one.
      await trx.updateTable('documents').set({ source_status: 'ok' }).where('source', '=', 'notion').where('source_status', '=', 'disconnected').execute();
    },

    async onDisconnected(trx, integration) {
      await trx.updateTable('documents').set({ source_status: 'disconnected', updated_at: sql`now()` })
        .where('source', '=', 'notion').where('source_status', '=', 'ok').execute();
      await cancelQueuedImportsOf(trx, integration.id);
      await trx.updateTable('sync_runs').set({ status: 'cancelled', finished_at: sql`now()`, error: 'Notion was disconnected.' })
        .where('integration_id', '=', integration.id).where('status', 'in', ['queued', 'running']).execute();
    },

    async afterDisconnected(integration) {
      await s.jobs.cancel(importPageJob, await s.jobs.pendingJobIds(importPageJob, { integrationId: integration.id }));
      await s.jobs.cancel(syncConnectionJob, await s.jobs.pendingJobIds(syncConnectionJob, { integrationId: integration.id }));
    },
  };
}
