import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { Db } from '../platform/db/tenant-scope.ts';
import { readBoundedText } from '../platform/http/body-limits.ts';
import { claimReceipt, releaseReceipt } from './webhook-receipts.repo.ts';

/**
 * Read a webhook body as the exact text that was signed, bounded by the route's cap (BODY_LIMITS.webhook):
 * an anonymous caller cannot make us hold more than that before the signature is checked.
 */
export const readWebhookBody = (c: Context): Promise<string> => readBoundedText(c);

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
  if (!(await claimReceipt(db, hash))) return { handled: 'duplicate' };
  try {
    return await handle();
  } catch (err) {
    await releaseReceipt(db, hash);
    throw err;
  }
}
