/** @jsxImportSource hono/jsx */
import { renderMarkdownSafe } from '../../documents/render-markdown.ts';
import { acceptNdaFromSite } from '../../trust-center/nda.service.ts';
import { NdaPage } from '../pages/document.tsx';
import { readForm, type SiteApp, type SiteKit } from '../site-kit.ts';

/** A signed-in contact accepts the NDA on the way to the document named in `next`. */
export function mountNda(site: SiteApp, kit: SiteKit): void {
  site.post(`${kit.prefix}/nda`, async (c) => {
    const form = await readForm(c);
    const visitor = await kit.visitor(c);
    const { doc, retry } = await acceptNdaFromSite(visitor, {
      documentId: form.next ?? '',
      versionId: form.version,
      agreed: form.agree === 'yes',
      csrf: form.csrf,
    });
    if (!retry) return c.redirect(`${kit.basePath(visitor.site.slug)}/documents/${doc.id}`, 303);
    const { nda, error } = retry;
    return kit.render(
      c,
      <NdaPage
        ctx={kit.page(c)}
        doc={doc}
        nda={{ id: nda.id, version: nda.version, html: renderMarkdownSafe(nda.body) }}
        error={error}
      />,
      400,
    );
  });
}
