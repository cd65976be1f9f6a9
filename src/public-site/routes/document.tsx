/** @jsxImportSource hono/jsx */
import { stream } from 'hono/streaming';
import { sendAsset } from '../../documents/document-files.ts';
import { renderMarkdownSafe } from '../../documents/render-markdown.ts';
import { isViewOnly } from '../../trust-center/document-delivery.ts';
import {
  readSiteDocument,
  recordCachedView,
  resolveSiteLinks,
  toPublicDocument,
  viewSiteDocument,
} from '../../trust-center/public-access.ts';
import { DocumentPage, LockedPage, MessagePage, NdaPage } from '../pages/document.tsx';
import { emptyRequestForm } from './request-access.tsx';
import { visitorPass, type SiteApp, type SiteKit } from '../site-kit.ts';
import { lockedDocumentOffer } from '../../trust-center/access-requests.ts';

/**
 * The page of a view-only PDF frames the file from this site; only that page's CSP allows a frame, and only
 * from this site (every other page keeps frames blocked by `default-src 'none'`).
 */
function framingOwnFile(res: Response, viewOnly: boolean): Response {
  const csp = res.headers.get('Content-Security-Policy');
  if (viewOnly && csp) res.headers.set('Content-Security-Policy', `${csp}; frame-src 'self'`);
  return res;
}

/** A document's page (opened, locked, or behind the NDA) and the images it embeds. */
export function mountDocument(site: SiteApp, kit: SiteKit): void {
  site.get(`${kit.prefix}/documents/:id`, async (c) => {
    const id = c.req.param('id');
    if (kit.isAnonymous(c)) {
      const cached = await kit.anonymousPage(c, `document:${id}`, async (visitor) => {
        const { doc, gate, viewer } = await readSiteDocument(visitor, { id });
        if (gate !== 'open') return null;
        const ctx = kit.page(c);
        const html = await resolveSiteLinks(visitor, { html: kit.documentHtml(doc, ctx.base), base: ctx.base, viewer });
        return {
          node: <DocumentPage ctx={ctx} doc={doc} html={html} viewOnly={isViewOnly(doc)} />,
          viewed: toPublicDocument(doc),
        };
      });
      if (cached?.meta.viewed) {
        recordCachedView(await kit.visitor(c), cached.meta.viewed);
        return framingOwnFile(kit.sendCached(c, cached), isViewOnly(cached.meta.viewed));
      }
    }
    const visitor = await kit.visitor(c);
    const { doc, gate, viewer } = await viewSiteDocument(visitor, { id });
    const ctx = kit.page(c);
    switch (gate) {
      case 'open': {
        const html = await resolveSiteLinks(visitor, { html: kit.documentHtml(doc, ctx.base), base: ctx.base, viewer });
        return framingOwnFile(
          await kit.render(c, <DocumentPage ctx={ctx} doc={doc} html={html} viewOnly={isViewOnly(doc)} />),
          isViewOnly(doc),
        );
      }
      case 'nda_required': {
        const nda = viewer.nda!;
        return kit.render(
          c,
          <NdaPage
            ctx={ctx}
            doc={doc}
            nda={{ id: nda.id, version: nda.version, html: renderMarkdownSafe(nda.body) }}
          />,
          403,
        );
      }
      case 'nda_unavailable':
        return kit.render(
          c,
          <MessagePage
            ctx={ctx}
            title={doc.title}
            heading="Not available yet"
            locked
            text={`${ctx.tenant.name} has not published its non-disclosure agreement yet, so this document cannot be opened. Please check back soon.`}
            action={{ href: ctx.base || '/', label: 'Back to all documents' }}
          />,
          403,
        );
      default: {
        const offer = await lockedDocumentOffer(await kit.visitor(c), {
          documentId: doc.id,
          passToken: visitorPass(c),
        });
        return kit.render(
          c,
          <LockedPage
            ctx={ctx}
            doc={doc}
            form={emptyRequestForm(viewer, [doc.id])}
            nda={
              viewer.nda && {
                id: viewer.nda.id,
                version: viewer.nda.version,
                html: renderMarkdownSafe(viewer.nda.body),
              }
            }
            signIn={offer === 'sign_in'}
          />,
          403,
        );
      }
    }
  });

  // Images re-hosted from Notion, served only to those who may open the document that references them.
  site.get(`${kit.prefix}/documents/:id/assets/:file`, async (c) => {
    const { doc, gate } = await readSiteDocument(await kit.visitor(c), { id: c.req.param('id') });
    if (gate !== 'open') return c.text('Not found', 404);
    return sendAsset(c, kit.s.storage, doc, c.req.param('file'), stream);
  });
}
