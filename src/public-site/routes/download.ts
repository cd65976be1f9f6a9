import { stream } from 'hono/streaming';
import { streamFile } from '../../platform/http/send-file.ts';
import { downloadSiteDocument } from '../../trust-center/public-access.ts';
import type { SiteApp, SiteKit } from '../site-kit.ts';

/**
 * A document's file, shown in the browser (PDFs, images) or, with `?download`, as an attachment; a visitor
 * who may not open it is sent to its page (which says why). A contact's restricted PDF is a stamped copy.
 */
export function mountDownload(site: SiteApp, kit: SiteKit): void {
  site.get(`${kit.prefix}/documents/:id/file`, async (c) => {
    const visitor = await kit.visitor(c);
    const { doc, gate, file } = await downloadSiteDocument(visitor, {
      id: c.req.param('id'),
      disposition: c.req.query('download') === undefined ? 'inline' : 'attachment',
    });
    if (gate !== 'open' || !file) return c.redirect(`${kit.basePath(visitor.site.slug)}/documents/${doc.id}`, 303);
    c.header('Cache-Control', 'private, no-store');
    return streamFile(c, file.body, stream, file);
  });
}
