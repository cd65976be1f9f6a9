/** @jsxImportSource hono/jsx */
import { z } from 'zod';
import { renderMarkdownSafe } from '../../documents/render-markdown.ts';
import { readRequestPage, requestAccessFromSite } from '../../trust-center/access-requests.ts';
import type { ErrorCode } from '../../platform/errors.ts';
import { readVisit, type Viewer } from '../../trust-center/public-access.ts';
import { RequestPage, RequestSentPage, type NdaToSign, type RequestForm } from '../pages/request.tsx';
import {
  keepVisitorPass,
  readFormWithLists,
  visitorPass,
  type SiteApp,
  type SiteContext,
  type SiteKit,
} from '../site-kit.ts';

const RequestFormSchema = z.object({
  name: z.string().trim().min(1, 'Please enter your name.').max(200, 'Please shorten your name.'),
  email: z.email('Please enter a valid email address.').max(320),
  company: z.string().trim().max(200, 'Please shorten the company name.'),
  reason: z.string().trim().max(2000, 'Please keep the reason under 2,000 characters.'),
});
/** Where the page shows a refusal of the request: next to the field the visitor can fix. */
const ERROR_FIELD: Partial<Record<ErrorCode, keyof RequestForm['errors']>> = {
  signature_required: 'signature',
  nda_changed: 'signature',
  not_requestable: 'documents',
  too_many_documents: 'documents',
  invalid_input: 'documents',
};
/** Query and form lists are bounded before they reach the database (the domain caps a request at 25). */
const MAX_LISTED_IDS = 200;

/** The request form as a page first shows it: a signed-in contact's details filled in, `chosen` ticked. */
export function emptyRequestForm(viewer: Viewer | undefined, chosen: string[]): RequestForm {
  return {
    values: {
      name: viewer?.session?.contact.name ?? '',
      email: viewer?.session?.contact.email ?? '',
      company: viewer?.session?.contact.company ?? '',
      reason: '',
      signature: '',
    },
    chosen,
    errors: {},
  };
}

const ndaToSign = (nda: { id: string; version: number; body: string } | null): NdaToSign | undefined =>
  nda ? { id: nda.id, version: nda.version, html: renderMarkdownSafe(nda.body) } : undefined;

/**
 * One request for many documents: the request page (documents ticked from `?doc=`, e.g. from the overview's
 * checkboxes or a locked document's page) and the form both post to. No scripts: the NDA is on the form
 * whenever an NDA document can be chosen, and required when one is.
 */
export function mountRequestAccess(site: SiteApp, kit: SiteKit): void {
  /** The request page again, with what the visitor typed and what was wrong with it. */
  async function showAgain(c: SiteContext, form: RequestForm, status: 400 | 409) {
    const { documents, nda } = await readRequestPage(await kit.visitor(c));
    return kit.render(
      c,
      <RequestPage ctx={kit.page(c)} documents={documents} form={form} nda={ndaToSign(nda)} />,
      status,
    );
  }

  site.get(`${kit.prefix}/request`, async (c) => {
    const sent = c.req.query('sent');
    if (sent === 'received' || sent === 'approved') {
      await readVisit(await kit.visitor(c));
      return kit.render(c, <RequestSentPage ctx={kit.page(c)} approved={sent === 'approved'} />);
    }
    const chosen = (c.req.queries('doc') ?? []).slice(0, MAX_LISTED_IDS);
    const { documents, nda, viewer } = await readRequestPage(await kit.visitor(c));
    const form = emptyRequestForm(viewer, chosen);
    return kit.render(c, <RequestPage ctx={kit.page(c)} documents={documents} form={form} nda={ndaToSign(nda)} />);
  });

  site.post(`${kit.prefix}/request`, async (c) => {
    const { fields, all } = await readFormWithLists(c);
    const documentIds = all('doc').slice(0, MAX_LISTED_IDS);
    const values = {
      name: fields.name ?? '',
      email: fields.email ?? '',
      company: fields.company ?? '',
      reason: fields.reason ?? '',
      signature: fields.signature ?? '',
    };
    const parsed = RequestFormSchema.safeParse(fields);
    if (!parsed.success && !fields.website) {
      const errors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]));
      return showAgain(c, { values, chosen: documentIds, errors }, 400);
    }
    const visitor = await kit.visitor(c);
    const signed = fields.agree === 'yes' && values.signature.trim() !== '';
    const result = await requestAccessFromSite(visitor, {
      documentIds,
      // A filled honeypot is a bot: it gets the same answer as a person, and nothing is stored.
      bot: Boolean(fields.website),
      details: parsed.data ?? { name: '', email: '', company: '', reason: '' },
      nda: signed ? { versionId: fields.nda_version ?? '', signatureName: values.signature } : null,
      passToken: visitorPass(c),
    });
    if (result.outcome === 'refused') {
      const errors = { [ERROR_FIELD[result.code] ?? 'form']: result.error };
      return showAgain(c, { values, chosen: documentIds, errors }, result.status);
    }
    keepVisitorPass(c, kit, visitor.site.slug, result.passToken);
    return c.redirect(`${kit.basePath(visitor.site.slug)}/request?sent=${result.outcome}`, 303);
  });
}
