import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../platform/db/tenant-scope.ts';
import type { DailyActivity } from '../contracts/trust-center.ts';

/** Today's date in UTC (`YYYY-MM-DD`): the day a counter row and a visitor salt belong to. */
export const utcDay = (now = new Date()) => now.toISOString().slice(0, 10);

/** Anonymous views and downloads of one document on one day, gathered in memory (anonymous-activity.ts). */
export interface ActivityTally {
  documentId: string;
  day: string;
  views: number;
  downloads: number;
  /** Address and browser of each visitor seen; hashed with the day's salt here, never stored as such. */
  visitors: Iterable<string>;
}

/**
 * Add tallies to the per-day counters: one row per document per day with views, downloads and unique
 * visitors, instead of an audit entry per request, so a flood of anonymous requests cannot bury the events
 * an admin looks for. A visitor is a salted hash of address and browser; the salt exists for one day only
 * (older salts and visitor hashes are deleted), so yesterday's visitors cannot be linked to anyone.
 */
export async function addAnonymousActivity(trx: Tx, tenantId: string, tallies: ActivityTally[]): Promise<void> {
  if (tallies.length === 0) return;
  // A document deleted since its views were counted takes its counters with it.
  const existing = new Set(
    (
      await trx
        .selectFrom('documents')
        .select('id')
        .where(
          'id',
          'in',
          tallies.map((t) => t.documentId),
        )
        .execute()
    ).map((d) => d.id),
  );
  for (const tally of tallies.filter((t) => existing.has(t.documentId))) {
    const salt = await saltOf(trx, tally.day);
    const hashes = [...new Set(tally.visitors)].map((visitor) =>
      createHash('sha256').update(`${salt}|${tenantId}|${visitor}`).digest('hex'),
    );
    const firstToday = hashes.length
      ? await trx
          .insertInto('document_daily_visitors')
          .values(
            hashes.map((visitor_hash) => ({
              tenant_id: tenantId,
              document_id: tally.documentId,
              day: tally.day,
              visitor_hash,
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .returning('visitor_hash')
          .execute()
      : [];
    const unique = firstToday.length;
    await trx
      .insertInto('document_daily_activity')
      .values({
        tenant_id: tenantId,
        document_id: tally.documentId,
        day: tally.day,
        views: tally.views,
        downloads: tally.downloads,
        unique_visitors: unique,
      })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'document_id', 'day']).doUpdateSet({
          views: sql`document_daily_activity.views + ${tally.views}`,
          downloads: sql`document_daily_activity.downloads + ${tally.downloads}`,
          unique_visitors: sql`document_daily_activity.unique_visitors + ${unique}`,
        }),
      )
      .execute();
    if (unique) await trx.deleteFrom('document_daily_visitors').where('day', '<', tally.day).execute();
  }
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
