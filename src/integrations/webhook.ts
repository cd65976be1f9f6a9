import type { AppServices } from '../platform/app-services.ts';
import { findTenantById } from '../accounts/tenants.repo.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { AppError } from '../platform/errors.ts';
import type { ConnectorHooks } from './connector-hooks.ts';
import { adoptConnection } from './connect.ts';
import { findNotionIntegration, setIntegrationStatus, upsertNotionIntegration } from './connections.repo.ts';
import { parseNangoWebhook, verifyNangoWebhook } from './nango-webhook.ts';
import { nangoClientOf, nangoNotConfigured } from './nango.ts';
import { UUID_PATTERN } from '../contracts/common.ts';

/**
 * Handle one Nango webhook. The signature is checked over the raw bytes before anything is parsed; an
 * unsigned, forged or altered body is rejected with nothing stored. Auth webhooks name the tenant only
 * through the connection's tags, and the connection is re-read from Nango so a signed-but-stale body
 * cannot attach someone else's connection.
 */
export async function handleNangoWebhook(
  s: AppServices,
  hooks: ConnectorHooks,
  rawBody: string,
  headers: Headers,
): Promise<{ handled: string }> {
  const nango = nangoClientOf(s);
  if (!s.nangoSettings || !nango) throw nangoNotConfigured();
  if (!verifyNangoWebhook(rawBody, headers, s.nangoSettings.webhookSigningKey)) {
    throw new AppError({
      code: 'invalid_signature',
      message: 'The webhook signature is missing or wrong.',
    });
  }
  const event = parseNangoWebhook(rawBody);
  if (event.kind !== 'auth') return { handled: `ignored:${event.type}` };
  if (event.providerConfigKey !== s.nangoSettings.integrationId) return { handled: 'ignored:other_integration' };
  const tenantId = event.organizationId ?? event.tags['organization_id'] ?? null;
  if (!tenantId || !UUID_PATTERN.test(tenantId) || !(await findTenantById(s.db, tenantId))) {
    throw new AppError({
      code: 'unknown_tenant',
      message: 'The webhook does not belong to a known tenant.',
    });
  }
  if (!event.success) {
    await recordFailure(
      s,
      tenantId,
      event.connectionId,
      event.error?.description ?? event.error?.type ?? 'Authorization failed.',
    );
    return { handled: 'auth_failed' };
  }
  if (event.operation === 'deletion' || event.operation === 'refresh') {
    // Acknowledged (a 4xx would make Nango retry). A deleted connection can no longer be used: say so.
    if (event.operation === 'deletion') await markDeleted(s, tenantId, event.connectionId);
    return { handled: event.operation };
  }
  const connection = await nango.getConnectionSummary(event.connectionId);
  if (!connection || connection.organizationId !== tenantId) {
    throw new AppError({
      code: 'unknown_connection',
      message: 'The connection named by the webhook does not exist for this tenant.',
    });
  }
  await adoptConnection(s, hooks, {
    tenantId,
    connection,
    actor: { type: 'system', id: null, label: 'nango webhook' },
    connectedBy: event.endUserId ?? connection.endUserId,
  });
  return { handled: 'connected' };
}

/**
 * A failed authorization is shown on the Integrations page, but never clobbers a working connection (the
 * admin may simply have cancelled a second attempt), nor replaces a stored connection id: only a tenant
 * with no connection yet gets a record, so that the failure can be shown.
 */
async function recordFailure(s: AppServices, tenantId: string, connectionId: string, reason: string): Promise<void> {
  await withTenant(s.db, tenantId, async (trx) => {
    const existing = await findNotionIntegration(trx);
    if (!existing) {
      await upsertNotionIntegration(trx, {
        tenantId,
        connectionId,
        providerConfigKey: s.nangoSettings!.integrationId,
        connectedBy: null,
        workspaceName: null,
        workspaceIcon: null,
        status: 'error',
        statusReason: reason,
      });
    } else if (existing.status !== 'connected') {
      await setIntegrationStatus(trx, existing, existing.status === 'needs_reauth' ? 'needs_reauth' : 'error', reason);
    }
    await recordAudit(trx, {
      tenantId,
      actor: { type: 'system', id: null, label: 'nango webhook' },
      action: 'integration.auth_failed',
      targetType: 'integration',
      details: { reason },
    });
  });
}

async function markDeleted(s: AppServices, tenantId: string, connectionId: string): Promise<void> {
  await withTenant(s.db, tenantId, async (trx) => {
    const existing = await findNotionIntegration(trx);
    if (existing?.nango_connection_id === connectionId) {
      await setIntegrationStatus(
        trx,
        existing,
        'error',
        'The connection was deleted in Nango. Connect Notion again to resume.',
      );
    }
  });
}
