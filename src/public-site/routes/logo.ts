import { stream } from 'hono/streaming';
import { streamFile } from '../../platform/http/send-file.ts';
import { readVisit } from '../../trust-center/public-access.ts';
import { logoFileName } from '../../trust-center/trust-profile.service.ts';
import type { SiteApp, SiteKit } from '../site-kit.ts';

/** The published logo, by its content-addressed name: immutable, so browsers and proxies may keep it. */
export function mountLogo(site: SiteApp, kit: SiteKit): void {
  site.get(`${kit.prefix}/logo/:file`, async (c) => {
    const logo = (await readVisit(await kit.visitor(c))).profile?.logo;
    if (!logo || logoFileName(logo.key) !== c.req.param('file')) return c.text('Not found', 404);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return streamFile(c, await kit.s.storage.get(logo.key), stream, {
      type: logo.contentType,
      name: logoFileName(logo.key),
      size: null,
    });
  });
}
