import { listDailyActivity } from './anonymous-activity.repo.ts';
import { anonymousActivity } from './anonymous-activity.ts';
import type { ActivityEntry } from '../contracts/trust-center.ts';
import { withTenant, type Tx } from '../platform/db/tenant-scope.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import { getDocument } from '../documents/documents.repo.ts';
import { getContactDetail } from './contacts.repo.ts';
import { listAudit } from '../audit/audit.repo.ts';

/** Views, downloads, NDA acceptances and requests by contacts and visitors, for one document or one contact. */
async function listPublicActivity(
  trx: Tx,
  f: { documentId?: string; contactId?: string; limit: number },
): Promise<ActivityEntry[]> {
  const page = await listAudit(trx, {
    actorTypes: ['contact', 'visitor'],
    ...(f.documentId ? { targetType: 'document', targetId: f.documentId } : {}),
    ...(f.contactId ? { actorType: 'contact', actorId: f.contactId } : {}),
    limit: f.limit,
  });
  return page.items.map((e) => ({
    id: e.id,
    action: e.action,
    actorType: e.actorType as ActivityEntry['actorType'],
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    documentId: e.targetType === 'document' ? e.targetId : null,
    ip: e.ip,
    createdAt: e.createdAt,
    sentence: e.sentence,
    details: e.details,
  }));
}

/**
 * Views and downloads of one of the tenant's documents (404 for a document of another tenant). This
 * process's anonymous counts are written first, so an admin sees their own test view at once; other
 * processes' counts arrive within their write interval.
 */
export async function listDocumentActivity(ctx: ActorContext, input: { documentId: string; limit: number }) {
  await anonymousActivity(ctx.s).flush();
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    await getDocument(trx, input.documentId);
    return {
      items: await listPublicActivity(trx, input),
      daily: await listDailyActivity(trx, input.documentId),
    };
  });
}

/** What one of the tenant's contacts viewed, downloaded and accepted. */
export function listContactActivity(ctx: ActorContext, input: { contactId: string; limit: number }) {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    await getContactDetail(trx, input.contactId);
    return listPublicActivity(trx, input);
  });
}
