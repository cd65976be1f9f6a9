/** @jsxImportSource hono/jsx */
import { readSiteOverview } from '../../trust-center/public-access.ts';
import { OverviewPage } from '../pages/overview.tsx';
import type { SiteApp, SiteKit } from '../site-kit.ts';

/** One-off notices the overview shows after a redirect (`?notice=`). */
const NOTICES: Record<string, string> = {
  'signed-in': 'You are signed in. The documents shared with you are listed below.',
  'signed-out': 'You are signed out.',
  'link-sent':
    'If this email address has access to documents here, a new sign-in link is on its way. It works once and expires in a week.',
};

/** The front page: every listed document with what the viewer may do with it. */
export function mountOverview(site: SiteApp, kit: SiteKit): void {
  site.get(kit.prefix || '/', async (c) => {
    if (kit.isAnonymous(c)) {
      const cached = await kit.anonymousPage(c, 'overview', async (visitor) => {
        const { items } = await readSiteOverview(visitor);
        return { node: <OverviewPage ctx={kit.page(c)} items={items} />, viewed: null };
      });
      if (cached) return kit.sendCached(c, cached);
    }
    const { items } = await readSiteOverview(await kit.visitor(c));
    return kit.render(
      c,
      <OverviewPage ctx={kit.page(c)} items={items} notice={NOTICES[c.req.query('notice') ?? '']} />,
    );
  });
}
