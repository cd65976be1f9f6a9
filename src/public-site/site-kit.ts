import { randomUUID } from 'node:crypto';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppServices } from '../platform/app-services.ts';
import type { DocumentRow } from '../platform/db/schema.ts';
import { renderPublicDocumentHtml } from '../documents/render-markdown.ts';
import { AppError, appError } from '../platform/errors.ts';
import { clientIp } from '../platform/http/client-ip.ts';
import { readBoundedText } from '../platform/http/body-limits.ts';
import { stripControlChars } from '../platform/http/input-hygiene.ts';
import { CONTACT_COOKIE, VISITOR_PASS_COOKIE, VISITOR_PASS_TTL_MS } from '../trust-center/contact-access.ts';
import type { Visit, VisitorContext } from '../trust-center/public-access.ts';
import type { PublicDocument } from '../trust-center/listed-documents.repo.ts';
import { logoFileName } from '../trust-center/trust-profile.service.ts';
import { NO_BRAND, type PageBrand, type PageContext } from './pages/layout.tsx';
import { brandCss, siteCsp } from './pages/styles.ts';
import { etagMatches, type CachedPage, type PageCache } from './page-cache.ts';
import { requestHost } from './request-host.ts';
import type { SiteDirectory } from './site-directory.ts';
import type { SiteTenant } from './site-versions.repo.ts';

export interface SiteEnv {
  Variables: {
    page: PageContext | undefined;
    site: SiteTenant | undefined;
    /** Set by the main app's middleware; a custom domain's requests reach the site without it. */
    requestId: string | undefined;
  };
}
export type SiteContext = Context<SiteEnv>;
export type SiteApp = Hono<SiteEnv>;

export const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

/**
 * What goes with a cached page: the document a view of it records (null for the overview), and its CSP,
 * which allows the tenant's brand stylesheet by hash (a hit does not read the profile again).
 */
export interface CachedMeta {
  viewed: PublicDocument | null;
  csp: string;
}

/** What both forms of the site share: one page cache (one memory budget), one directory, one rate limit. */
export interface SiteShared {
  cache: PageCache<CachedMeta>;
  sites: SiteDirectory;
  listening: Promise<void>;
  documentsRateLimit: MiddlewareHandler;
  /** The custom-domain tenant the app-level middleware already found for this request. */
  byRequest: WeakMap<Request, SiteTenant>;
}

/** A full page as sent: the site's doctype and markup. */
const pageHtml = async (node: JSX.Element) => `<!doctype html>${String(await node)}`;

/** The site's CSP for a page of this brand: its stylesheet and, when it has one, the brand's are allowed. */
const pageCsp = (brand: PageBrand) => siteCsp(brandCss(brand.color));

/**
 * Form fields as strings (the first of repeated fields), read within the form cap. Control characters are
 * dropped: in a name, company or reason they are never meant, and a NUL could not be stored anyway.
 */
export async function readForm(c: SiteContext): Promise<Record<string, string>> {
  return (await readFormWithLists(c)).fields;
}

/** A form's fields (as readForm reads them) and every value of each repeated field (ticked checkboxes). */
export async function readFormWithLists(c: SiteContext) {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw appError('unsupported_media_type', 'Please send the form from its page.');
  }
  const params = new URLSearchParams(await readBoundedText(c));
  const fields: Record<string, string> = {};
  for (const [key, value] of params) fields[key] ??= stripControlChars(value);
  return { fields, all: (key: string) => params.getAll(key).map(stripControlChars) };
}

/** The browser's visitor pass (see contact-access.ts), if it holds one. */
export const visitorPass = (c: SiteContext) => getCookie(c, VISITOR_PASS_COOKIE);

/** Keep the visitor pass in the browser, on the site's home path like the contact cookie. */
export function keepVisitorPass(c: SiteContext, kit: SiteKit, slug: string, token: string | null): void {
  if (!token) return;
  setCookie(c, VISITOR_PASS_COOKIE, token, {
    path: kit.homePath(slug),
    httpOnly: true,
    sameSite: 'Lax',
    secure: kit.s.config.cookieSecure,
    expires: new Date(Date.now() + VISITOR_PASS_TTL_MS),
  });
}

/** What every page handler of one form of the site ('slug' or 'host') works with. */
export interface SiteKit {
  s: AppServices;
  mode: 'slug' | 'host';
  /** Route prefix: `/:slug`, or empty on a custom domain. */
  prefix: string;
  /** The path prefix of links on the pages (empty on a custom domain). */
  basePath(slug: string): string;
  /** The trust center's front page, and the path its contact cookie is scoped to. */
  homePath(slug: string): string;
  /** Render a full page with the site's CSP; pages can be personal, so nothing is cached. */
  render(c: SiteContext, node: JSX.Element, status?: ContentfulStatusCode): Promise<Response>;
  /**
   * The domain context of this request: the tenant behind the address (404 when there is none), the
   * contact cookie and the client. Once the domain function has read the visit, the page context is set.
   */
  visitor(c: SiteContext): Promise<VisitorContext>;
  /** The page context the domain function's visit set (or the error path's fallback). */
  page(c: SiteContext): PageContext;
  /**
   * A request that may be answered from the anonymous cache: no contact cookie at all (a contact's pages
   * are personal; a stale cookie just takes the per-viewer path) and no one-off notice in the URL.
   */
  isAnonymous(c: SiteContext): boolean;
  /**
   * Look the page up in the anonymous cache of the tenant's current version, rendering it on a miss with an
   * anonymous visitor. Null when the page is not the same for every anonymous visitor: the caller takes the
   * per-viewer path.
   */
  anonymousPage(
    c: SiteContext,
    key: string,
    renderPage: (visitor: VisitorContext) => Promise<{ node: JSX.Element; viewed: PublicDocument | null } | null>,
  ): Promise<CachedPage<CachedMeta> | null>;
  /** Send a cached page with its validator; a matching If-None-Match gets an empty 304. */
  sendCached(c: SiteContext, cached: CachedPage<CachedMeta>): Response;
  /** The public HTML of an opened Markdown document (null for a file). */
  documentHtml(doc: DocumentRow, base: string): string | null;
}

/** The page kit of one form of the site. */
export function createSiteKit(s: AppServices, mode: 'slug' | 'host', shared: SiteShared): SiteKit {
  const { cache, sites } = shared;
  const basePath = (slug: string) => (mode === 'slug' ? `/t/${slug}` : '');
  // Shared caches (CDN, reverse proxy) may keep a page PUBLIC_CACHE_MAX_AGE seconds; browsers always
  // revalidate, and with the default 0 so does every cache (a 304 costs one indexed query here).
  const sharedCacheControl =
    s.config.PUBLIC_CACHE_MAX_AGE > 0
      ? `public, max-age=0, s-maxage=${s.config.PUBLIC_CACHE_MAX_AGE}`
      : 'public, no-cache';

  /** The tenant behind the address (slug or Host) and its content version, looked up once per request. */
  async function resolveSite(c: SiteContext): Promise<SiteTenant> {
    const known = c.get('site') ?? shared.byRequest.get(c.req.raw);
    if (known) {
      c.set('site', known);
      return known;
    }
    await shared.listening;
    let tenant: SiteTenant | undefined;
    if (mode === 'slug') {
      const slug = c.req.param('slug') ?? '';
      tenant = SLUG.test(slug) ? await sites.bySlug(slug) : undefined;
    } else {
      const host = requestHost(c.req.header('host'));
      tenant = host ? await sites.byDomain(host) : undefined;
    }
    if (!tenant)
      throw new AppError({
        code: 'tenant_not_found',
        message: 'There is no trust center at this address.',
      });
    c.set('site', tenant);
    return tenant;
  }

  /**
   * How the tenant's pages present a visit: named and branded as its published profile says (an unpublished
   * profile shows none of it), links under this form's base.
   */
  function pageContext(visit: Visit): PageContext {
    const base = basePath(visit.tenant.slug);
    const shown = visit.profile;
    const session = visit.viewer.session;
    return {
      tenant: visit.tenant,
      base,
      brand: {
        logoUrl: shown?.logo ? `${base}/logo/${logoFileName(shown.logo.key)}` : null,
        logo: shown?.logo ?? null,
        color: shown?.brandColor ?? null,
        intro: shown?.intro ?? '',
        contactEmail: shown?.contactEmail ?? '',
      },
      contact: session ? { email: session.contact.email, name: session.contact.name } : undefined,
      csrfToken: session?.csrfToken,
    };
  }

  async function visitorOf(c: SiteContext, sessionToken: string | undefined): Promise<VisitorContext> {
    const site = await resolveSite(c);
    return {
      s,
      requestId: c.get('requestId') ?? randomUUID(),
      clientIp: clientIp(c),
      site,
      sessionToken,
      userAgent: c.req.header('user-agent') ?? '',
      onVisit: (visit) => c.set('page', pageContext(visit)),
    };
  }

  return {
    s,
    mode,
    prefix: mode === 'slug' ? '/:slug' : '',
    basePath,
    homePath: (slug) => basePath(slug) || '/',

    async render(c, node, status = 200) {
      c.header('Content-Security-Policy', pageCsp(c.get('page')?.brand ?? NO_BRAND));
      c.header('Cache-Control', 'private, no-store');
      return c.html(await pageHtml(node), status);
    },

    visitor: (c) => visitorOf(c, getCookie(c, CONTACT_COOKIE)),

    page: (c) => c.get('page')!,

    isAnonymous: (c) => getCookie(c, CONTACT_COOKIE) === undefined && !c.req.query('notice'),

    async anonymousPage(c, key, renderPage) {
      const tenant = await resolveSite(c);
      // Error pages thrown before the render know the tenant at least; the visit sets the full context.
      c.set('page', {
        tenant: { slug: tenant.slug, name: tenant.name },
        base: basePath(tenant.slug),
        brand: NO_BRAND,
        contact: undefined,
        csrfToken: undefined,
      });
      // Keyed by the site's form as well: links differ between /t/<slug> and a custom domain. The profile
      // (name, brand, domain) is covered by the version: publishing it or changing the domain bumps it
      // (migration 045).
      return cache.page(tenant.id, tenant.version, `${mode}:${key}`, async () => {
        const out = await renderPage(await visitorOf(c, undefined));
        return (
          out && { html: await pageHtml(out.node), meta: { viewed: out.viewed, csp: pageCsp(c.get('page')!.brand) } }
        );
      });
    },

    sendCached(c, cached) {
      c.header('ETag', cached.etag);
      c.header('Cache-Control', sharedCacheControl);
      // Contacts carry a cookie: a shared cache must not hand them the anonymous copy.
      c.header('Vary', 'Cookie');
      if (etagMatches(c.req.header('if-none-match'), cached.etag)) return c.body(null, 304);
      c.header('Content-Security-Policy', cached.meta.csp);
      c.header('Content-Type', 'text/html; charset=UTF-8');
      return c.body(cached.body, 200);
    },

    // The /t/<slug> form is stored when the body is written (rendered here only for old rows); a custom
    // domain's links start at the root, so it renders its own.
    documentHtml(doc, base) {
      if (doc.kind !== 'markdown') return null;
      if (mode === 'slug' && doc.body_html) return doc.body_html;
      return renderPublicDocumentHtml(doc.body_markdown ?? '', { base, documentId: doc.id });
    },
  };
}
