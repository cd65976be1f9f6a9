import type { AppServices } from '../platform/app-services.ts';
import { findTenantById } from '../accounts/tenants.repo.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { AppError } from '../platform/errors.ts';
import type { ConnectorHooks } from './connector-hooks.ts';
import { adoptConnection } from './connect.ts';
import {
  findIntegrationByConnectionId,
  findNotionIntegration,
  setIntegrationStatus,
  upsertNotionIntegration,
} from './connections.repo.ts';
import { parseNangoWebhook, verifyNangoWebhook, type NangoWebhook } from './nango-webhook.ts';
import { nangoClientOf, nangoNotConfigured, type NangoClient } from './nango.ts';
import { handleOncePerBody } from './webhook-intake.ts';
import { UUID_PATTERN } from '../contracts/common.ts';

const WEBHOOK_ACTOR = { type: 'system', id: null, label: 'nango webhook' } as const;

/**
 * Handle one Nango webhook. The signature is checked over the raw bytes with the environment's webhook
 * signing key before anything is parsed; an unsigned, forged or altered body is rejected with nothing stored.
 *
 * What Nango sends decides the answer, because Nango retries only network errors and 5xx, never a 4xx:
 * - creation/override success: the tenant comes from the connection's tags, and the connection is re-read
 *   from Nango so a signed-but-stale body cannot attach someone else's connection;
 * - a failure (creation, override or refresh): 200 always. Nango's failure hook knows only the connection
 *   id, so it is matched to a tenant through our own record of that connection (a failed re-authorisation
 *   or token refresh) or through tags when present; an unmatched one is logged and acknowledged;
 * - refresh success after a failure, deletion: matched through our record of the connection;
 * - forwarded provider events (Notion page edits): handed to the connector;
 * - anything else: acknowledged and ignored.
 * Our own transient failures (database, Nango unreachable) surface as 5xx so that Nango delivers again.
 * A replayed body (same signed bytes) is acknowledged without a second effect.
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
  const { integrationId } = s.nangoSettings;
  return handleOncePerBody(s.db, rawBody, () => applyNangoWebhook(s, hooks, nango, integrationId, rawBody));
}

/** Act on a verified webhook body (see handleNangoWebhook). */
async function applyNangoWebhook(
  s: AppServices,
  hooks: ConnectorHooks,
  nango: NangoClient,
  integrationId: string,
  rawBody: string,
): Promise<{ handled: string }> {
  const event = parseNangoWebhook(rawBody);
  if (event.kind === 'other') return { handled: `ignored:${event.type}` };
  if (event.providerConfigKey !== integrationId) return { handled: 'ignored:other_integration' };
  if (event.kind === 'forward') {
    // Nango delivers an event it could not match to a connection without connectionId: nothing to route.
    if (!event.connectionId) return { handled: 'ignored:unmatched_forward' };
    return { handled: await hooks.onForwardedEvent({ connectionId: event.connectionId, payload: event.payload }) };
  }
  if (!event.success) return { handled: await handleAuthFailure(s, event) };
  if (event.operation === 'refresh') return { handled: await handleRefreshRecovered(s, hooks, event.connectionId) };
  if (event.operation === 'deletion') return { handled: await markDeleted(s, event.connectionId) };

  const tenantId = await knownTenant(s, event);
  if (!tenantId) {
    throw new AppError({
      code: 'unknown_tenant',
      message: 'The webhook does not belong to a known tenant.',
    });
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
    actor: WEBHOOK_ACTOR,
    connectedBy: event.endUserId ?? connection.endUserId,
  });
  return { handled: 'connected' };
}

type AuthWebhook = Extract<NangoWebhook, { kind: 'auth' }>;

/** The tenant named by the webhook's tags, when it exists. */
async function knownTenant(s: AppServices, event: AuthWebhook): Promise<string | null> {
  const tenantId = event.organizationId;
  if (!tenantId || !UUID_PATTERN.test(tenantId) || !(await findTenantById(s.db, tenantId))) return null;
  return tenantId;
}

/** Nango's error in words an admin can act on; Nango's own text is kept for support. */
function failureReason(event: AuthWebhook, lead: string): string {
  const detail = event.error?.description || event.error?.type;
  return detail ? `${lead} (Notion/Nango said: ${detail.slice(0, 300)})` : lead;
}

/**
 * A failed authorization or token refresh. Always acknowledged: Nango would not retry a 4xx, and nothing
 * on our side can make a failed consent succeed. A refresh failure pauses syncing at once (needs_reauth),
 * so the card stops saying "connected" while every Notion call fails.
 */
async function handleAuthFailure(s: AppServices, event: AuthWebhook): Promise<string> {
  const ours = await findIntegrationByConnectionId(s.db, event.connectionId);
  if (ours && event.operation === 'refresh') {
    const reason = failureReason(event, 'Notion access could not be renewed. Reconnect Notion to resume syncing.');
    await withTenant(s.db, ours.tenant_id, async (trx) => {
      await setIntegrationStatus(trx, ours, 'needs_reauth', reason);
      await recordAudit(trx, {
        tenantId: ours.tenant_id,
        actor: WEBHOOK_ACTOR,
        action: 'integration.refresh_failed',
        targetType: 'integration',
        targetId: ours.id,
        details: { reason },
      });
    });
    return 'needs_reauth';
  }
  const tenantId = ours?.tenant_id ?? (await knownTenant(s, event));
  if (!tenantId) {
    // Nango's creation-failure hook carries no tags and no end user: the admin who was connecting sees the
    // Connect UI's own error; here it can only be logged.
    s.logger.warn(
      {
        connectionId: event.connectionId,
        operation: event.operation,
        errorType: event.error?.type,
        errorDescription: event.error?.description,
      },
      'Nango reported a failed Notion authorization that names no tenant',
    );
    return 'auth_failed:unmatched';
  }
  await recordFailure(
    s,
    tenantId,
    event.connectionId,
    failureReason(event, 'Connecting Notion did not complete. Connect again to retry.'),
  );
  return 'auth_failed';
}

/** Nango refreshed the token again after a failure: the connection works, syncing resumes. */
async function handleRefreshRecovered(s: AppServices, hooks: ConnectorHooks, connectionId: string): Promise<string> {
  const ours = await findIntegrationByConnectionId(s.db, connectionId);
  if (!ours) return 'ignored:unknown_connection';
  return withTenant(s.db, ours.tenant_id, async (trx) => {
    const row = await findNotionIntegration(trx);
    if (!row || row.nango_connection_id !== connectionId || row.status !== 'needs_reauth') return 'refresh';
    await setIntegrationStatus(trx, row, 'connected', null);
    await hooks.onConnected(trx, { ...row, status: 'connected', status_reason: null }, { replaced: false });
    await recordAudit(trx, {
      tenantId: row.tenant_id,
      actor: WEBHOOK_ACTOR,
      action: 'integration.recovered',
      targetType: 'integration',
      targetId: row.id,
      details: { provider: 'notion' },
    });
    return 'connected';
  });
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
      actor: WEBHOOK_ACTOR,
      action: 'integration.auth_failed',
      targetType: 'integration',
      details: { reason },
    });
  });
}

/** A connection deleted in Nango can no longer be used: say so on the card (documents are untouched). */
async function markDeleted(s: AppServices, connectionId: string): Promise<string> {
  const ours = await findIntegrationByConnectionId(s.db, connectionId);
  if (!ours) return 'ignored:unknown_connection';
  await withTenant(s.db, ours.tenant_id, (trx) =>
    setIntegrationStatus(trx, ours, 'error', 'The connection was deleted in Nango. Connect Notion again to resume.'),
  );
  return 'deletion';
}
