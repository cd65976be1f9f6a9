import { randomUUID } from 'node:crypto';
import type { FakeConnection, FakeNangoStore, FakeSession } from './store.ts';
import type { AuthWebhookBody, WebhookDelivery, WebhookEmitter } from './webhook-emitter.ts';

const ENVIRONMENT_NAME = 'dev';

export interface FakeEnvironment {
  store: FakeNangoStore;
  webhooks: WebhookEmitter;
  integrationId: string;
}

export interface CompleteAuthOptions {
  workspaceId?: string | undefined;
  accessToken?: string | undefined;
  /** Simulates a failed token exchange: no connection, an `auth` webhook with `success:false`. */
  fail?: { type: string; description: string } | undefined;
  suppressWebhook?: boolean | undefined;
}

export type CompleteAuthResult =
  | {
      ok: true;
      connectionId: string;
      operation: 'creation' | 'override';
      success: boolean;
      webhook: Promise<WebhookDelivery> | null;
    }
  | { ok: false; errorType: string; message: string };

/** What Nango does once the end user finishes the provider consent for a connect session. */
export function completeAuth(
  env: FakeEnvironment,
  session: FakeSession,
  opts: CompleteAuthOptions = {},
): CompleteAuthResult {
  const key = env.integrationId;
  if (session.allowedIntegrations && !session.allowedIntegrations.includes(key)) {
    return {
      ok: false,
      errorType: 'integration_not_allowed',
      message: `Integration ${key} is not allowed by this session`,
    };
  }
  let target: FakeConnection | undefined;
  if (session.reconnectConnectionId !== null) {
    target = env.store.liveConnection(session.reconnectConnectionId, key);
    if (!target)
      return {
        ok: false,
        errorType: 'unknown_connection',
        message: 'The connection to re-authorise no longer exists',
      };
  }
  const operation = target ? 'override' : 'creation';

  if (opts.fail) {
    const connectionId = target?.connectionId ?? randomUUID();
    const body = authWebhookBody(env, session, {
      operation,
      success: false,
      connectionId,
      tags: target?.tags ?? session.tags,
      error: opts.fail,
    });
    const webhook = opts.suppressWebhook ? null : env.webhooks.send(body, session.webhookUrlOverride);
    return { ok: true, connectionId, operation, success: false, webhook };
  }

  const conn = target
    ? env.store.overrideConnection(target, session, {
        accessToken: opts.accessToken,
      })
    : env.store.createConnection(session, key, {
        workspaceId: opts.workspaceId,
        accessToken: opts.accessToken,
      });
  const body = authWebhookBody(env, session, {
    operation,
    success: true,
    connectionId: conn.connectionId,
    tags: conn.tags,
  });
  const webhook = opts.suppressWebhook ? null : env.webhooks.send(body, conn.webhookUrlOverride);
  return {
    ok: true,
    connectionId: conn.connectionId,
    operation,
    success: true,
    webhook,
  };
}

/** Emits the `refresh` failure webhook Nango sends when a token can no longer be refreshed. */
export function emitRefreshFailure(env: FakeEnvironment, conn: FakeConnection): Promise<WebhookDelivery> {
  const session = { endUser: conn.endUser, organization: conn.organization };
  const body = authWebhookBody(env, session, {
    operation: 'refresh',
    success: false,
    connectionId: conn.connectionId,
    tags: conn.tags,
    error: {
      type: 'refresh_token_external_error',
      description: 'The external API returned an error when trying to refresh the access token.',
    },
  });
  return env.webhooks.send(body, conn.webhookUrlOverride);
}

type AuthEvent = Pick<AuthWebhookBody, 'operation' | 'success' | 'connectionId' | 'error'> & {
  tags: Record<string, string>;
};

function authWebhookBody(
  env: FakeEnvironment,
  who: Pick<FakeSession, 'endUser' | 'organization'>,
  event: AuthEvent,
): AuthWebhookBody {
  return {
    from: 'nango',
    type: 'auth',
    operation: event.operation,
    success: event.success,
    connectionId: event.connectionId,
    providerConfigKey: env.integrationId,
    provider: 'notion',
    authMode: 'OAUTH2',
    environment: ENVIRONMENT_NAME,
    tags: event.tags,
    endUser: who.endUser
      ? {
          endUserId: who.endUser.id,
          endUserEmail: who.endUser.email ?? null,
          organizationId: who.organization?.id,
          tags: who.endUser.tags ?? {},
        }
      : undefined,
    error: event.error,
  };
}
