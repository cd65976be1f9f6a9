import { deleteCookie } from 'hono/cookie';
import { CONTACT_COOKIE } from '../../trust-center/contact-access.ts';
import { signOutContact } from '../../trust-center/contact-sign-in.ts';
import { readForm, type SiteApp, type SiteKit } from '../site-kit.ts';

/** A contact signs out: the session ends and the cookie is cleared. */
export function mountSignOut(site: SiteApp, kit: SiteKit): void {
  site.post(`${kit.prefix}/sign-out`, async (c) => {
    const form = await readForm(c);
    const visitor = await kit.visitor(c);
    await signOutContact(visitor, { csrf: form.csrf });
    const home = kit.homePath(visitor.site.slug);
    deleteCookie(c, CONTACT_COOKIE, { path: home, secure: kit.s.config.cookieSecure });
    return c.redirect(`${home}?notice=signed-out`, 303);
  });
}
