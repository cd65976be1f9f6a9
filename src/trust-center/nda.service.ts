import { auditAction } from '../audit/audit-actor.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import { PUBLIC_AUDIT_ACTIONS } from '../contracts/trust-center.ts';
import type { DocumentRow } from '../platform/db/schema.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import { notFound } from '../platform/errors.ts';
import { describeNda, findAcceptanceCertificate, publishNda, recordAcceptance } from './nda.repo.ts';
import { csrfMatches, staleFormToken } from './contact-access.ts';
import { withVisit, type VisitorContext } from './public-access.ts';
import { getListedDocument } from './listed-documents.repo.ts';

/** The current NDA and its version history. */
export function readNda(ctx: ActorContext) {
  return withTenant(ctx.s.db, ctx.tenantId, describeNda);
}

/** Publish a new NDA version (audited); contacts must accept it again before opening NDA documents. */
export function publishNewNda(ctx: ActorContext, input: { body: string }) {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const version = await publishNda(trx, ctx.tenantId, input.body, ctx.actor.userId);
    await auditAction(trx, ctx, {
      action: 'nda.published',
      targetType: 'nda',
      targetId: version.id,
      details: { version: version.version },
    });
    return describeNda(trx);
  });
}

/** Open the PDF certificate of one of a contact's NDA acceptances (admins; each download is audited). */
export async function openNdaCertificate(ctx: ActorContext, input: { id: string; acceptanceId: string }) {
  const found = await withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const row = await findAcceptanceCertificate(trx, input.id, input.acceptanceId);
    if (!row?.certificate_key) throw notFound('Certificate');
    await auditAction(trx, ctx, {
      action: 'contact.nda_certificate_downloaded',
      targetType: 'contact',
      targetId: input.id,
      details: { acceptanceId: row.id, version: row.version },
    });
    return { key: row.certificate_key, version: row.version };
  });
  return {
    body: await ctx.s.storage.get(found.key),
    name: `nda-v${found.version}-certificate-${input.acceptanceId.slice(0, 8)}.pdf`,
  };
}

/** The NDA as a visitor is asked to accept it (its Markdown body; the page renders it). */
export interface NdaToAccept {
  id: string;
  version: number;
  body: string;
}

/**
 * A signed-in contact accepts the current NDA on the way to a document (recorded and audited). A visitor
 * without a session, or a site without an NDA, is just sent back to the document; a form for an older
 * version or without the box ticked comes back with the reason.
 */
export function acceptNdaFromSite(
  ctx: VisitorContext,
  input: { documentId: string; versionId: string | undefined; agreed: boolean; csrf: string | undefined },
): Promise<{ doc: DocumentRow; retry: { error: string; nda: NdaToAccept } | null }> {
  return withVisit(ctx, async (trx, { viewer }) => {
    const doc = await getListedDocument(trx, input.documentId);
    if (!viewer.session || !viewer.nda) return { doc, retry: null };
    if (!csrfMatches(viewer.session, input.csrf)) throw staleFormToken();
    const nda = viewer.nda;
    if (input.versionId !== nda.id)
      return {
        doc,
        retry: { nda, error: 'The agreement was updated while you were reading. Please review the new version.' },
      };
    if (!input.agreed) return { doc, retry: { nda, error: 'Please tick the box to accept the agreement.' } };
    const contact = viewer.session.contact;
    await recordAcceptance(trx, ctx.site.id, {
      contactId: contact.id,
      ndaVersionId: nda.id,
      ip: ctx.clientIp,
      userAgent: ctx.userAgent,
    });
    await recordAudit(trx, {
      tenantId: ctx.site.id,
      actor: { type: 'contact', id: contact.id, label: contact.email },
      action: PUBLIC_AUDIT_ACTIONS.ndaAccept,
      targetType: 'nda',
      targetId: nda.id,
      details: { version: nda.version, documentId: doc.id, userAgent: ctx.userAgent.slice(0, 300) },
      ip: ctx.clientIp,
    });
    return { doc, retry: null };
  });
}
