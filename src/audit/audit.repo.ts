import type { Tx } from '../platform/db/tenant-scope.ts';
import { z } from 'zod';
import type { AuditEntry } from '../contracts/accounts.ts';
import type { CursorPage } from '../contracts/paging.ts';
import { cutPage, decodeCursor, encodeCursor } from '../platform/db/keyset.ts';

/** Audit rows are numbered by a bigserial. */
const AuditId = z.string().regex(/^\d{1,19}$/);

export interface AuditActor {
  type: 'user' | 'api_token' | 'contact' | 'visitor' | 'system';
  id: string | null;
  label: string;
}

/** Append one entry to the tenant's audit log, inside the caller's transaction so it commits with the change. */
export async function recordAudit(
  trx: Tx,
  entry: {
    tenantId: string;
    actor: AuditActor;
    action: string;
    targetType?: string;
    targetId?: string;
    details?: Record<string, unknown>;
    ip?: string | null;
  },
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      tenant_id: entry.tenantId,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      actor_label: entry.actor.label,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      details: JSON.stringify(entry.details ?? {}),
      ip: entry.ip ?? null,
    })
    .execute();
}

/** Newest first; filter by target (e.g. a document) or actor (e.g. a contact). */
export async function listAudit(
  trx: Tx,
  filter: {
    targetType?: string;
    targetId?: string;
    actorType?: string;
    actorId?: string;
    action?: string;
    limit: number;
    cursor?: string;
  },
): Promise<CursorPage<AuditEntry>> {
  let q = trx
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.targetType) q = q.where('target_type', '=', filter.targetType);
  if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
  if (filter.actorType) q = q.where('actor_type', '=', filter.actorType as AuditActor['type']);
  if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
  if (filter.action) q = q.where('action', 'like', `${filter.action}%`);
  if (filter.cursor) q = q.where('id', '<', decodeCursor(filter.cursor, z.tuple([AuditId]))[0]);
  const page = cutPage(await q.execute(), filter.limit, (r) => encodeCursor(String(r.id)));
  return {
    nextCursor: page.nextCursor,
    items: page.rows.map((r) => ({
      id: String(r.id),
      actorType: r.actor_type,
      actorId: r.actor_id,
      actorLabel: r.actor_label,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      details: r.details as Record<string, unknown>,
      ip: r.ip,
      createdAt: r.created_at.toISOString(),
    })),
  };
}
