import { z } from 'zod';
import type { AppServices } from '../platform/app-services.ts';
import {
  ConnectSessionResponse,
  IntegrationsResponse,
  StartSyncBody,
  SyncRunsResponse,
} from '../contracts/integrations.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { AppError } from '../platform/errors.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { confirmConnect, startConnect, startReconnect } from './connect.ts';
import { disconnectNotion } from './disconnect.ts';
import { integrationStatuses } from './status.ts';
import { handleNangoWebhook } from './webhook.ts';
import { readWebhookBody } from './webhook-intake.ts';
import { BODY_LIMITS } from '../platform/http/body-limits.ts';
import { notionConnectorHooks } from '../connectors/notion/hooks.ts';
import { startSync } from '../connectors/notion/sync/start-sync.ts';
import { listRuns } from '../connectors/notion/sync/sync-runs.repo.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { clientIp } from '../platform/http/client-ip.ts';

/** Connecting, disconnecting and syncing Notion; the Nango webhook; sandbox discovery. */
export function registerIntegrationRoutes(api: ApiRouter, s: AppServices): void {
  const hooks = notionConnectorHooks(s);
  const statusBody = async (tenantId: string) => ({
    items: await integrationStatuses(s.db, tenantId),
  });

  api.route(
    {
      method: 'get',
      path: '/api/integrations',
      tag: 'integrations',
      summary: 'Connection status per provider',
      access: 'viewer',
      response: IntegrationsResponse,
    },
    async (c, { actor }) => c.json(await statusBody(actor.tenantId)),
  );

  api.route(
    {
      method: 'post',
      path: '/api/integrations/notion/connect',
      tag: 'integrations',
      summary: 'Create a Nango connect session for Notion',
      access: 'admin',
      response: ConnectSessionResponse,
    },
    async (c, { actor }) => c.json(await startConnect(s, actor)),
  );

  api.route(
    {
      method: 'post',
      path: '/api/integrations/notion/confirm',
      tag: 'integrations',
      summary: 'Adopt the completed connection if its webhook was lost',
      access: 'admin',
      response: IntegrationsResponse,
    },
    async (c, { actor }) => {
      await confirmConnect(s, hooks, actor);
      return c.json(await statusBody(actor.tenantId));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/integrations/notion/reconnect',
      tag: 'integrations',
      summary: 'Create a reconnect session for the existing connection',
      access: 'admin',
      response: ConnectSessionResponse,
    },
    async (c, { actor }) => c.json(await startReconnect(s, actor)),
  );

  api.route(
    {
      method: 'delete',
      path: '/api/integrations/notion',
      tag: 'integrations',
      summary: 'Disconnect Notion (imported documents are kept)',
      access: 'admin',
      response: z.object({ disconnected: z.boolean() }),
    },
    async (c, { actor }) => c.json(await disconnectNotion(s, hooks, actor, clientIp(c))),
  );

  api.route(
    {
      method: 'post',
      path: '/api/integrations/notion/sync',
      tag: 'sync',
      summary: 'Sync linked documents now',
      access: 'content_manager',
      body: StartSyncBody,
      status: 202,
      response: z.object({ syncRunId: z.uuid(), alreadyRunning: z.boolean() }),
    },
    async (c, { actor, body }) =>
      c.json(
        await startSync(s, {
          tenantId: actor.tenantId,
          trigger: 'manual',
          reconcile: body.reconcile ?? false,
          actor: auditActor(actor),
        }),
        202,
      ),
  );

  api.route(
    {
      method: 'get',
      path: '/api/integrations/notion/sync-runs',
      tag: 'sync',
      summary: 'Sync history, newest first',
      access: 'viewer',
      query: z.strictObject({
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
      response: SyncRunsResponse,
    },
    async (c, { actor, query }) =>
      c.json({
        items: await withTenant(s.db, actor.tenantId, (trx) => listRuns(trx, query.limit)),
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/webhooks/nango',
      tag: 'integrations',
      summary: 'Nango webhook (signed with X-Nango-Hmac-Sha256)',
      access: 'public',
      rawBody: {
        contentType: 'application/json',
        description: 'Nango webhook body, verified over its raw bytes',
      },
      maxBodyBytes: BODY_LIMITS.webhook,
      response: z.object({ handled: z.string() }),
    },
    async (c) => c.json(await handleNangoWebhook(s, hooks, await readWebhookBody(c), c.req.raw.headers)),
  );

  api.route(
    {
      method: 'get',
      path: '/api/sandbox',
      tag: 'sandbox',
      summary: 'Where the sandbox fakes listen (sandbox mode only)',
      access: 'public',
      response: z.object({ nangoHost: z.string(), notionBaseUrl: z.string() }),
    },
    (c) => {
      if (!s.sandbox)
        throw new AppError({
          code: 'not_found',
          message: 'Sandbox mode is off.',
        });
      return c.json({
        nangoHost: s.sandbox.nangoHost,
        notionBaseUrl: s.sandbox.notionBaseUrl,
      });
    },
  );
}
