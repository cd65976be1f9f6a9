import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../platform/db/tenant-scope.ts';
import type { DailyActivity } from '../contracts/trust-center.ts';

/** Today's date in UTC (`YYYY-MM-DD`): the day a counter row and a visitor salt belong to. */
const utcDay = (now = new Date()) => now.toISOString().slice(0, 10);

/**
 * Count an anonymous view or download of a document: one row per document per day with views, downloads and
 * unique visitors, instead of an audit entry per request, so a flood of anonymous requests cannot bury the
 * events an admin looks for. A visitor is a salted hash of address and browser; the salt exists for one day
 * only (older salts and visitor hashes are deleted), so yesterday's visitors cannot be linked to anyone.
 */
export async function countAnonymousAccess(
  trx: Tx,
  input: { tenantId: string; documentId: string; kind: 'view' | 'download'; ip: string; userAgent: string },
): Promise<void> {
  const day = utcDay();
  const visitorHash = createHash('sha256')
    .update(`${await saltOf(trx, day)}|${input.tenantId}|${input.ip}|${input.userAgent}`)
    .digest('hex');
  const firstToday = await trx
    .insertInto('document_daily_visitors')
    .values({ tenant_id: input.tenantId, document_id: input.documentId, day, visitor_hash: visitorHash })
    .onConflict((oc) => oc.doNothing())
    .returning('visitor_hash')
    .executeTakeFirst();
  const views = input.kind === 'view' ? 1 : 0;
  const downloads = input.kind === 'download' ? 1 : 0;
  const unique = firstToday ? 1 : 0;
  await trx
    .insertInto('document_daily_activity')
    .values({
      tenant_id: input.tenantId,
      document_id: input.documentId,
      day,
      views,
      downloads,
      unique_visitors: unique,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'document_id', 'day']).doUpdateSet({
        views: sql`document_daily_activity.views + ${views}`,
        downloads: sql`document_daily_activity.downloads + ${downloads}`,
        unique_visitors: sql`document_daily_activity.unique_visitors + ${unique}`,
      }),
    )
    .execute();
  if (firstToday) await trx.deleteFrom('document_daily_visitors').where('day', '<', day).execute();
}

/** Today's salt, created by the first visit of the day; earlier salts are deleted with it. */
async function saltOf(trx: Tx, day: string): Promise<string> {
  const created = await trx
    .insertInto('visitor_salts')
    .values({ day, salt: randomBytes(32).toString('hex') })
    .onConflict((oc) => oc.column('day').doNothing())
    .returning('salt')
    .executeTakeFirst();
  if (created) {
    await trx.deleteFrom('visitor_salts').where('day', '<', day).execute();
    return created.salt;
  }
  const row = await trx.selectFrom('visitor_salts').select('salt').where('day', '=', day).executeTakeFirstOrThrow();
  return row.salt;
}

/** A document's anonymous activity per day, newest first, for the last `days` days. */
export async function listDailyActivity(trx: Tx, documentId: string, days = 30): Promise<DailyActivity[]> {
  const rows = await trx
    .selectFrom('document_daily_activity')
    .select([sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'), 'views', 'downloads', 'unique_visitors'])
    .where('document_id', '=', documentId)
    .where('day', '>=', utcDay(new Date(Date.now() - (days - 1) * 86_400_000)))
    .orderBy('day', 'desc')
    .execute();
  return rows.map((r) => ({
    day: r.day,
    views: r.views,
    downloads: r.downloads,
    uniqueVisitors: r.unique_visitors,
  }));
}
