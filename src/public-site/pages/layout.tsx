/** @jsxImportSource hono/jsx */
import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import { formatBytes } from '../../contracts/format.ts';
import { ACCESS_LEVEL_LABELS as LEVEL_LABEL } from '../../contracts/access-levels.ts';
import type { AccessLevel } from '../../platform/db/schema.ts';
import { brandCss, SITE_CSS } from './styles.ts';

/** The published profile as pages show it (an unpublished profile shows none of it). */
export interface PageBrand {
  logoUrl: string | null;
  logo: { key: string; contentType: string } | null;
  color: string | null;
  intro: string;
  contactEmail: string;
}
export const NO_BRAND: PageBrand = { logoUrl: null, logo: null, color: null, intro: '', contactEmail: '' };

/**
 * What every page knows: the tenant (named as its profile says), the path prefix of its links (`/t/<slug>`,
 * or empty on a custom domain), its branding, and the signed-in contact with the token their forms carry.
 */
export interface PageContext {
  tenant: { slug: string; name: string };
  base: string;
  brand: PageBrand;
  contact: { email: string; name: string } | undefined;
  csrfToken: string | undefined;
}

const svg = (d: string, size = 20) => (
  <svg
    width={size}
    height={size}
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    stroke-width="1.8"
    stroke-linecap="round"
    stroke-linejoin="round"
    aria-hidden="true"
    focusable="false"
  >
    <path d={d} />
  </svg>
);
export const Icons = {
  page: (size?: number) =>
    svg('M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8zM14 3v5h5M9 13h6M9 17h6', size),
  file: (size?: number) =>
    svg('M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8zM14 3v5h5M12 11v6M9.5 14.5 12 17l2.5-2.5', size),
  lock: (size?: number) =>
    svg('M7 11V8a5 5 0 0 1 10 0v3M6 11h12a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1v-8a1 1 0 0 1 1-1z', size),
  shield: (size?: number) => svg('M12 3 5 6v5c0 4.5 3 8.5 7 10 4-1.5 7-5.5 7-10V6z M9 12l2 2 4-4', size),
  download: (size?: number) => svg('M12 4v11M7.5 10.5 12 15l4.5-4.5M5 19h14', size),
};

export const LevelBadge: FC<{ level: AccessLevel }> = ({ level }) =>
  level === 'internal' ? null : (
    <span class={`badge ${level}`}>
      {level === 'public' ? null : Icons.lock(12)}
      {LEVEL_LABEL[level]}
    </span>
  );

/** The page frame: header with the tenant and the contact's session, main content, footer. */
export const Layout: FC<PropsWithChildren<{ ctx: PageContext; title: string; description?: string }>> = ({
  ctx,
  title,
  description,
  children,
}) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="strict-origin-when-cross-origin" />
      <meta name="color-scheme" content="light dark" />
      <title>{`${title} · ${ctx.tenant.name} Trust Center`}</title>
      {description ? <meta name="description" content={description} /> : null}
      <style dangerouslySetInnerHTML={{ __html: SITE_CSS }} />
      {ctx.brand.color ? <style dangerouslySetInnerHTML={{ __html: brandCss(ctx.brand.color) ?? '' }} /> : null}
    </head>
    <body>
      <a class="skip" href="#content">
        Skip to content
      </a>
      <header class="site">
        <div class="wrap">
          <a class="brand" href={ctx.base || '/'}>
            {ctx.brand.logoUrl ? (
              <img class="logo-img" src={ctx.brand.logoUrl} alt="" height={38} />
            ) : (
              <span class="logo" aria-hidden="true">
                {ctx.tenant.name.trim().charAt(0).toUpperCase() || 'T'}
              </span>
            )}
            <span>
              <span class="brand-name">{ctx.tenant.name}</span>
              <span class="brand-sub">Trust Center</span>
            </span>
          </a>
          {ctx.contact ? (
            <div class="who">
              <span>
                Signed in as <strong>{ctx.contact.email}</strong>
              </span>
              <form method="post" action={`${ctx.base}/sign-out`}>
                <input type="hidden" name="csrf" value={ctx.csrfToken ?? ''} />
                <button class="btn ghost small" type="submit">
                  Sign out
                </button>
              </form>
            </div>
          ) : null}
        </div>
      </header>
      <main id="content" class="wrap">
        {children}
      </main>
      <footer class="site">
        <div class="wrap">
          {ctx.tenant.name} shares these documents to support your security review. Please do not redistribute
          restricted documents.
          {ctx.brand.contactEmail ? (
            <>
              {' '}
              Questions? <a href={`mailto:${ctx.brand.contactEmail}`}>{ctx.brand.contactEmail}</a>
            </>
          ) : null}
        </div>
      </footer>
    </body>
  </html>
);

/** A centered message card (not found, expired link, thank-you pages). */
export const MessageCard: FC<{
  icon?: Child;
  warn?: boolean;
  heading: string;
  children?: Child;
  action?: Child;
}> = ({ icon, warn, heading, children, action }) => (
  <div class="card locked-panel">
    {icon ? <div class={warn ? 'icon warn' : 'icon'}>{icon}</div> : null}
    <h1>{heading}</h1>
    <p>{children}</p>
    {action ? <div class="actions">{action}</div> : null}
  </div>
);

/** Short kind label: "Page", "PDF · 1.2 MB". */
export function kindLabel(doc: {
  kind: 'markdown' | 'file';
  file_content_type: string | null;
  file_name: string | null;
  file_size: string | null;
}): string {
  if (doc.kind === 'markdown') return 'Page';
  const ext =
    (doc.file_content_type === 'application/pdf' ? 'PDF' : doc.file_name?.split('.').pop()?.toUpperCase()) ?? 'File';
  return `${ext.length <= 5 ? ext : 'File'} · ${formatBytes(Number(doc.file_size ?? 0))}`;
}

// Built once: constructing a DateTimeFormat (what toLocaleDateString does on every call) dominated page renders.
const DATE_FORMAT = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

export const formatDate = (d: Date) => DATE_FORMAT.format(d);

/** "Already approved?" — a returning contact asks for a fresh single-use link. */
export const SignInLinkForm: FC<{ ctx: PageContext }> = ({ ctx }) => (
  <section class="card signin" aria-labelledby="signin-heading">
    <div>
      <h2 id="signin-heading" class="card-title">
        Already approved?
      </h2>
      <p class="muted">Enter the email address your access was granted to and we will send you a new sign-in link.</p>
    </div>
    <form method="post" action={`${ctx.base}/sign-in`} class="inline-form">
      <label class="sr-only" for="signin-email">
        Email address
      </label>
      <input
        id="signin-email"
        type="email"
        name="email"
        required
        maxlength={320}
        autocomplete="email"
        placeholder="you@company.com"
      />
      <div class="hp" aria-hidden="true">
        <input type="text" name="website" tabindex={-1} autocomplete="off" />
      </div>
      <button class="btn ghost" type="submit">
        Email me a link
      </button>
    </form>
  </section>
);
