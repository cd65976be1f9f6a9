import { z } from 'zod';
import type { AppServices } from '../platform/app-services.ts';
import { ConnectSessionResponse, IntegrationsResponse } from '../contracts/integrations.ts';
import { AppError } from '../platform/errors.ts';
import type { ConnectorHooks } from './connector-hooks.ts';
import { confirmConnect, startConnect, startReconnect } from './connect.ts';
import { disconnectNotion } from './disconnect.ts';
import { integrationStatuses } from './status.ts';
import { handleNangoWebhook } from './webhook.ts';
import { readWebhookBody } from './webhook-intake.ts';
import { BODY_LIMITS } from '../platform/http/body-limits.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';

/** Connecting and disconnecting Notion; the Nango webhook; sandbox discovery. `hooks` come from the connector. */
export function registerIntegrationRoutes(api: ApiRouter, s: AppServices, hooks: ConnectorHooks): void {
  api.route(
    {
      method: 'get',
      path: '/api/integrations',
      tag: 'integrations',
      summary: 'Connection status per provider',
      access: 'viewer',
      response: IntegrationsResponse,
    },
    async (c, { ctx }) => c.json(await integrationStatuses(ctx)),
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
    async (c, { ctx }) => c.json(await startConnect(ctx)),
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
    async (c, { ctx }) => c.json(await confirmConnect(ctx, hooks)),
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
    async (c, { ctx }) => c.json(await startReconnect(ctx)),
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
    async (c, { ctx }) => c.json(await disconnectNotion(ctx, hooks)),
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
