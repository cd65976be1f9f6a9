/** @jsxImportSource hono/jsx */
import { z } from 'zod';
import { requestAccessFromSite } from '../../trust-center/access-requests.ts';
import type { Viewer } from '../../trust-center/public-access.ts';
import { LockedPage, type RequestForm } from '../pages/document.tsx';
import { readForm, type SiteApp, type SiteKit } from '../site-kit.ts';

const RequestFormSchema = z.object({
  name: z.string().trim().min(1, 'Please enter your name.').max(200, 'Please shorten your name.'),
  email: z.email('Please enter a valid email address.').max(320),
  company: z.string().trim().max(200, 'Please shorten the company name.'),
  reason: z.string().trim().max(2000, 'Please keep the reason under 2,000 characters.'),
});

/** The request form as a locked page first shows it: a signed-in contact's details filled in. */
export function emptyRequestForm(viewer: Viewer): RequestForm {
  return {
    values: {
      name: viewer.session?.contact.name ?? '',
      email: viewer.session?.contact.email ?? '',
      company: viewer.session?.contact.company ?? '',
      reason: '',
    },
    errors: {},
  };
}

/** A visitor asks for a locked document from its page. */
export function mountRequestAccess(site: SiteApp, kit: SiteKit): void {
  site.post(`${kit.prefix}/documents/:id/request`, async (c) => {
    const form = await readForm(c);
    const parsed = RequestFormSchema.safeParse(form);
    const visitor = await kit.visitor(c);
    const { doc, outcome } = await requestAccessFromSite(visitor, {
      documentId: c.req.param('id'),
      // A filled honeypot is a bot: it gets the same answer as a person, and nothing is stored.
      bot: Boolean(form.website),
      details: parsed.success ? parsed.data : null,
    });
    const docPath = `${kit.basePath(visitor.site.slug)}/documents/${doc.id}`;
    if (outcome === 'not_locked') return c.redirect(docPath, 303);
    if (outcome === 'received') return c.redirect(`${docPath}?requested=1#request`, 303);
    const values = {
      name: form.name ?? '',
      email: form.email ?? '',
      company: form.company ?? '',
      reason: form.reason ?? '',
    };
    const errors = parsed.success
      ? {}
      : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
    return kit.render(c, <LockedPage ctx={kit.page(c)} doc={doc} form={{ values, errors }} requested={false} />, 400);
  });
}
