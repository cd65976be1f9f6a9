/** @jsxImportSource hono/jsx */
import { setCookie } from 'hono/cookie';
import { z } from 'zod';
import { CONTACT_COOKIE } from '../../trust-center/contact-access.ts';
import { checkSignInLink, emailSignInLink, signInWithLink } from '../../trust-center/contact-sign-in.ts';
import { ContinuePage } from '../pages/document.tsx';
import { Icons, Layout, MessageCard, SignInLinkForm, type PageContext } from '../pages/layout.tsx';
import { readForm, type SiteApp, type SiteKit } from '../site-kit.ts';

/**
 * Signing in: a sign-in link first shows a confirmation page (mail scanners that follow links must not spend
 * it), the confirmation spends it for a session cookie, and a returning contact can ask for a fresh link.
 */
export function mountSignIn(site: SiteApp, kit: SiteKit): void {
  site.get(`${kit.prefix}/access/:token`, async (c) => {
    const usable = await checkSignInLink(await kit.visitor(c), { token: c.req.param('token') });
    if (!usable) return kit.render(c, <LinkExpired ctx={kit.page(c)} />, 410);
    return kit.render(c, <ContinuePage ctx={kit.page(c)} token={c.req.param('token')} />);
  });

  site.post(`${kit.prefix}/access/:token`, async (c) => {
    const visitor = await kit.visitor(c);
    const redeemed = await signInWithLink(visitor, { token: c.req.param('token') });
    if (!redeemed) return kit.render(c, <LinkExpired ctx={kit.page(c)} />, 410);
    const home = kit.homePath(visitor.site.slug);
    setCookie(c, CONTACT_COOKIE, redeemed.sessionToken, {
      path: home,
      httpOnly: true,
      sameSite: 'Lax',
      secure: kit.s.config.cookieSecure,
      expires: redeemed.expiresAt,
    });
    return c.redirect(`${home}?notice=signed-in`, 303);
  });

  site.post(`${kit.prefix}/sign-in`, async (c) => {
    const form = await readForm(c);
    const email = z
      .email()
      .max(320)
      .safeParse((form.email ?? '').trim());
    const visitor = await kit.visitor(c);
    await emailSignInLink(visitor, { email: email.success && !form.website ? email.data : null });
    // The same answer whatever happened, so the form reveals nothing about who is a contact.
    return c.redirect(`${kit.homePath(visitor.site.slug)}?notice=link-sent`, 303);
  });
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
