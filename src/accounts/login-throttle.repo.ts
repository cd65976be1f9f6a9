import { sql } from 'kysely';
import type { Db, Tx } from '../platform/db/tenant-scope.ts';

/** Failed sign-in counters per key (an account+address pair or an address): the only writer of `login_throttle`. */
export interface ThrottleRow {
  key: string;
  failures: number;
  /** The counting window is older than `windowSeconds`. */
  stale: boolean;
  /** Seconds until the next attempt is allowed (null or ≤ 0: now). */
  wait: number | null;
}

/**
 * Create the keys' rows if missing and lock them, in key order so that concurrent attempts never deadlock.
 * Must run inside a transaction: the locks hold until it ends.
 */
export async function lockThrottleRows(trx: Tx, keys: string[], windowSeconds: number): Promise<ThrottleRow[]> {
  const sorted = [...keys].sort();
  await trx
    .insertInto('login_throttle')
    .values(sorted.map((key) => ({ key, failures: 0 })))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return trx
    .selectFrom('login_throttle')
    .select([
      'key',
      'failures',
      sql<boolean>`window_started_at < now() - make_interval(secs => ${windowSeconds})`.as('stale'),
      sql<number | null>`ceil(extract(epoch from next_attempt_at - now()))`.as('wait'),
    ])
    .where('key', 'in', sorted)
    .orderBy('key')
    .forUpdate()
    .execute();
}

/** Store a key's new failure count, restarting its window when it went stale, with an optional wait. */
export async function saveThrottle(
  trx: Tx,
  key: string,
  next: { failures: number; restartWindow: boolean; delaySeconds: number },
): Promise<void> {
  await trx
    .updateTable('login_throttle')
    .set({
      failures: next.failures,
      ...(next.restartWindow ? { window_started_at: sql<Date>`now()` } : {}),
      next_attempt_at: next.delaySeconds > 0 ? sql<Date>`now() + make_interval(secs => ${next.delaySeconds})` : null,
    })
    .where('key', '=', key)
    .execute();
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/** Take one failure off a key's count (never below zero). */
export async function forgiveOneFailure(db: Db, key: string): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set({ failures: sql`greatest(login_throttle.failures - 1, 0)` })
    .where('key', '=', key)
    .execute();
}
