import { stream } from 'hono/streaming';
import { sendFile } from '../../documents/document-files.ts';
import { downloadSiteDocument } from '../../trust-center/public-access.ts';
import type { SiteApp, SiteKit } from '../site-kit.ts';

/** A document's file; a visitor who may not open it is sent to its page (which says why). */
export function mountDownload(site: SiteApp, kit: SiteKit): void {
  site.get(`${kit.prefix}/documents/:id/file`, async (c) => {
    const visitor = await kit.visitor(c);
    const { doc, gate, file } = await downloadSiteDocument(visitor, { id: c.req.param('id') });
    if (gate !== 'open' || !file) return c.redirect(`${kit.basePath(visitor.site.slug)}/documents/${doc.id}`, 303);
    c.header('Cache-Control', 'private, no-store');
    return sendFile(c, doc, file, stream);
  });
}
