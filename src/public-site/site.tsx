/** @jsxImportSource hono/jsx */
import { Hono, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppServices } from '../platform/app-services.ts';
import { AppError, isAppError } from '../platform/errors.ts';
import { applyBodyLimit, BODY_LIMITS } from '../platform/http/body-limits.ts';
import { clientIpMiddleware } from '../platform/http/client-ip.ts';
import { rateLimitByAddress } from '../platform/http/rate-limit.ts';
import { MessagePage } from './pages/document.tsx';
import { NO_BRAND, type PageContext } from './pages/layout.tsx';
import { PageCache } from './page-cache.ts';
import { requestHost } from './request-host.ts';
import { mountDocument } from './routes/document.tsx';
import { mountDownload } from './routes/download.ts';
import { mountLogo } from './routes/logo.ts';
import { mountNda } from './routes/nda.tsx';
import { mountOverview } from './routes/overview.tsx';
import { mountRequestAccess } from './routes/request-access.tsx';
import { mountSignIn } from './routes/sign-in.tsx';
import { mountSignOut } from './routes/sign-out.ts';
import { SiteDirectory } from './site-directory.ts';
import { createSiteKit, SLUG, type CachedMeta, type SiteApp, type SiteShared } from './site-kit.ts';

/**
 * True when a form's Origin header names this server (by its public URL or the Host it was reached at).
 * An opaque "null" origin (sandboxed frames, data: pages) is refused: our own pages never send it.
 */
function isOwnOrigin(origin: string, requestUrl: string, publicUrl: string): boolean {
  try {
    return origin === new URL(publicUrl).origin || new URL(origin).host === new URL(requestUrl).host;
  } catch {
    return false;
  }
}

/**
 * The public trust center, in its two forms: at /t/:slug under PUBLIC_URL (`slug`, mounted by the app at
 * /t) and at the root of a tenant's custom domain (`customDomains`, an app-wide middleware that answers the
 * requests arriving on such a Host and lets every other request through). The admin panel and the API stay
 * on PUBLIC_URL's host only.
 */
export function createPublicSites(s: AppServices): { slug: SiteApp; customDomains: MiddlewareHandler } {
  const sites = new SiteDirectory(s.dbHandle);
  const shared: SiteShared = {
    cache: new PageCache<CachedMeta>(s.config.PUBLIC_PAGE_CACHE_MB * 1024 * 1024),
    sites,
    // Without the subscription every request reads the version: slower, never stale.
    listening: sites.start().catch((err: unknown) => s.logger.warn({ err }, 'site version notifications are off')),
    documentsRateLimit: rateLimitByAddress({ perMinute: s.config.PUBLIC_RATE_LIMIT_PER_MINUTE }),
    byRequest: new WeakMap(),
  };
  const hostSite = createPublicSite(s, 'host', shared);
  const publicHost = new URL(s.config.publicUrl).hostname;
  const customDomains: MiddlewareHandler = async (c, next) => {
    const host = requestHost(c.req.header('host'));
    if (!host || host === publicHost || c.req.path === '/healthz' || c.req.path === '/readyz') return next();
    await shared.listening;
    const tenant = await sites.byDomain(host);
    if (!tenant) return next();
    shared.byRequest.set(c.req.raw, tenant);
    return hostSite.fetch(c.req.raw, c.env);
  };
  return { slug: createPublicSite(s, 'slug', shared), customDomains };
}

/**
 * The public trust center — server-rendered HTML, no scripts. In `slug` mode it is mounted at /t and finds
 * the tenant by /t/:slug; in `host` mode it answers at the root of a tenant's custom domain and finds the
 * tenant by the Host header. Each page lives in its own module under routes/ and calls one trust-center
 * function, which resolves the viewer and reads inside the tenant's row-level-security scope; internal
 * documents are excluded in the queries themselves.
 */
function createPublicSite(s: AppServices, mode: 'slug' | 'host', shared: SiteShared): SiteApp {
  const site: SiteApp = new Hono();
  const kit = createSiteKit(s, mode, shared);
  // The main app resolves the client address before mounting the slug site; a custom domain's requests are
  // handed straight to this app, so it resolves it itself.
  if (mode === 'host') site.use('*', clientIpMiddleware({ trustProxy: s.config.TRUST_PROXY }));

  site.use('*', async (c, next) => {
    c.set('page', undefined);
    if (c.req.method === 'POST') {
      // Forms only from our own pages: SameSite=Lax stops cross-site cookies, this stops cross-site posts.
      const origin = c.req.header('origin');
      if (origin && !isOwnOrigin(origin, c.req.url, s.config.publicUrl)) {
        throw new AppError({
          code: 'bad_origin',
          message: 'This form was sent from another site.',
        });
      }
      applyBodyLimit(c, BODY_LIMITS.form);
    }
    return next();
  });

  // Document pages, files and assets, and the request page, do database work per request; one address cannot
  // make unbounded amounts (counted together on both forms of the site).
  site.use(`${kit.prefix}/documents/*`, shared.documentsRateLimit);
  site.use(`${kit.prefix}/request`, shared.documentsRateLimit);
  // A FAQ search skips the page cache and runs a query, so it counts too; the cached overview does not.
  site.use(kit.prefix || '/', (c, next) => (c.req.query('q') ? shared.documentsRateLimit(c, next) : next()));

  for (const mount of [
    mountOverview,
    mountDocument,
    mountDownload,
    mountLogo,
    mountRequestAccess,
    mountSignIn,
    mountNda,
    mountSignOut,
  ]) {
    mount(site, kit);
  }

  site.notFound(() => {
    throw new AppError({
      code: 'not_found',
      message: 'Page not found.',
    });
  });

  site.onError((err, c) => {
    const slug = SLUG.test(c.req.param('slug') ?? '') ? c.req.param('slug')! : '';
    const ctx: PageContext = c.get('page') ?? {
      tenant: { slug, name: 'Trust Center' },
      base: slug ? kit.basePath(slug) : '',
      brand: NO_BRAND,
      contact: undefined,
      csrfToken: undefined,
    };
    const home = {
      href: ctx.base || '/',
      label: 'Back to all documents',
    };
    if (!isAppError(err) || err.status >= 500) {
      s.logger.error({ err }, 'public site error');
      return kit.render(
        c,
        <MessagePage
          ctx={ctx}
          title="Error"
          heading="Something went wrong"
          text="Please try again in a moment."
          action={home}
        />,
        500,
      );
    }
    if (err.code === 'tenant_not_found') {
      return kit.render(
        c,
        <MessagePage
          ctx={ctx}
          title="Not found"
          heading="Trust center not found"
          text="There is no trust center at this address. Please check the link you were given."
        />,
        404,
      );
    }
    if (err.status === 404) {
      return kit.render(
        c,
        <MessagePage
          ctx={ctx}
          title="Not found"
          heading="Page not found"
          text="This page does not exist or is not available."
          action={home}
        />,
        404,
      );
    }
    return kit.render(
      c,
      <MessagePage
        ctx={ctx}
        title="Request not accepted"
        heading="We could not do that"
        text={err.message}
        action={home}
      />,
      err.status as ContentfulStatusCode,
    );
  });

  return site;
}
