import { listDailyActivity } from './anonymous-activity.repo.ts';
import { anonymousActivity } from './anonymous-activity.ts';
import type { ActivityEntry } from '../contracts/trust-center.ts';
import { withTenant, type Tx } from '../platform/db/tenant-scope.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import { getDocument } from '../documents/documents.repo.ts';
import { getContactDetail } from './contacts.repo.ts';

/** Views, downloads, NDA acceptances and requests by contacts and visitors, for one document or one contact. */
export async function listPublicActivity(
  trx: Tx,
  f: { documentId?: string; contactId?: string; limit: number },
): Promise<ActivityEntry[]> {
  let q = trx
    .selectFrom('audit_log')
    .select(['id', 'action', 'actor_type', 'actor_id', 'actor_label', 'target_type', 'target_id', 'ip', 'created_at'])
    .where('actor_type', 'in', ['contact', 'visitor'])
    .orderBy('id', 'desc')
    .limit(f.limit);
  if (f.documentId) q = q.where('target_type', '=', 'document').where('target_id', '=', f.documentId);
  if (f.contactId) q = q.where('actor_type', '=', 'contact').where('actor_id', '=', f.contactId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: String(r.id),
    action: r.action,
    actorType: r.actor_type as ActivityEntry['actorType'],
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    documentId: r.target_type === 'document' ? r.target_id : null,
    ip: r.ip,
    createdAt: r.created_at.toISOString(),
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
