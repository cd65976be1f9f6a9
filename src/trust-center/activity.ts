import type { ActivityEntry } from '../contracts/trust-center.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';

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
