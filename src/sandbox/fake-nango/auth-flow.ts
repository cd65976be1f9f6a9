import { randomUUID } from 'node:crypto';
import type { NangoAuthWebhookBody, NangoAuthWebhookBodyBase } from '@nangohq/types';
import type { FakeConnection, FakeNangoStore, FakeSession } from './store.ts';
import type { WebhookDelivery, WebhookEmitter, WebhookSettings } from './webhook-emitter.ts';

const ENVIRONMENT_NAME = 'dev';

export interface FakeEnvironment {
  store: FakeNangoStore;
  webhooks: WebhookEmitter;
  integrationId: string;
  /** Workspace of new connections unless a test names one (the fake Notion's, in sandbox mode). */
  defaultWorkspaceId: () => string | undefined;
}

export interface AuthError {
  type: string;
  description: string;
}

export interface CompleteAuthOptions {
  workspaceId?: string | undefined;
  accessToken?: string | undefined;
  /** Simulates a failed authorisation: no connection, an `auth` webhook with `success:false`. */
  fail?: AuthError | undefined;
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

/** What Nango records when the user denies access on Notion's consent screen (callback without a code). */
export const CONSENT_DENIED: AuthError = {
  type: 'invalid_callback',
  description: 'Did not get authorization code in the callback. Provider error: error: access_denied',
};

/** Which toggle gates which auth webhook (Nango webhooks/lib/utils.ts `shouldSend`). */
function shouldSend(settings: WebhookSettings, operation: NangoAuthWebhookBody['operation']): boolean {
  switch (operation) {
    case 'creation':
      return settings.onAuthCreation;
    case 'refresh':
      return settings.onAuthRefreshError;
    case 'deletion':
      return settings.onConnectionDeletion;
    default:
      return true;
  }
}

/** What Nango does once the end user finishes (or fails) the provider consent for a connect session. */
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
    // Nango's `connectionCreationFailed` hook only knows the attempted connection id and the integration,
    // and hard-codes `operation: 'creation'` (also when re-authorising): no tags, no end user.
    const connectionId = target?.connectionId ?? randomUUID();
    const body = authBody(env, { operation: 'creation', connectionId }, { success: false, error: opts.fail });
    const webhook = opts.suppressWebhook ? null : send(env, body, session.webhookUrlOverride);
    return { ok: true, connectionId, operation, success: false, webhook };
  }

  const conn = target
    ? env.store.overrideConnection(target, session, { accessToken: opts.accessToken })
    : env.store.createConnection(session, key, {
        workspaceId: opts.workspaceId ?? env.defaultWorkspaceId(),
        accessToken: opts.accessToken,
      });
  // A successful (re)authorisation clears the connection's auth error (hooks.ts `connectionCreated`).
  conn.authErrorLogId = null;
  const endUser = session.endUser
    ? {
        endUserId: session.endUser.id,
        endUserEmail: session.endUser.email ?? null,
        organizationId: session.organization?.id,
        tags: session.endUser.tags ?? {},
      }
    : undefined;
  const body = authBody(
    env,
    { operation, connectionId: conn.connectionId, tags: conn.tags, endUser },
    { success: true },
  );
  const webhook = opts.suppressWebhook ? null : send(env, body, conn.webhookUrlOverride);
  return { ok: true, connectionId: conn.connectionId, operation, success: true, webhook };
}

/**
 * The `refresh` failure webhook Nango sends when a token can no longer be refreshed. The hook passes the
 * connection (so its tags) but no end user (hooks.ts `connectionRefreshFailed`); the connection then
 * lists an active `auth` error.
 */
export function emitRefreshFailure(env: FakeEnvironment, conn: FakeConnection): Promise<WebhookDelivery> | null {
  conn.authErrorLogId = randomUUID();
  const body = authBody(
    env,
    { operation: 'refresh', connectionId: conn.connectionId, tags: conn.tags },
    {
      success: false,
      error: {
        type: 'refresh_token_external_error',
        description: 'The external API returned an error when trying to refresh the access token.',
      },
    },
  );
  return send(env, body, conn.webhookUrlOverride);
}

/**
 * A refresh that succeeds after a failure clears the error and, since Nango PR #7202, sends
 * `operation:'refresh', success:true`; a refresh without an earlier failure sends nothing.
 */
export function emitRefreshRecovered(env: FakeEnvironment, conn: FakeConnection): Promise<WebhookDelivery> | null {
  if (conn.authErrorLogId === null) return null;
  conn.authErrorLogId = null;
  const body = authBody(
    env,
    { operation: 'refresh', connectionId: conn.connectionId, tags: conn.tags },
    { success: true },
  );
  return send(env, body, conn.webhookUrlOverride);
}

/** Nango PR #7235: `operation:'deletion'` after a delete through the API, when that toggle is on. */
export function emitDeletion(env: FakeEnvironment, conn: FakeConnection): Promise<WebhookDelivery> | null {
  const body = authBody(
    env,
    { operation: 'deletion', connectionId: conn.connectionId, tags: conn.tags },
    { success: true },
  );
  return send(env, body, conn.webhookUrlOverride);
}

function send(env: FakeEnvironment, body: NangoAuthWebhookBody, urlOverride: string | null) {
  return shouldSend(env.webhooks.settings, body.operation) ? env.webhooks.send(body, urlOverride) : null;
}

/** Mirrors Nango webhooks/lib/auth.ts `sendAuth`: absent tags/endUser are left out of the body. */
function authBody(
  env: FakeEnvironment,
  base: Pick<NangoAuthWebhookBodyBase, 'operation' | 'connectionId' | 'tags' | 'endUser'>,
  outcome: { success: true } | { success: false; error: AuthError },
): NangoAuthWebhookBody {
  const common: NangoAuthWebhookBodyBase = {
    from: 'nango',
    type: 'auth',
    connectionId: base.connectionId,
    providerConfigKey: env.integrationId,
    authMode: 'OAUTH2',
    provider: 'notion',
    environment: ENVIRONMENT_NAME,
    operation: base.operation,
    tags: base.tags,
    endUser: base.endUser,
  };
  return outcome.success ? { ...common, success: true } : { ...common, success: false, error: outcome.error };
}
