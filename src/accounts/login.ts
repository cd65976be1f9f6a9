import { sql } from 'kysely';
import type { Db } from '../platform/db/tenant-scope.ts';
import { AppError } from '../platform/errors.ts';
import { findUserForLogin } from './users.repo.ts';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './secrets.ts';

const MAX_ATTEMPTS = 5;
const WINDOW = sql.raw(`interval '15 minutes'`);

const invalidCredentials = () =>
  new AppError({
    code: 'invalid_credentials',
    message: 'The email or password is not correct.',
  });

/**
 * Check credentials with throttling per email and per client address: every attempt is counted before the
 * password is looked at, so parallel requests cannot all slip past a check made before slow hashing. The
 * 6th attempt within 15 minutes is refused with 429, even with the right password, so a guesser learns
 * nothing from timing or responses.
 */
export async function checkLogin(db: Db, opts: { email: string; password: string; ip: string }) {
  const emailKey = `email:${opts.email.toLowerCase()}`;
  const ipKey = `ip:${opts.ip}`;
  const counts = await countAttempt(db, [emailKey, ipKey]);
  if (counts.some((n) => n > MAX_ATTEMPTS)) {
    throw new AppError({
      code: 'too_many_attempts',
      message: 'Too many failed sign-in attempts. Try again in a few minutes.',
    });
  }
  const user = await findUserForLogin(db, opts.email);
  const ok = await verifyPassword(opts.password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) throw invalidCredentials();
  await db.deleteFrom('login_throttle').where('key', '=', emailKey).execute();
  // The address keeps its failures (a valid account must not reset a guesser's count), but a successful
  // sign-in is not held against it, or colleagues behind one NAT would lock each other out.
  await db
    .updateTable('login_throttle')
    .set({ failures: sql`greatest(login_throttle.failures - 1, 0)` })
    .where('key', '=', ipKey)
    .execute();
  return {
    userId: user.id,
    tenantId: user.tenant_id,
    email: user.email,
    role: user.role,
    tenantSlug: user.tenant_slug,
  };
}

/** Count one attempt against each key in a single atomic upsert; returns the counts within the current window. */
async function countAttempt(db: Db, keys: string[]): Promise<number[]> {
  // Keys are upserted in sorted order so that concurrent attempts take row locks in the same order.
  const rows = await db
    .insertInto('login_throttle')
    .values([...keys].sort().map((key) => ({ key, failures: 1 })))
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql`case when login_throttle.window_started_at < now() - ${WINDOW} then 1 else login_throttle.failures + 1 end`,
        window_started_at: sql`case when login_throttle.window_started_at < now() - ${WINDOW} then now() else login_throttle.window_started_at end`,
      }),
    )
    .returning('failures')
    .execute();
  return rows.map((r) => r.failures);
}
