import type { Tx } from '../platform/db/tenant-scope.ts';
import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import { AUDIT_KINDS, describeAudit, type AuditKind } from '../contracts/audit-sentences.ts';
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

export interface AuditFilter {
  targetType?: string | undefined;
  targetId?: string | undefined;
  actorType?: AuditActor['type'] | undefined;
  /** Only these kinds of actor (e.g. the public site's contacts and visitors). */
  actorTypes?: AuditActor['type'][] | undefined;
  actorId?: string | undefined;
  /** An action or an action prefix ("contact." for every contact action). */
  action?: string | undefined;
  kind?: AuditKind | undefined;
  /** Text in the actor's recorded label, name or company. */
  who?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

const like = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * Newest first, filtered, with the current names of each entry's actor and target looked up (a contact's
 * name and company, a document's title) so each entry can be read as a sentence.
 */
export async function listAudit(trx: Tx, filter: AuditFilter): Promise<CursorPage<AuditEntry>> {
  let q = trx
    .selectFrom('audit_log as a')
    .leftJoin('contacts as ac', (j) => j.on(sql<SqlBool>`a.actor_type = 'contact' and ac.id::text = a.actor_id`))
    .leftJoin('users as au', (j) =>
      j.on(sql<SqlBool>`a.actor_type in ('user', 'api_token') and au.id::text = a.actor_id`),
    )
    .leftJoin('documents as td', (j) => j.on(sql<SqlBool>`a.target_type = 'document' and td.id::text = a.target_id`))
    .leftJoin('contacts as tc', (j) => j.on(sql<SqlBool>`a.target_type = 'contact' and tc.id::text = a.target_id`))
    .leftJoin('users as tu', (j) => j.on(sql<SqlBool>`a.target_type = 'user' and tu.id::text = a.target_id`))
    .selectAll('a')
    .select([
      'ac.name as actor_contact_name',
      'ac.company as actor_company',
      'au.name as actor_user_name',
      'td.title as target_document',
      'tc.name as target_contact_name',
      'tc.email as target_contact_email',
      'tu.email as target_user_email',
    ])
    .orderBy('a.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.targetType) q = q.where('a.target_type', '=', filter.targetType);
  if (filter.targetId) q = q.where('a.target_id', '=', filter.targetId);
  if (filter.actorType) q = q.where('a.actor_type', '=', filter.actorType);
  if (filter.actorTypes) q = q.where('a.actor_type', 'in', filter.actorTypes);
  if (filter.actorId) q = q.where('a.actor_id', '=', filter.actorId);
  if (filter.action) q = q.where('a.action', 'like', `${filter.action.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  const { kind, who, from, to } = filter;
  if (kind) q = q.where((eb) => eb.or(AUDIT_KINDS[kind].prefixes.map((p) => eb('a.action', 'like', `${p}%`))));
  if (who) {
    q = q.where((eb) =>
      eb.or([
        eb('a.actor_label', 'ilike', like(who)),
        eb('ac.name', 'ilike', like(who)),
        eb('ac.company', 'ilike', like(who)),
        eb('au.name', 'ilike', like(who)),
      ]),
    );
  }
  if (from) q = q.where('a.created_at', '>=', new Date(from));
  if (to) q = q.where('a.created_at', '<=', new Date(to));
  if (filter.cursor) q = q.where('a.id', '<', decodeCursor(filter.cursor, z.tuple([AuditId]))[0]);
  const page = cutPage(await q.execute(), filter.limit, (r) => encodeCursor(String(r.id)));
  return {
    nextCursor: page.nextCursor,
    items: page.rows.map((r) => {
      const details = r.details as Record<string, unknown>;
      const actorName = r.actor_contact_name || r.actor_user_name || null;
      const targetName =
        r.target_document ?? (r.target_contact_name || r.target_contact_email || r.target_user_email || null);
      return {
        id: String(r.id),
        actorType: r.actor_type,
        actorId: r.actor_id,
        actorLabel: r.actor_label,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        details,
        ip: r.ip,
        createdAt: r.created_at.toISOString(),
        sentence: describeAudit({
          action: r.action,
          actor: { type: r.actor_type, label: r.actor_label, name: actorName, company: r.actor_company },
          target: { type: r.target_type, name: targetName },
          details,
        }),
      };
    }),
  };
}
