import { sql } from 'kysely';
import type { AccessRequestNotice } from '../platform/db/schema.ts';
import type { Db, Tx } from '../platform/db/tenant-scope.ts';

/** A user's choice for access-request mails; "off" until they change it. */
export async function readAccessRequestNotice(trx: Tx, userId: string): Promise<AccessRequestNotice> {
  const row = await trx
    .selectFrom('notification_settings')
    .select('access_requests')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.access_requests ?? 'off';
}

export async function writeAccessRequestNotice(
  trx: Tx,
  tenantId: string,
  userId: string,
  notice: AccessRequestNotice,
): Promise<void> {
  await trx
    .insertInto('notification_settings')
    .values({ user_id: userId, tenant_id: tenantId, access_requests: notice })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ access_requests: notice, updated_at: new Date() }))
    .execute();
}

/**
 * The addresses of the tenant's users who chose `notice`. Only roles that can act on a request count: a user
 * demoted to viewer since opting in is not mailed about requests they cannot open.
 */
export async function noticeRecipients(trx: Tx, notice: AccessRequestNotice): Promise<string[]> {
  const rows = await trx
    .selectFrom('notification_settings as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .select('u.email')
    .where('n.access_requests', '=', notice)
    .where('u.role', 'in', ['admin', 'content_manager'])
    .orderBy('u.email')
    .execute();
  return rows.map((r) => r.email);
}

/** Tenants with at least one user on `notice` (read across tenants by the worker, as the owner). */
export async function tenantsWithNotice(db: Db, notice: AccessRequestNotice): Promise<string[]> {
  const rows = await db
    .selectFrom('notification_settings')
    .select('tenant_id')
    .distinct()
    .where('access_requests', '=', notice)
    .execute();
  return rows.map((r) => r.tenant_id);
}

/** Mark a new request as not yet announced, in the transaction that files it. */
export async function insertRequestNotice(trx: Tx, tenantId: string, requestId: string): Promise<void> {
  await trx.insertInto('access_request_notices').values({ tenant_id: tenantId, request_id: requestId }).execute();
}

/** Tenants with requests waiting to be announced (read across tenants by the worker, as the owner). */
export async function tenantsWithNotices(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('access_request_notices').select('tenant_id').distinct().execute();
  return rows.map((r) => r.tenant_id);
}

/**
 * Take this tenant's unannounced requests (removing their notices) with what a mail says about them. Rows
 * locked by another worker are skipped, so two workers never announce the same request twice.
 */
export async function takeRequestNotices(trx: Tx) {
  const taken = await trx
    .deleteFrom('access_request_notices')
    .where('request_id', 'in', (eb) =>
      eb.selectFrom('access_request_notices').select('request_id').forUpdate().skipLocked().limit(100),
    )
    .returning('request_id')
    .execute();
  if (taken.length === 0) return [];
  return trx
    .selectFrom('access_requests as r')
    .select(['r.id', 'r.name', 'r.email', 'r.company', 'r.reason', 'r.created_at'])
    .select((eb) =>
      eb
        .selectFrom('access_request_documents as rd')
        .innerJoin('documents as d', 'd.id', 'rd.document_id')
        .whereRef('rd.request_id', '=', 'r.id')
        .select(sql<string>`string_agg(d.title, ', ' order by d.title)`.as('titles'))
        .as('title'),
    )
    .where(
      'r.id',
      'in',
      taken.map((t) => t.request_id),
    )
    .where('r.status', '=', 'pending')
    .orderBy('r.created_at')
    .execute();
}

/** How many access requests wait for a decision. */
export async function countPendingRequests(trx: Tx): Promise<number> {
  const row = await trx
    .selectFrom('access_requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
