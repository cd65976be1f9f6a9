import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Context } from 'hono';
import type { Db } from '../platform/db/tenant-scope.ts';
import { readBoundedText } from '../platform/http/body-limits.ts';

/**
 * Read a webhook body as the exact text that was signed, bounded by the route's cap (BODY_LIMITS.webhook):
 * an anonymous caller cannot make us hold more than that before the signature is checked.
 */
export const readWebhookBody = (c: Context): Promise<string> => readBoundedText(c);

/** How long a handled body is remembered; providers retry within minutes, a replay later is still refused. */
const RECEIPT_TTL = sql.raw(`interval '1 day'`);

/**
 * Run `handle` once per signed body: the body's SHA-256 is claimed first, so a replayed (or concurrently
 * duplicated) delivery gets `{ handled: 'duplicate' }` and has no second effect. If handling fails, the
 * claim is released so the provider's retry is processed. Call only after the signature was verified, so
 * nobody can claim hashes of bodies they could not sign.
 */
export async function handleOncePerBody<T>(
  db: Db,
  rawBody: string,
  handle: () => Promise<T>,
): Promise<T | { handled: 'duplicate' }> {
  const hash = createHash('sha256').update(rawBody).digest('hex');
  await db
    .deleteFrom('webhook_receipts')
    .where('received_at', '<', sql<Date>`now() - ${RECEIPT_TTL}`)
    .execute();
  const claimed = await db
    .insertInto('webhook_receipts')
    .values({ body_sha256: hash })
    .onConflict((oc) => oc.column('body_sha256').doNothing())
    .returning('body_sha256')
    .executeTakeFirst();
  if (!claimed) return { handled: 'duplicate' };
  try {
    return await handle();
  } catch (err) {
    await db.deleteFrom('webhook_receipts').where('body_sha256', '=', hash).execute();
    throw err;
  }
}
