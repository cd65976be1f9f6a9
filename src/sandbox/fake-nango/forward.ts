import type { NangoForwardWebhookBody } from '@nangohq/types';
import type { FakeEnvironment } from './auth-flow.ts';
import type { WebhookDelivery } from './webhook-emitter.ts';

/** A provider webhook event as Nango receives it; Notion names its workspace in every event. */
export type ProviderEvent = { workspace_id: string } & Record<string, unknown>;

// Nango forwards the provider's request headers minus these prefixes (webhooks/lib/utils.ts NON_FORWARDABLE_HEADERS).
const NON_FORWARDABLE = [
  'host',
  'authorization',
  'connection',
  'keep-alive',
  'content-length',
  'content-type',
  'content-encoding',
  'cookie',
  'set-cookie',
  'referer',
  'user-agent',
  'sec-',
  'proxy-',
  'www-authenticate',
  'server',
];

function forwardableHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([k]) => !NON_FORWARDABLE.some((deny) => k.toLowerCase().startsWith(deny))),
  );
}

/**
 * What Nango does with a Notion webhook (`notionWebhookRouting`, then webhooks/lib/forward.ts): match
 * connections whose `connection_config.workspace_id` is the event's `workspace_id` and send each one
 * `{from:'notion', type:'forward', connectionId, providerConfigKey, payload}` to its webhook URL; with no
 * match, the raw event goes out unwrapped to the environment URL. Nothing is sent unless the
 * integration's "forward webhooks" switch is on.
 */
export function forwardProviderEvent(
  env: FakeEnvironment,
  payload: ProviderEvent,
  incomingHeaders: Record<string, string> = {},
): Promise<WebhookDelivery>[] {
  if (!env.webhooks.settings.forwardWebhooks) return [];
  const headers = forwardableHeaders(incomingHeaders);
  const matches = env.store
    .liveConnections()
    .filter((conn) => conn.providerConfigKey === env.integrationId)
    .filter((conn) => conn.connectionConfig.workspace_id === payload.workspace_id);
  if (matches.length === 0) return [env.webhooks.send({ unrouted: true, payload }, null, headers)];
  return matches.map((conn) => {
    const body: NangoForwardWebhookBody = {
      from: 'notion',
      providerConfigKey: env.integrationId,
      type: 'forward',
      payload,
      connectionId: conn.connectionId,
    };
    return env.webhooks.send(body, conn.webhookUrlOverride, headers);
  });
}
