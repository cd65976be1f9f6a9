import type { GetConnectSession, PostConnectSessions, PostPublicConnectSessionsReconnect } from '@nangohq/types';
import { Hono } from 'hono';
import type { FakeEnvironment } from './auth-flow.ts';
import { nangoError, rejectQuery, secretKeyAuth, zodErrors } from './nango-errors.ts';
import { buildSessionTags, postReconnectBodySchema, postSessionBodySchema } from './session-schemas.ts';
import type { FakeSession } from './store.ts';

const SESSION_TOKEN_FORMAT = /^nango_connect_session_[a-f0-9]{64}$/;

/**
 * Nango's `buildConnectUiSessionLink` (utils/lib/connect-ui.ts): the Connect UI URL as a document base
 * (no query or fragment, path ending in `/`) with `session_token` set.
 */
function connectLink(connectUiUrl: string, token: string): string {
  const url = new URL(connectUiUrl);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.searchParams.set('session_token', token);
  return url.toString();
}

/** `POST /connect/sessions[/reconnect]` (API key) and `GET|DELETE /connect/session` (session token). */
export function connectSessionRoutes(env: FakeEnvironment, opts: { secretKey: string; connectUiUrl: () => string }) {
  const app = new Hono();
  const auth = secretKeyAuth(opts.secretKey);

  const created = (
    session: FakeSession,
  ): PostConnectSessions['Success'] & PostPublicConnectSessionsReconnect['Success'] => ({
    data: {
      token: session.token,
      connect_link: connectLink(opts.connectUiUrl(), session.token),
      expires_at: new Date(session.expiresAt).toISOString(),
    },
  });

  const unknownIntegrations = (keys: string[], path: string, byIndex: boolean) =>
    keys.flatMap((key, i) =>
      key === env.integrationId
        ? []
        : [
            {
              code: 'invalid_string',
              message: `Integration does not exist: ${key}`,
              path: [path, byIndex ? i : key],
            },
          ],
    );

  app.post('/connect/sessions', auth, async (c) => {
    const badQuery = rejectQuery(c);
    if (badQuery) return badQuery;
    const parsed = postSessionBodySchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success)
      return nangoError(c, 400, 'invalid_body', undefined, {
        errors: zodErrors(parsed.error),
      });
    const b = parsed.data;
    const missing = [
      ...unknownIntegrations(b.allowed_integrations ?? [], 'allowed_integrations', true),
      ...unknownIntegrations(Object.keys(b.integrations_config_defaults ?? {}), 'integrations_config_defaults', false),
      ...unknownIntegrations(Object.keys(b.overrides ?? {}), 'overrides', false),
    ];
    if (missing.length > 0) return nangoError(c, 400, 'invalid_body', undefined, { errors: missing });
    const session = env.store.createSession({
      endUser: b.end_user ?? null,
      organization: b.organization ?? null,
      allowedIntegrations: b.allowed_integrations ?? null,
      tags: buildSessionTags(b.end_user, b.organization, b.tags),
      webhookUrlOverride: b.webhook_url_override || null,
      reconnectConnectionId: null,
    });
    return c.json(created(session), 201);
  });

  app.post('/connect/sessions/reconnect', auth, async (c) => {
    const badQuery = rejectQuery(c);
    if (badQuery) return badQuery;
    const parsed = postReconnectBodySchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success)
      return nangoError(c, 400, 'invalid_body', undefined, {
        errors: zodErrors(parsed.error),
      });
    const b = parsed.data;
    const conn =
      b.integration_id === env.integrationId ? env.store.liveConnection(b.connection_id, b.integration_id) : undefined;
    if (!conn) return nangoError(c, 400, 'invalid_body', 'ConnectionID or IntegrationId does not exists');
    const endUser = b.end_user ?? conn.endUser;
    const organization = b.organization ?? conn.organization;
    const session = env.store.createSession({
      endUser,
      organization,
      allowedIntegrations: [b.integration_id],
      tags: b.end_user || b.organization || b.tags ? buildSessionTags(b.end_user, b.organization, b.tags) : conn.tags,
      webhookUrlOverride: b.webhook_url_override || conn.webhookUrlOverride,
      reconnectConnectionId: conn.connectionId,
    });
    return c.json(created(session), 201);
  });

  const sessionFromHeader = (header: string | undefined) => {
    const token = (header ?? '').replace(/^Bearer\s+/i, '').trim();
    if (!SESSION_TOKEN_FORMAT.test(token)) return 'invalid_connect_session_token_format' as const;
    return env.store.liveSession(token) ?? ('unknown_connect_session_token' as const);
  };

  app.get('/connect/session', (c) => {
    const session = sessionFromHeader(c.req.header('authorization'));
    if (typeof session === 'string') return nangoError(c, 401, session);
    const body: GetConnectSession['Success'] = {
      data: {
        endUser: session.endUser
          ? {
              id: session.endUser.id,
              display_name: session.endUser.display_name ?? null,
              email: session.endUser.email ?? null,
              tags: session.endUser.tags ?? null,
              organization: session.organization
                ? {
                    id: session.organization.id,
                    display_name: session.organization.display_name ?? null,
                  }
                : null,
            }
          : null,
        // Nango's defaults (shared connect-ui-settings.service.ts) for an environment that never changed them.
        connectUISettings: {
          showWatermark: true,
          defaultTheme: 'system',
          theme: { light: { primary: '#00B2E3' }, dark: { primary: '#00B2E3' } },
        },
        ...(session.allowedIntegrations ? { allowed_integrations: session.allowedIntegrations } : {}),
        ...(session.reconnectConnectionId ? { isReconnecting: true } : {}),
      },
    };
    return c.json(body);
  });

  app.delete('/connect/session', (c) => {
    const session = sessionFromHeader(c.req.header('authorization'));
    if (typeof session === 'string') return nangoError(c, 401, session);
    env.store.sessions.delete(session.token);
    return c.body(null, 204);
  });

  return app;
}
