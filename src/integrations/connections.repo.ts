import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/tenant-scope.ts';
import type { IntegrationRow, IntegrationStatus } from '../platform/db/schema.ts';

/** The tenant's Notion connection record, if connected. */
export async function findNotionIntegration(trx: Tx): Promise<IntegrationRow | undefined> {
  return trx.selectFrom('integrations').selectAll().where('provider', '=', 'notion').executeTakeFirst();
}

/** Insert or replace the tenant's Notion connection record (one per tenant). */
export async function upsertNotionIntegration(
  trx: Tx,
  values: {
    tenantId: string;
    connectionId: string;
    providerConfigKey: string;
    connectedBy: string | null;
    workspaceName: string | null;
    workspaceIcon: string | null;
    status: IntegrationStatus;
    statusReason: string | null;
  },
): Promise<IntegrationRow> {
  return trx
    .insertInto('integrations')
    .values({
      tenant_id: values.tenantId,
      provider: 'notion',
      nango_connection_id: values.connectionId,
      provider_config_key: values.providerConfigKey,
      status: values.status,
      status_reason: values.statusReason,
      workspace_name: values.workspaceName,
      workspace_icon: values.workspaceIcon,
      connected_by: values.connectedBy,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'provider']).doUpdateSet((eb) => ({
        nango_connection_id: eb.ref('excluded.nango_connection_id'),
        provider_config_key: eb.ref('excluded.provider_config_key'),
        status: eb.ref('excluded.status'),
        status_reason: eb.ref('excluded.status_reason'),
        workspace_name: eb.ref('excluded.workspace_name'),
        workspace_icon: eb.ref('excluded.workspace_icon'),
        connected_by: eb.ref('excluded.connected_by'),
        connected_at: sql`case when integrations.nango_connection_id = excluded.nango_connection_id then integrations.connected_at else now() end`,
        // Another connection may be another workspace, whose events Nango has not forwarded yet.
        live_updates_at: sql`case when integrations.nango_connection_id = excluded.nango_connection_id then integrations.live_updates_at else null end`,
        updated_at: sql`now()`,
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Record a status change (e.g. needs_reauth after Notion answers 401) of this exact Nango connection. */
export async function setIntegrationStatus(
  trx: Tx,
  integration: Pick<IntegrationRow, 'id' | 'nango_connection_id'>,
  status: IntegrationStatus,
  reason: string | null,
): Promise<void> {
  await trx
    .updateTable('integrations')
    .set({ status, status_reason: reason, updated_at: sql`now()` })
    .where('id', '=', integration.id)
    .where('nango_connection_id', '=', integration.nango_connection_id)
    .execute();
}

export async function deleteIntegration(trx: Tx, integrationId: string): Promise<void> {
  await trx.deleteFrom('integrations').where('id', '=', integrationId).execute();
}

/**
 * The connection record holding a Nango connection id, across tenants (read as the owner): webhooks name
 * a connection, not a tenant. The unique index on nango_connection_id makes this one index lookup.
 */
export async function findIntegrationByConnectionId(
  db: Db,
  connectionId: string,
): Promise<
  Pick<IntegrationRow, 'id' | 'tenant_id' | 'nango_connection_id' | 'status' | 'live_updates_at'> | undefined
> {
  return db
    .selectFrom('integrations')
    .select(['id', 'tenant_id', 'nango_connection_id', 'status', 'live_updates_at'])
    .where('nango_connection_id', '=', connectionId)
    .executeTakeFirst();
}

/** How stale the "live updates" timestamp may get before an event refreshes it: bursts cost no writes. */
const LIVE_UPDATES_REFRESH = '1 hour';

/** Note that Nango forwarded a provider event for this connection (shown as "Live updates: on"). */
export async function markLiveUpdatesSeen(trx: Tx, integrationId: string): Promise<void> {
  await trx
    .updateTable('integrations')
    .set({ live_updates_at: sql`now()` })
    .where('id', '=', integrationId)
    .where((eb) =>
      eb.or([
        eb('live_updates_at', 'is', null),
        eb('live_updates_at', '<', sql<Date>`now() - ${LIVE_UPDATES_REFRESH}::interval`),
      ]),
    )
    .execute();
}

/** The Notion connection with who connected it and its sync schedule, for the Integrations page. */
export function findNotionStatus(trx: Tx) {
  return trx
    .selectFrom('integrations')
    .leftJoin('users', 'users.id', 'integrations.connected_by')
    .leftJoin('sync_states', 'sync_states.integration_id', 'integrations.id')
    .select([
      'integrations.status',
      'integrations.status_reason',
      'integrations.workspace_name',
      'integrations.workspace_icon',
      'integrations.connected_at',
      'integrations.live_updates_at',
      'users.id as user_id',
      'users.email as user_email',
      'sync_states.last_success_at',
      'sync_states.next_run_at',
      'sync_states.status as sync_status',
    ])
    .where('integrations.provider', '=', 'notion')
    .executeTakeFirst();
}

/** Every stored connection, across tenants (read as the owner at start, to restore the sandbox's fake). */
export async function listAllConnections(db: Db) {
  return db.selectFrom('integrations').select(['nango_connection_id', 'tenant_id', 'connected_by']).execute();
}
