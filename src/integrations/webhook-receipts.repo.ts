import { sql } from 'kysely';
import type { Db } from '../platform/db/tenant-scope.ts';

/** How long a handled body is remembered; providers retry within minutes, a replay later is still refused. */
const RECEIPT_TTL = sql.raw(`interval '1 day'`);

/** Claim a body's hash (forgetting expired ones first); false when it was already claimed. */
export async function claimReceipt(db: Db, bodySha256: string): Promise<boolean> {
  await db
    .deleteFrom('webhook_receipts')
    .where('received_at', '<', sql<Date>`now() - ${RECEIPT_TTL}`)
    .execute();
  const claimed = await db
    .insertInto('webhook_receipts')
    .values({ body_sha256: bodySha256 })
    .onConflict((oc) => oc.column('body_sha256').doNothing())
    .returning('body_sha256')
    .executeTakeFirst();
  return claimed !== undefined;
}

export async function releaseReceipt(db: Db, bodySha256: string): Promise<void> {
  await db.deleteFrom('webhook_receipts').where('body_sha256', '=', bodySha256).execute();
}
