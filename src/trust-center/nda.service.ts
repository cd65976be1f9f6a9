import { auditAction } from '../audit/audit-actor.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import { notFound } from '../platform/errors.ts';
import { describeNda, findAcceptanceCertificate, publishNda } from './nda.repo.ts';

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
