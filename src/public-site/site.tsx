/** @jsxImportSource hono/jsx */
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { stream } from 'hono/streaming';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { AppServices } from '../platform/app-services.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import { PUBLIC_AUDIT_ACTIONS } from '../contracts/trust-center.ts';
import type { DocumentRow } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { openDocumentFile } from '../documents/documents.service.ts';
import { renderMarkdownSafe, renderPublicDocumentHtml } from '../documents/render-markdown.ts';
import { AppError, appError, isAppError } from '../platform/errors.ts';
import { clientIp, clientIpMiddleware } from '../platform/http/client-ip.ts';
import { applyBodyLimit, BODY_LIMITS, readBoundedText } from '../platform/http/body-limits.ts';
import { stripControlChars } from '../platform/http/input-hygiene.ts';
import { rateLimitByAddress } from '../platform/http/rate-limit.ts';
import { sendAsset, sendFile } from '../documents/document-files.ts';
import { streamFile } from '../platform/http/send-file.ts';
import { readProfile } from '../trust-center/trust-profile.repo.ts';
import { logoFileName, siteUrl } from '../trust-center/trust-profile.service.ts';
import { requestHost } from './request-host.ts';
import { createAccessRequest } from '../trust-center/access-requests.ts';
import {
  CONTACT_COOKIE,
  csrfMatches,
  endContactSession,
  magicLinkIsUsable,
  openMagicLink,
  requestSelfServiceLink,
  type PublicTenant,
} from '../trust-center/contact-access.ts';
import { deliverMail } from '../trust-center/mailer.ts';
import { recordAcceptance } from '../trust-center/nda.repo.ts';
import { ContinuePage, DocumentPage, LockedPage, MessagePage, NdaPage, type RequestForm } from './pages/document.tsx';
import {
  Icons,
  Layout,
  MessageCard,
  NO_BRAND,
  SignInLinkForm,
  type PageBrand,
  type PageContext,
} from './pages/layout.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { brandCss, siteCsp } from './pages/styles.ts';
import { etagMatches, PageCache, type CachedPage } from './page-cache.ts';
import type { SiteTenant } from './site-versions.repo.ts';
import { SiteDirectory } from './site-directory.ts';
import {
  gateFor,
  getListedDocument,
  listListedDocuments,
  loadViewer,
  recordPublicAccess,
  toPublicDocument,
  type PublicDocument,
  type Viewer,
} from '../trust-center/public-access.ts';

interface SiteEnv {
  Variables: { page: PageContext | undefined; site: SiteTenant | undefined };
}
type SiteContext = Context<SiteEnv>;

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
const NOTICES: Record<string, string> = {
  'signed-in': 'You are signed in. The documents shared with you are listed below.',
  'signed-out': 'You are signed out.',
  'link-sent':
    'If this email address has access to documents here, a new sign-in link is on its way. It works once and expires in a week.',
};

const RequestFormSchema = z.object({
  name: z.string().trim().min(1, 'Please enter your name.').max(200, 'Please shorten your name.'),
  email: z.email('Please enter a valid email address.').max(320),
  company: z.string().trim().max(200, 'Please shorten the company name.'),
  reason: z.string().trim().max(2000, 'Please keep the reason under 2,000 characters.'),
});

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

/** A full page as sent: the site's doctype and markup. */
const pageHtml = async (node: JSX.Element) => `<!doctype html>${String(await node)}`;

/** The site's CSP for a page of this brand: its stylesheet and, when it has one, the brand's are allowed. */
const pageCsp = (brand: PageBrand) => siteCsp(brandCss(brand.color));

/** Render a full page with the site's CSP; pages can be personal, so nothing is cached. */
async function render(c: SiteContext, node: JSX.Element, status: ContentfulStatusCode = 200): Promise<Response> {
  c.header('Content-Security-Policy', pageCsp(c.get('page')?.brand ?? NO_BRAND));
  c.header('Cache-Control', 'private, no-store');
  return c.html(await pageHtml(node), status);
}

/** The viewer without a contact session: every anonymous visitor sees the same pages. */
const ANONYMOUS: Viewer = { session: undefined, grants: new Map(), nda: undefined, ndaAccepted: false };

/**
 * What goes with a cached page: the document a view of it records (null for the overview), and its CSP,
 * which allows the tenant's brand stylesheet by hash (a hit does not read the profile again).
 */
interface CachedMeta {
  viewed: PublicDocument | null;
  csp: string;
}

/**
 * Form fields as strings (the first of repeated fields), read within the form cap. Control characters are
 * dropped: in a name, company or reason they are never meant, and a NUL could not be stored anyway.
 */
async function readForm(c: SiteContext): Promise<Record<string, string>> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw appError('unsupported_media_type', 'Please send the form from its page.');
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(await readBoundedText(c))) {
    fields[key] ??= stripControlChars(value);
  }
  return fields;
}

/** What both forms of the site share: one page cache (one memory budget), one directory, one rate limit. */
interface SiteShared {
  cache: PageCache<CachedMeta>;
  sites: SiteDirectory;
  listening: Promise<void>;
  documentsRateLimit: MiddlewareHandler;
  /** The custom-domain tenant the app-level middleware already found for this request. */
  byRequest: WeakMap<Request, SiteTenant>;
}

/**
 * The public trust center, in its two forms: at /t/:slug under PUBLIC_URL (`slug`, mounted by the app at
 * /t) and at the root of a tenant's custom domain (`customDomains`, an app-wide middleware that answers the
 * requests arriving on such a Host and lets every other request through). The admin panel and the API stay
 * on PUBLIC_URL's host only.
 */
export function createPublicSites(s: AppServices): { slug: Hono<SiteEnv>; customDomains: MiddlewareHandler } {
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
 * tenant by the Host header. Every request resolves the tenant, then reads inside that tenant's
 * row-level-security scope; internal documents are excluded in the queries themselves.
 */
function createPublicSite(s: AppServices, mode: 'slug' | 'host', shared: SiteShared): Hono<SiteEnv> {
  const site = new Hono<SiteEnv>();
  const cookieSecure = s.config.cookieSecure;
  const { cache, sites } = shared;
  /** Route prefix, and the path prefix of links on the pages (empty on a custom domain). */
  const P = mode === 'slug' ? '/:slug' : '';
  const basePath = (slug: string) => (mode === 'slug' ? `/t/${slug}` : '');
  const homePath = (slug: string) => basePath(slug) || '/';
  // Shared caches (CDN, reverse proxy) may keep a page PUBLIC_CACHE_MAX_AGE seconds; browsers always
  // revalidate, and with the default 0 so does every cache (a 304 costs one indexed query here).
  const sharedCacheControl =
    s.config.PUBLIC_CACHE_MAX_AGE > 0
      ? `public, max-age=0, s-maxage=${s.config.PUBLIC_CACHE_MAX_AGE}`
      : 'public, no-cache';
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

  // Document pages, files and assets do database work per request; one address cannot make unbounded amounts
  // (counted together on both forms of the site).
  site.use(`${P}/documents/*`, shared.documentsRateLimit);

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
   * How the tenant's pages present it: named and branded as its published profile says (an unpublished
   * profile shows none of it), links under this form's base, sign-in links on the address visitors use.
   */
  async function presentation(
    trx: Tx,
    tenant: SiteTenant,
  ): Promise<{ pub: PublicTenant; base: string; brand: PageBrand }> {
    const profile = await readProfile(trx);
    const shown = profile.published;
    const base = basePath(tenant.slug);
    return {
      pub: {
        id: tenant.id,
        slug: tenant.slug,
        name: shown?.companyName || tenant.name,
        siteUrl: siteUrl(s.config.publicUrl, tenant.slug, profile.customDomain),
      },
      base,
      brand: {
        logoUrl: shown?.logo ? `${base}/logo/${logoFileName(shown.logo.key)}` : null,
        logo: shown?.logo ?? null,
        color: shown?.brandColor ?? null,
        intro: shown?.intro ?? '',
        contactEmail: shown?.contactEmail ?? '',
      },
    };
  }

  /** Resolve the tenant and the viewer, then run `fn` inside the tenant scope. */
  async function withSite<T>(
    c: SiteContext,
    fn: (trx: Tx, tenant: PublicTenant, viewer: Viewer) => Promise<T>,
  ): Promise<T> {
    const tenant = await resolveSite(c);
    return withTenant(s.db, tenant.id, async (trx) => {
      const viewer = await loadViewer(trx, getCookie(c, CONTACT_COOKIE));
      const { pub, base, brand } = await presentation(trx, tenant);
      c.set('page', {
        tenant: pub,
        base,
        brand,
        contact: viewer.session
          ? {
              email: viewer.session.contact.email,
              name: viewer.session.contact.name,
            }
          : undefined,
        csrfToken: viewer.session?.csrfToken,
      });
      return fn(trx, pub, viewer);
    });
  }
  const page = (c: SiteContext) => c.get('page')!;
  const userAgent = (c: SiteContext) => c.req.header('user-agent') ?? '';

  /**
   * A request that may be answered from the anonymous cache: no contact cookie at all (a contact's pages
   * are personal; a stale cookie just takes the per-viewer path) and no one-off notice in the URL.
   */
  const isAnonymous = (c: SiteContext) => getCookie(c, CONTACT_COOKIE) === undefined && !c.req.query('notice');

  /**
   * Look the page up in the anonymous cache of the tenant's current version, rendering it on a miss (inside
   * the tenant scope). Keyed by the site's form as well: links differ between /t/<slug> and a custom domain.
   * The profile (name, brand, domain) is covered by the version: publishing it or changing the domain bumps
   * it (migration 045). Null when the page is not the same for every anonymous visitor: the caller takes the
   * per-viewer path.
   */
  async function anonymousPage(
    c: SiteContext,
    key: string,
    renderPage: (trx: Tx, ctx: PageContext) => Promise<{ node: JSX.Element; viewed: PublicDocument | null } | null>,
  ): Promise<CachedPage<CachedMeta> | null> {
    const tenant = await resolveSite(c);
    // Error pages thrown before the render know the tenant at least; the render sets the full context.
    c.set('page', {
      tenant: { slug: tenant.slug, name: tenant.name },
      base: basePath(tenant.slug),
      brand: NO_BRAND,
      contact: undefined,
      csrfToken: undefined,
    });
    return cache.page(tenant.id, tenant.version, `${mode}:${key}`, () =>
      withTenant(s.db, tenant.id, async (trx) => {
        const { pub, base, brand } = await presentation(trx, tenant);
        const ctx: PageContext = { tenant: pub, base, brand, contact: undefined, csrfToken: undefined };
        // Error pages (e.g. a 404 thrown by the render) show the tenant like every other page.
        c.set('page', ctx);
        const out = await renderPage(trx, ctx);
        return out && { html: await pageHtml(out.node), meta: { viewed: out.viewed, csp: pageCsp(brand) } };
      }),
    );
  }

  /** Send a cached page with its validator; a matching If-None-Match gets an empty 304. */
  function sendCached(c: SiteContext, cached: CachedPage<CachedMeta>): Response {
    c.header('ETag', cached.etag);
    c.header('Cache-Control', sharedCacheControl);
    // Contacts carry a cookie: a shared cache must not hand them the anonymous copy.
    c.header('Vary', 'Cookie');
    if (etagMatches(c.req.header('if-none-match'), cached.etag)) return c.body(null, 304);
    c.header('Content-Security-Policy', cached.meta.csp);
    c.header('Content-Type', 'text/html; charset=UTF-8');
    return c.body(cached.body, 200);
  }

  /**
   * The public HTML of an opened Markdown document. The /t/<slug> form is stored when the body is written
   * (rendered here only for old rows); a custom domain's links start at the root, so it renders its own.
   */
  const documentHtml = (doc: DocumentRow, base: string) => {
    if (doc.kind !== 'markdown') return null;
    if (mode === 'slug' && doc.body_html) return doc.body_html;
    return renderPublicDocumentHtml(doc.body_markdown ?? '', { base, documentId: doc.id });
  };

  site.get(mode === 'slug' ? '/:slug' : '/', async (c) => {
    if (isAnonymous(c)) {
      const cached = await anonymousPage(c, 'overview', async (trx, ctx) => {
        const docs = await listListedDocuments(trx);
        const items = docs.map((doc) => ({ doc, gate: gateFor(ANONYMOUS, doc) }));
        return { node: <OverviewPage ctx={ctx} items={items} />, viewed: null };
      });
      if (cached) return sendCached(c, cached);
    }
    const items = await withSite(c, async (trx, _tenant, viewer) =>
      (await listListedDocuments(trx)).map((doc) => ({
        doc,
        gate: gateFor(viewer, doc),
      })),
    );
    return render(c, <OverviewPage ctx={page(c)} items={items} notice={NOTICES[c.req.query('notice') ?? '']} />);
  });

  const emptyForm = (viewer: Viewer): RequestForm => ({
    values: {
      name: viewer.session?.contact.name ?? '',
      email: viewer.session?.contact.email ?? '',
      company: viewer.session?.contact.company ?? '',
      reason: '',
    },
    errors: {},
  });

  site.get(`${P}/documents/:id`, async (c) => {
    if (isAnonymous(c)) {
      const cached = await anonymousPage(c, `document:${c.req.param('id')}`, async (trx, ctx) => {
        const doc = await getListedDocument(trx, c.req.param('id'));
        if (gateFor(ANONYMOUS, doc) !== 'open') return null;
        const node = <DocumentPage ctx={ctx} doc={doc} html={documentHtml(doc, ctx.base)} />;
        return { node, viewed: toPublicDocument(doc) };
      });
      if (cached?.meta.viewed) {
        const viewed = cached.meta.viewed;
        const tenant = await resolveSite(c);
        await withTenant(s.db, tenant.id, (trx) =>
          recordPublicAccess(trx, tenant.id, ANONYMOUS, viewed, 'view', clientIp(c), userAgent(c)),
        );
        return sendCached(c, cached);
      }
    }
    const view = await withSite(c, async (trx, tenant, viewer) => {
      const doc = await getListedDocument(trx, c.req.param('id'));
      const gate = gateFor(viewer, doc);
      if (gate === 'open') await recordPublicAccess(trx, tenant.id, viewer, doc, 'view', clientIp(c), userAgent(c));
      return { doc, gate, viewer, base: basePath(tenant.slug) };
    });
    const { doc, gate, viewer } = view;
    const ctx = page(c);
    switch (gate) {
      case 'open':
        return render(c, <DocumentPage ctx={ctx} doc={doc} html={documentHtml(doc, view.base)} />);
      case 'nda_required': {
        const nda = viewer.nda!;
        return render(
          c,
          <NdaPage
            ctx={ctx}
            doc={doc}
            nda={{
              id: nda.id,
              version: nda.version,
              html: renderMarkdownSafe(nda.body),
            }}
          />,
          403,
        );
      }
      case 'nda_unavailable':
        return render(
          c,
          <MessagePage
            ctx={ctx}
            title={doc.title}
            heading="Not available yet"
            locked
            text={`${ctx.tenant.name} has not published its non-disclosure agreement yet, so this document cannot be opened. Please check back soon.`}
            action={{ href: view.base || '/', label: 'Back to all documents' }}
          />,
          403,
        );
      default:
        return render(
          c,
          <LockedPage ctx={ctx} doc={doc} form={emptyForm(viewer)} requested={c.req.query('requested') === '1'} />,
          403,
        );
    }
  });

  site.get(`${P}/documents/:id/file`, async (c) => {
    const { doc, gate, slug } = await withSite(c, async (trx, tenant, viewer) => {
      const row = await getListedDocument(trx, c.req.param('id'));
      const g = gateFor(viewer, row);
      if (g === 'open' && row.kind === 'file')
        await recordPublicAccess(trx, tenant.id, viewer, row, 'download', clientIp(c), userAgent(c));
      return { doc: row, gate: g, slug: tenant.slug };
    });
    if (gate !== 'open') return c.redirect(`${basePath(slug)}/documents/${doc.id}`, 303);
    c.header('Cache-Control', 'private, no-store');
    return sendFile(c, doc, await openDocumentFile(s, doc), stream);
  });

  // Images re-hosted from Notion, served only to those who may open the document that references them.
  site.get(`${P}/documents/:id/assets/:file`, async (c) => {
    const { doc, gate } = await withSite(c, async (trx, _tenant, viewer) => {
      const row = await getListedDocument(trx, c.req.param('id'));
      return { doc: row, gate: gateFor(viewer, row) };
    });
    if (gate !== 'open') return c.text('Not found', 404);
    return sendAsset(c, s.storage, doc, c.req.param('file'), stream);
  });

  // The published logo, by its content-addressed name: immutable, so browsers and proxies may keep it.
  site.get(`${P}/logo/:file`, async (c) => {
    const logo = await withSite(c, async () => page(c).brand.logo);
    if (!logo || logoFileName(logo.key) !== c.req.param('file')) return c.text('Not found', 404);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return streamFile(c, await s.storage.get(logo.key), stream, {
      type: logo.contentType,
      name: logoFileName(logo.key),
      size: null,
    });
  });

  site.post(`${P}/documents/:id/request`, async (c) => {
    const form = await readForm(c);
    const outcome = await withSite(
      c,
      async (
        trx,
        tenant,
        viewer,
      ): Promise<{ redirect: string } | { invalid: { doc: DocumentRow; form: RequestForm } }> => {
        const doc = await getListedDocument(trx, c.req.param('id'));
        const docPath = `${basePath(tenant.slug)}/documents/${doc.id}`;
        if (gateFor(viewer, doc) !== 'locked') return { redirect: docPath };
        const back = `${docPath}?requested=1#request`;
        // A filled honeypot is a bot: it gets the same answer as a person, and nothing is stored.
        if (form.website) return { redirect: back };
        const parsed = RequestFormSchema.safeParse(form);
        const values = {
          name: form.name ?? '',
          email: form.email ?? '',
          company: form.company ?? '',
          reason: form.reason ?? '',
        };
        if (!parsed.success) {
          const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
          return {
            invalid: { doc, form: { values, errors } satisfies RequestForm },
          };
        }
        await createAccessRequest(trx, tenant.id, {
          documentId: doc.id,
          ...parsed.data,
          ip: clientIp(c),
          userAgent: userAgent(c),
        });
        return { redirect: back };
      },
    );
    if ('redirect' in outcome) return c.redirect(outcome.redirect, 303);
    return render(
      c,
      <LockedPage ctx={page(c)} doc={outcome.invalid.doc} form={outcome.invalid.form} requested={false} />,
      400,
    );
  });

  site.get(`${P}/access/:token`, async (c) => {
    const usable = await withSite(c, (trx) => magicLinkIsUsable(trx, c.req.param('token')));
    if (!usable) return render(c, <LinkExpired ctx={page(c)} />, 410);
    return render(c, <ContinuePage ctx={page(c)} token={c.req.param('token')} />);
  });

  site.post(`${P}/access/:token`, async (c) => {
    const result = await withSite(c, async (trx, tenant) => {
      const redeemed = await openMagicLink(trx, {
        tenant,
        token: c.req.param('token'),
        ip: clientIp(c),
      });
      return { redeemed, slug: tenant.slug };
    });
    if (!result.redeemed) return render(c, <LinkExpired ctx={page(c)} />, 410);
    setCookie(c, CONTACT_COOKIE, result.redeemed.sessionToken, {
      path: homePath(result.slug),
      httpOnly: true,
      sameSite: 'Lax',
      secure: cookieSecure,
      expires: result.redeemed.expiresAt,
    });
    return c.redirect(`${homePath(result.slug)}?notice=signed-in`, 303);
  });

  site.post(`${P}/nda`, async (c) => {
    const form = await readForm(c);
    const outcome = await withSite(c, async (trx, tenant, viewer) => {
      const doc = await getListedDocument(trx, form.next ?? '');
      const back = `${basePath(tenant.slug)}/documents/${doc.id}`;
      if (!viewer.session || !viewer.nda) return { redirect: back };
      if (!csrfMatches(viewer.session, form.csrf))
        throw new AppError({
          code: 'csrf_failed',
          message: 'Your session token is missing or stale. Go back, reload the page and try again.',
        });
      const nda = viewer.nda;
      const retry = (error: string) => ({
        retry: {
          doc,
          error,
          nda: {
            id: nda.id,
            version: nda.version,
            html: renderMarkdownSafe(nda.body),
          },
        },
      });
      if (form.version !== nda.id)
        return retry('The agreement was updated while you were reading. Please review the new version.');
      if (form.agree !== 'yes') return retry('Please tick the box to accept the agreement.');
      await recordAcceptance(trx, tenant.id, {
        contactId: viewer.session.contact.id,
        ndaVersionId: nda.id,
        ip: clientIp(c),
        userAgent: userAgent(c),
      });
      await recordAudit(trx, {
        tenantId: tenant.id,
        actor: {
          type: 'contact',
          id: viewer.session.contact.id,
          label: viewer.session.contact.email,
        },
        action: PUBLIC_AUDIT_ACTIONS.ndaAccept,
        targetType: 'nda',
        targetId: nda.id,
        details: {
          version: nda.version,
          documentId: doc.id,
          userAgent: userAgent(c).slice(0, 300),
        },
        ip: clientIp(c),
      });
      return { redirect: back };
    });
    if ('redirect' in outcome) return c.redirect(outcome.redirect, 303);
    return render(
      c,
      <NdaPage ctx={page(c)} doc={outcome.retry.doc} nda={outcome.retry.nda} error={outcome.retry.error} />,
      400,
    );
  });

  site.post(`${P}/sign-in`, async (c) => {
    const form = await readForm(c);
    const email = z
      .email()
      .max(320)
      .safeParse((form.email ?? '').trim());
    const sent = await withSite(c, async (trx, tenant) => ({
      slug: tenant.slug,
      tenantId: tenant.id,
      message:
        email.success && !form.website ? await requestSelfServiceLink(trx, tenant, email.data, clientIp(c)) : null,
    }));
    // Sent in the background: waiting for SMTP would make the answer slower for contacts than for strangers.
    const { message } = sent;
    if (message) {
      deliverMail(
        s.db,
        sent.tenantId,
        message,
        { smtpUrl: s.config.SMTP_URL, from: s.config.MAIL_FROM },
        s.logger,
      ).catch((err: unknown) =>
        s.logger.error({ err, outboxId: message.id }, 'self-service sign-in link delivery failed'),
      );
    }
    return c.redirect(`${homePath(sent.slug)}?notice=link-sent`, 303);
  });

  site.post(`${P}/sign-out`, async (c) => {
    const form = await readForm(c);
    const slug = await withSite(c, async (trx, tenant, viewer) => {
      const token = getCookie(c, CONTACT_COOKIE);
      if (viewer.session && token) {
        if (!csrfMatches(viewer.session, form.csrf))
          throw new AppError({
            code: 'csrf_failed',
            message: 'Your session token is missing or stale. Go back, reload the page and try again.',
          });
        await endContactSession(trx, token);
      }
      return tenant.slug;
    });
    deleteCookie(c, CONTACT_COOKIE, {
      path: homePath(slug),
      secure: cookieSecure,
    });
    return c.redirect(`${homePath(slug)}?notice=signed-out`, 303);
  });

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
      base: slug ? basePath(slug) : '',
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
      return render(
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
      return render(
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
      return render(
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
    return render(
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

const LinkExpired = ({ ctx }: { ctx: PageContext }) => (
  <Layout ctx={ctx} title="Link expired">
    <MessageCard
      icon={Icons.lock(26)}
      warn
      heading="This link has expired or was already used"
      action={
        <a class="btn ghost" href={ctx.base || '/'}>
          Go to the trust center
        </a>
      }
    >
      Sign-in links work once and expire after a week. You can get a new one below.
    </MessageCard>
    <SignInLinkForm ctx={ctx} />
  </Layout>
);
