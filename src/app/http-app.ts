import crypto from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { sql } from 'kysely';
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
import { createPublicSite } from '../public-site/site.tsx';
import { requestHost } from '../public-site/request-host.ts';
import { findTenantIdByDomain } from '../trust-center/trust-profile.repo.ts';
import { registerTrustAdminRoutes } from '../trust-center/trust-admin.routes.ts';
import { registerTrustProfileRoutes } from '../trust-center/trust-profile.routes.ts';
import { registerActivityRoutes } from '../trust-center/activity.routes.ts';

const JSON_BODY_LIMIT = 5 * 1024 * 1024;

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
    c.header('X-Request-Id', requestId);
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
  const hostSite = createPublicSite(services, 'host');
  app.use('*', async (c, next) => {
    const host = requestHost(c.req.header('host'));
    if (!host || host === new URL(services.config.publicUrl).hostname || c.req.path === '/healthz') return next();
    if (!(await findTenantIdByDomain(services.db, host))) return next();
    return hostSite.fetch(c.req.raw, c.env);
  });
  app.use('/api/*', async (c, next) => {
    if ((c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) return next();
    return bodyLimit({
      maxSize: JSON_BODY_LIMIT,
      onError: () => {
        throw new AppError({
          code: 'payload_too_large',
          message: 'The request body is too large.',
        });
      },
    })(c, next);
  });
  app.use('/api/*', authMiddleware(services.db));

  app.get('/healthz', async (c) => {
    await sql`select 1`.execute(services.db);
    return c.json({ status: 'ok' });
  });

  const api = new ApiRouter(app, services);
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

  app.route('/t', createPublicSite(services));
  serveAdminApp(app);
  app.onError((err, c) => handleError(err, c, logger));
  return app;
}
