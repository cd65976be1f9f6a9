/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { stream } from 'hono/streaming';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { AppServices } from '../platform/app-services.ts';
import { findTenantById, findTenantBySlug } from '../accounts/tenants.repo.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import { PUBLIC_AUDIT_ACTIONS } from '../contracts/trust-center.ts';
import type { DocumentRow } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { openDocumentFile } from '../documents/documents.service.ts';
import { renderMarkdownSafe } from '../documents/render-markdown.ts';
import { AppError, isAppError } from '../platform/errors.ts';
import { clientIp } from '../platform/http/client-ip.ts';
import { sendAsset, sendFile } from '../documents/document-files.ts';
import { streamFile } from '../platform/http/send-file.ts';
import { clientIpMiddleware } from '../platform/http/client-ip.ts';
import { findTenantIdByDomain, readProfile } from '../trust-center/trust-profile.repo.ts';
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
import { Icons, Layout, MessageCard, NO_BRAND, SignInLinkForm, type PageContext } from './pages/layout.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { brandCss, siteCsp } from './pages/styles.ts';
import {
  gateFor,
  getListedDocument,
  listListedDocuments,
  loadViewer,
  recordPublicAccess,
  type Viewer,
} from '../trust-center/public-access.ts';

interface SiteEnv {
  Variables: { page: PageContext | undefined };
}
type SiteContext = Context<SiteEnv>;

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
const FORM_LIMIT = 32 * 1024;
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

/** Render a full page with the site's CSP; pages can be personal, so nothing is cached. */
async function render(c: SiteContext, node: JSX.Element, status: ContentfulStatusCode = 200): Promise<Response> {
  c.header('Content-Security-Policy', siteCsp(brandCss(c.get('page')?.brand.color ?? null)));
  c.header('Cache-Control', 'private, no-store');
  return c.html(`<!doctype html>${String(await node)}`, status);
}

/** Form fields as strings (files and repeated fields are ignored). */
async function readForm(c: SiteContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
}

/**
 * Rewrite admin-API file links in document bodies to their public-site address; drop other API links and
 * links into other tenants' trust centers. Links are judged by where they lead from the document page
 * (dot segments and relative paths resolved), not by how they are spelled.
 */
function publicUrlRewriter(own: string) {
  const page = new URL(`http://site.invalid${own}/documents/page`);
  return (url: string): string | null => {
    const file = /^\/api\/documents\/([0-9a-f-]{36})\/file$/i.exec(url);
    if (file) return `${own}/documents/${file[1]}/file`;
    let target: URL;
    try {
      target = new URL(url, page);
    } catch {
      return null;
    }
    if (target.origin !== page.origin) return url;
    const path = target.pathname;
    if (path === '/api' || path.startsWith('/api/')) return null;
    const otherSite = (path === '/t' || path.startsWith('/t/')) && path !== own && !path.startsWith(`${own}/`);
    return otherSite ? null : url;
  };
}

/**
 * The public trust center — server-rendered HTML, no scripts. In `slug` mode it is mounted at /t and finds
 * the tenant by /t/:slug; in `host` mode it answers at the root of a tenant's custom domain and finds the
 * tenant by the Host header. Every request resolves the tenant, then reads inside that tenant's
 * row-level-security scope; internal documents are excluded in the queries themselves.
 */
export function createPublicSite(s: AppServices, mode: 'slug' | 'host' = 'slug'): Hono<SiteEnv> {
  const site = new Hono<SiteEnv>();
  const cookieSecure = s.config.cookieSecure;
  /** Route prefix, and the path prefix of links on the pages (empty on a custom domain). */
  const P = mode === 'slug' ? '/:slug' : '';
  const basePath = (slug: string) => (mode === 'slug' ? `/t/${slug}` : '');
  const homePath = (slug: string) => basePath(slug) || '/';
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
      return bodyLimit({
        maxSize: FORM_LIMIT,
        onError: () => {
          throw new AppError({
            code: 'payload_too_large',
            message: 'The form is too large.',
          });
        },
      })(c, next);
    }
    return next();
  });

  /** Resolve the tenant and the viewer, then run `fn` inside the tenant scope. */
  async function withSite<T>(
    c: SiteContext,
    fn: (trx: Tx, tenant: PublicTenant, viewer: Viewer) => Promise<T>,
  ): Promise<T> {
    const tenant = await resolveTenant(c);
    if (!tenant)
      throw new AppError({
        code: 'tenant_not_found',
        message: 'There is no trust center at this address.',
      });
    return withTenant(s.db, tenant.id, async (trx) => {
      const [viewer, profile] = await Promise.all([loadViewer(trx, getCookie(c, CONTACT_COOKIE)), readProfile(trx)]);
      const shown = profile.published;
      const pub: PublicTenant = {
        id: tenant.id,
        slug: tenant.slug,
        name: shown?.companyName || tenant.name,
        siteUrl: siteUrl(s.config.publicUrl, tenant.slug, profile.customDomain),
      };
      const base = basePath(tenant.slug);
      c.set('page', {
        tenant: pub,
        base,
        brand: {
          logoUrl: shown?.logo ? `${base}/logo/${logoFileName(shown.logo.key)}` : null,
          logo: shown?.logo ?? null,
          color: shown?.brandColor ?? null,
          intro: shown?.intro ?? '',
          contactEmail: shown?.contactEmail ?? '',
        },
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
  /** The tenant this request is for: by slug, or by the Host a custom domain arrives on. */
  async function resolveTenant(c: SiteContext) {
    if (mode === 'slug') {
      const slug = c.req.param('slug') ?? '';
      return SLUG.test(slug) ? findTenantBySlug(s.db, slug) : undefined;
    }
    const host = requestHost(c.req.header('host'));
    const id = host ? await findTenantIdByDomain(s.db, host) : undefined;
    return id ? findTenantById(s.db, id) : undefined;
  }
  const page = (c: SiteContext) => c.get('page')!;
  const userAgent = (c: SiteContext) => c.req.header('user-agent') ?? '';

  site.get(mode === 'slug' ? '/:slug' : '/', async (c) => {
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
    const view = await withSite(c, async (trx, tenant, viewer) => {
      const doc = await getListedDocument(trx, c.req.param('id'));
      const gate = gateFor(viewer, doc);
      if (gate === 'open') await recordPublicAccess(trx, tenant.id, viewer, doc, 'view', clientIp(c), userAgent(c));
      return { doc, gate, viewer, base: basePath(tenant.slug) };
    });
    const { doc, gate, viewer } = view;
    const ctx = page(c);
    switch (gate) {
      case 'open': {
        const html =
          doc.kind === 'markdown'
            ? renderMarkdownSafe(doc.body_markdown ?? '', {
                rewriteUrl: publicUrlRewriter(view.base),
                assetBase: `${view.base}/documents/${doc.id}/assets`,
              })
            : null;
        return render(c, <DocumentPage ctx={ctx} doc={doc} html={html} />);
      }
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
