import { sql } from 'kysely';
import type { Db } from '../db/tenant-scope.ts';
import { AppError } from '../errors.ts';
import { findUserForLogin } from './users.repo.ts';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './secrets.ts';

const MAX_FAILURES = 5;
const WINDOW_MINUTES = 15;

const invalidCredentials = () =>
  new AppError({ code: 'invalid_credentials', status: 401, message: 'The email or password is not correct.' });

/**
 * Check credentials with throttling per email and per client address: after 5 failures in 15 minutes
 * further attempts are refused with 429 until the window passes, even with the right password, so a
 * guesser learns nothing from timing or responses.
 */
export async function checkLogin(db: Db, opts: { email: string; password: string; ip: string }) {
  const keys = [`email:${opts.email.toLowerCase()}`, `ip:${opts.ip}`];
  await ensureNotLocked(db, keys);
  const user = await findUserForLogin(db, opts.email);
  const ok = await verifyPassword(opts.password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) {
    await recordFailure(db, keys);
    throw invalidCredentials();
  }
  await db.deleteFrom('login_throttle').where('key', '=', keys[0]!).execute();
  return { userId: user.id, tenantId: user.tenant_id, email: user.email, role: user.role, tenantSlug: user.tenant_slug };
}

async function ensureNotLocked(db: Db, keys: string[]): Promise<void> {
  const locked = await db.selectFrom('login_throttle').select('locked_until')
    .where('key', 'in', keys).where('locked_until', '>', new Date()).executeTakeFirst();
  if (locked) {
    throw new AppError({ code: 'too_many_attempts', status: 429, message: 'Too many failed sign-in attempts. Try again in a few minutes.' });
  }
}

async function recordFailure(db: Db, keys: string[]): Promise<void> {
  for (const key of keys) {
    await db.insertInto('login_throttle').values({ key, failures: 1 })
      .onConflict((oc) => oc.column('key').doUpdateSet({
        failures: sql`case when login_throttle.window_started_at < now() - interval '${sql.raw(String(WINDOW_MINUTES))} minutes' then 1 else login_throttle.failures + 1 end`,
        window_started_at: sql`case when login_throttle.window_started_at < now() - interval '${sql.raw(String(WINDOW_MINUTES))} minutes' then now() else login_throttle.window_started_at end`,
        locked_until: sql`case when login_throttle.failures + 1 >= ${MAX_FAILURES} and login_throttle.window_started_at >= now() - interval '${sql.raw(String(WINDOW_MINUTES))} minutes' then now() + interval '${sql.raw(String(WINDOW_MINUTES))} minutes' else null end`,
      }))
      .execute();
  }
}
