import crypto from 'node:crypto';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppServices } from '../platform/app-services.ts';
import { AppError } from '../platform/errors.ts';
import type { AppEnv } from '../platform/http/app-env.ts';
import { ApiRouter } from '../platform/http/api-router.ts';
import { authMiddleware } from '../accounts/auth-middleware.ts';
import { handleError } from '../platform/http/error-handler.ts';
import { clientIpMiddleware } from '../platform/http/client-ip.ts';
import { buildOpenApi } from '../platform/http/openapi.ts';
import { registerAuditRoutes } from '../audit/audit.routes.ts';
import { registerAuthRoutes } from '../accounts/auth.routes.ts';
import { registerDocumentRoutes } from '../documents/documents.routes.ts';
import { registerUserRoutes } from '../accounts/users.routes.ts';
import { registerIntegrationRoutes } from '../integrations/integrations.routes.ts';
import { notionConnector } from '../connectors/notion/index.ts';
import { registerSettingsRoutes } from '../accounts/settings.routes.ts';
import { serveAdminApp } from './static-web.ts';
import { registerContactRoutes } from '../trust-center/contacts.routes.ts';
import { registerPreviewRoutes } from '../documents/preview.routes.ts';
import { registerRevisionRoutes } from '../documents/revisions.routes.ts';
import { createPublicSites } from '../public-site/site.tsx';
import { registerTrustAdminRoutes } from '../trust-center/trust-admin.routes.ts';
import { registerTrustProfileRoutes } from '../trust-center/trust-profile.routes.ts';
import { registerActivityRoutes } from '../trust-center/activity.routes.ts';
import { registerHealthRoutes } from './health.routes.ts';

/** Magic-link tokens travel in the path; they are credentials and must not reach the logs. */
const loggablePath = (path: string) => path.replace(/\/access\/[^/]+/, '/access/[redacted]');

/** Build the HTTP application: middleware, every API route module, OpenAPI, health and the admin SPA. */
export function createHttpApp(services: AppServices): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { logger } = services;

  app.use('*', async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    // On the finished response's own headers: c.header() here would rebuild the response around a stream of
    // its body, and the server then sends every page (cached ones too) through the slow streaming path.
    c.res.headers.set('X-Request-Id', requestId);
    logger.info(
      {
        requestId,
        method: c.req.method,
        path: loggablePath(c.req.path),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  app.use('*', clientIpMiddleware({ trustProxy: services.config.TRUST_PROXY }));
  app.use(
    '*',
    secureHeaders({
      referrerPolicy: 'strict-origin-when-cross-origin',
      crossOriginEmbedderPolicy: false,
    }),
  );
  // A tenant's custom domain (e.g. trust.example.com behind a TLS proxy) shows its trust center at the root;
  // the admin panel and the API stay on PUBLIC_URL's host only.
  const publicSites = createPublicSites(services);
  app.use('*', publicSites.customDomains);
  app.use('/api/*', authMiddleware(services.db));

  // Request bodies are bounded per endpoint class by the router (platform/http/body-limits.ts).
  const api = new ApiRouter(app, services);
  registerHealthRoutes(api, services);
  for (const register of [
    registerAuthRoutes,
    registerUserRoutes,
    registerDocumentRoutes,
    registerAuditRoutes,
    registerSettingsRoutes,
    registerPreviewRoutes,
    registerContactRoutes,
    registerTrustAdminRoutes,
  ]) {
    register(api, services);
  }
  registerActivityRoutes(api);
  registerRevisionRoutes(api);
  registerTrustProfileRoutes(api);
  registerIntegrationRoutes(api, services, notionConnector.hooks(services));
  notionConnector.registerRoutes(api, services);
  app.get('/api/openapi.json', (c) => c.json(buildOpenApi(api, services.config.publicUrl)));
  app.all('/api/*', () => {
    throw new AppError({
      code: 'route_not_found',
      message: 'No such API endpoint.',
    });
  });

  app.route('/t', publicSites.slug);
  serveAdminApp(app, {
    frameOrigins: connectUiOrigins(services),
    serveSourceMaps: services.config.NODE_ENV === 'development',
  });
  app.onError((err, c) => handleError(err, c, logger));
  return app;
}

/**
 * Where the Integrations page frames Nango's Connect UI from: its own origin, not the API host's — the
 * sandbox's fake, a self-hosted Nango's NANGO_CONNECT_UI_URL, or Nango Cloud's connect.nango.dev.
 */
function connectUiOrigins(s: AppServices): string[] {
  if (s.sandbox) return [new URL(s.sandbox.nangoConnectUiUrl).origin];
  if (!s.nangoSettings) return [];
  return [new URL(s.nangoSettings.connectUiUrl ?? NANGO_CLOUD_CONNECT_UI).origin];
}

const NANGO_CLOUD_CONNECT_UI = 'https://connect.nango.dev';
