import type { AppServices } from '../platform/app-services.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import { findTenantById } from '../accounts/tenants.repo.ts';
import { getUser } from '../accounts/users.repo.ts';
import { recordAudit, type AuditActor } from '../audit/audit.repo.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { IntegrationRow } from '../platform/db/schema.ts';
import { appError, isAppError, notFound } from '../platform/errors.ts';
import type { ConnectorHooks } from './connector-hooks.ts';
import { findNotionIntegration, upsertNotionIntegration } from './connections.repo.ts';
import { integrationStatuses } from './status.ts';
import {
  nangoClientOf,
  nangoNotConfigured,
  type ConnectSession,
  type ConnectionSummary,
  type NangoClient,
} from './nango.ts';

function requireNango(s: AppServices): NangoClient {
  const nango = nangoClientOf(s);
  if (!nango) throw nangoNotConfigured();
  return nango;
}

async function sessionInput({ s, actor }: ActorContext) {
  const tenant = await findTenantById(s.db, actor.tenantId);
  if (!tenant) throw notFound('Tenant');
  return {
    tenantId: tenant.id,
    tenantName: tenant.name,
    userId: actor.userId,
    userEmail: actor.email,
  };
}

/**
 * What the admin app needs to open Nango's Connect UI. The Connect UI lives on its own origin
 * (connect.nango.dev beside api.nango.dev; NANGO_PUBLIC_CONNECT_URL on a self-hosted Nango), and the frontend
 * SDK drops every message from another origin, so its base URL comes from Nango's own connect_link (or an
 * explicit setting), never from the API host.
 */
function connectSessionView(s: AppServices, session: ConnectSession) {
  const link = new URL(session.connectLink);
  link.search = '';
  link.hash = '';
  return {
    connectLink: session.connectLink,
    sessionToken: session.sessionToken,
    expiresAt: session.expiresAt.toISOString(),
    connectUiUrl: s.nangoSettings!.connectUiUrl ?? link.toString(),
    nangoHost: s.nangoSettings!.host,
  };
}

/** Create a Nango connect session tagged with the tenant and user, for the Connect UI. */
export async function startConnect(ctx: ActorContext) {
  return connectSessionView(ctx.s, await requireNango(ctx.s).createConnectSession(await sessionInput(ctx)));
}

/** A reconnect session for the tenant's existing connection (after a revoked token, for example). */
export async function startReconnect(ctx: ActorContext) {
  const { s } = ctx;
  const integration = await withTenant(s.db, ctx.tenantId, findNotionIntegration);
  if (!integration) throw appError('notion_not_connected', 'Notion is not connected yet; use Connect instead.');
  const session = await requireNango(s).createReconnectSession({
    ...(await sessionInput(ctx)),
    connectionId: integration.nango_connection_id,
  });
  return connectSessionView(s, session);
}

/**
 * Webhook-loss fallback: after the Connect UI reports success, adopt the newest Nango connection tagged
 * with this tenant. Tags are checked again here because the list filter is Nango's, not ours.
 */
export async function confirmConnect(ctx: ActorContext, hooks: ConnectorHooks) {
  const { s, actor } = ctx;
  const connections = await requireNango(s).listTenantConnections(actor.tenantId);
  const mine = connections.find(
    (c) => c.organizationId === actor.tenantId && c.integrationId === s.nangoSettings!.integrationId,
  );
  if (!mine)
    throw appError(
      'connection_not_found',
      'We could not find a completed Notion connection yet. Finish the consent in the Notion window, then try again.',
    );
  await adoptConnection(s, hooks, {
    tenantId: actor.tenantId,
    connection: mine,
    actor: { type: actor.kind, id: actor.userId, label: actor.email },
    connectedBy: actor.userId,
  });
  return integrationStatuses(ctx);
}

/**
 * Store a Nango connection as the tenant's one Notion connection. Idempotent: the same connection again
 * changes nothing. A different connection replaces the old one, whose Nango connection is then deleted
 * so no orphaned token keeps access to the workspace.
 */
export async function adoptConnection(
  s: AppServices,
  hooks: ConnectorHooks,
  input: {
    tenantId: string;
    connection: ConnectionSummary;
    actor: AuditActor;
    connectedBy: string | null;
  },
): Promise<IntegrationRow> {
  const existing = await withTenant(s.db, input.tenantId, findNotionIntegration);
  if (existing && existing.nango_connection_id === input.connection.connectionId && existing.status === 'connected')
    return existing;
  const workspace = await hooks.describeWorkspace({
    connectionId: input.connection.connectionId,
    providerConfigKey: input.connection.integrationId,
  });
  const connectedBy =
    input.connectedBy && (await userInTenant(s, input.tenantId, input.connectedBy)) ? input.connectedBy : null;
  const integration = await withTenant(s.db, input.tenantId, async (trx) => {
    const row = await upsertNotionIntegration(trx, {
      tenantId: input.tenantId,
      connectionId: input.connection.connectionId,
      providerConfigKey: input.connection.integrationId,
      connectedBy,
      workspaceName: workspace.name,
      workspaceIcon: workspace.icon,
      status: 'connected',
      statusReason: null,
    });
    await hooks.onConnected(trx, row, {
      replaced: existing?.nango_connection_id !== input.connection.connectionId,
    });
    await recordAudit(trx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: existing ? 'integration.reconnected' : 'integration.connected',
      targetType: 'integration',
      targetId: row.id,
      details: { provider: 'notion', workspace: workspace.name },
    });
    return row;
  });
  if (existing && existing.nango_connection_id !== input.connection.connectionId) {
    await requireNango(s)
      .deleteConnection(existing.nango_connection_id)
      .catch((err: unknown) =>
        s.logger.warn(
          { err, connectionId: existing.nango_connection_id },
          'could not delete the replaced Nango connection',
        ),
      );
  }
  return integration;
}

async function userInTenant(s: AppServices, tenantId: string, userId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return false;
  try {
    await withTenant(s.db, tenantId, (trx) => getUser(trx, userId));
    return true;
  } catch (err) {
    if (isAppError(err) && err.code === 'not_found') return false;
    throw err;
  }
}
