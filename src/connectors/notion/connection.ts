import type { AppServices } from '../../platform/app-services.ts';
import type { IntegrationRow } from '../../platform/db/schema.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { AppError } from '../../platform/errors.ts';
import { findNotionIntegration, setIntegrationStatus } from '../../integrations/connections.repo.ts';
import { nangoNotConfigured } from '../../integrations/nango.ts';
import { createNotionGateway, type NotionGateway } from './gateway.ts';
import { NOTION_ERROR_POLICY, notionErrorKind } from './errors.ts';
import { limiterFor } from './rate-limiter.ts';

/** A gateway for one stored connection, drawing from the connection's budget shared by every process. */
export function gatewayForIntegration(
  s: AppServices,
  integration: Pick<IntegrationRow, 'nango_connection_id' | 'provider_config_key'>,
): NotionGateway {
  if (!s.nangoSettings) throw nangoNotConfigured();
  return createNotionGateway({
    mode: 'nango',
    nangoHost: s.nangoSettings.host,
    secretKey: s.nangoSettings.secretKey,
    connectionId: integration.nango_connection_id,
    providerConfigKey: integration.provider_config_key,
    limiter: limiterFor(
      `nango:${integration.nango_connection_id}`,
      { rps: s.config.NOTION_RATE_LIMIT_RPS, burst: s.config.NOTION_RATE_LIMIT_BURST },
      { db: s.db, logger: s.logger },
    ),
    maxRetries: s.config.NOTION_MAX_RETRIES,
    logger: s.logger,
  });
}

const notConnected = () =>
  new AppError({
    code: 'notion_not_connected',
    message: 'Notion is not connected. An admin can connect it on the Integrations page.',
  });

/** The tenant's connected integration, or a clear 409 when there is none or it needs reauthorization. */
export async function requireConnectedIntegration(s: AppServices, tenantId: string): Promise<IntegrationRow> {
  const integration = await withTenant(s.db, tenantId, findNotionIntegration);
  if (!integration) throw notConnected();
  if (integration.status === 'needs_reauth') {
    throw new AppError({
      code: 'notion_needs_reauth',
      message: 'The Notion connection needs to be reauthorized. An admin can reconnect it on the Integrations page.',
    });
  }
  if (integration.status !== 'connected') {
    throw new AppError({
      code: 'notion_connection_failed',
      message: 'Connecting Notion did not complete. An admin can connect it again on the Integrations page.',
    });
  }
  return integration;
}

/**
 * Run Notion work for a tenant. A 401 from Notion means the token was revoked: the connection is marked
 * needs_reauth (which pauses syncing) before the error propagates.
 */
export async function withNotion<T>(
  s: AppServices,
  tenantId: string,
  fn: (gateway: NotionGateway, integration: IntegrationRow) => Promise<T>,
): Promise<T> {
  const integration = await requireConnectedIntegration(s, tenantId);
  try {
    return await fn(gatewayForIntegration(s, integration), integration);
  } catch (err) {
    await markNeedsReauthOn(s, tenantId, integration, err);
    throw err;
  }
}

/**
 * If `err` is Notion's 401, flag the connection so the UI asks for a reconnect and syncs pause. Only the
 * Nango connection that failed is flagged: if it was replaced meanwhile, the new one is left alone.
 */
export async function markNeedsReauthOn(
  s: AppServices,
  tenantId: string,
  integration: Pick<IntegrationRow, 'id' | 'nango_connection_id'>,
  err: unknown,
): Promise<void> {
  const kind = notionErrorKind(err);
  if (!kind || NOTION_ERROR_POLICY[kind] !== 'needs_reauth') return;
  await withTenant(s.db, tenantId, (trx) =>
    setIntegrationStatus(trx, integration, 'needs_reauth', 'Notion rejected the connection token.'),
  );
}
