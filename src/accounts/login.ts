import type { Db } from '../platform/db/tenant-scope.ts';
import { AppError, appError } from '../platform/errors.ts';
import { findUserForLogin } from './users.repo.ts';
import { DUMMY_PASSWORD_HASH, verifyPassword } from './secrets.ts';
import {
  clearThrottle,
  forgiveOneFailure,
  lockThrottleRows,
  saveThrottle,
  type ThrottleRow,
} from './login-throttle.repo.ts';

/** Failures per account and address that cost nothing; each one after that doubles the wait (5 s, 10 s, …). */
const FREE_FAILURES = 3;
const BASE_DELAY_SECONDS = 5;
const MAX_DELAY_SECONDS = 15 * 60;
/** Failed attempts an address may make in the window before it is refused outright (the only lockout). */
const MAX_FAILURES_PER_ADDRESS = 50;
const WINDOW_SECONDS = 15 * 60;

const invalidCredentials = () => appError('invalid_credentials', 'The email or password is not correct.');

const tooManyAttempts = (retryAfterSeconds: number) =>
  new AppError({
    code: 'too_many_attempts',
    message: 'Too many failed sign-in attempts. Wait a moment and try again.',
    details: { retryAfterSeconds },
  });

/**
 * Check credentials, slowing guessers down without letting anyone lock a known account:
 * - per account AND address, each failure after the first few makes the next attempt wait twice as long
 *   (5 s, 10 s, … at most 15 minutes), so the owner signing in from elsewhere is never held up by a guesser;
 * - per address, a limit on failed attempts in a 15-minute window: the only lockout.
 * Every attempt is counted before the password is looked at, under a row lock, so parallel requests cannot
 * slip past a check made before slow hashing; a refused attempt says nothing about the password.
 */
export async function checkLogin(db: Db, opts: { email: string; password: string; ip: string; workspace?: string }) {
  const pairKey = `pair:${opts.email.toLowerCase()}|${opts.ip}`;
  const ipKey = `ip:${opts.ip}`;
  const refusedFor = await countAttempt(db, pairKey, ipKey);
  if (refusedFor !== null) throw tooManyAttempts(refusedFor);

  const user = await findUserForLogin(db, opts.email, opts.workspace);
  const ok = await verifyPassword(opts.password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok) throw invalidCredentials();
  await clearThrottle(db, pairKey);
  // The address keeps its failures (a valid account must not reset a guesser's count), but a successful
  // sign-in is not held against it, or colleagues behind one NAT would lock each other out.
  await forgiveOneFailure(db, ipKey);
  return {
    userId: user.id,
    tenantId: user.tenant_id,
    email: user.email,
    role: user.role,
    tenantSlug: user.tenant_slug,
  };
}

/**
 * Count one attempt for the account+address pair and for the address, in one transaction holding both rows'
 * locks. Returns the seconds to wait when the attempt is refused, else null.
 */
async function countAttempt(db: Db, pairKey: string, ipKey: string): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const rows = await lockThrottleRows(trx, [pairKey, ipKey], WINDOW_SECONDS);
    const pair = rows.find((r) => r.key === pairKey);
    const address = rows.find((r) => r.key === ipKey);
    const pairWait = Number(pair?.wait ?? 0);
    if (pairWait > 0) return pairWait;
    const failures = (row: ThrottleRow | undefined) => (!row || row.stale ? 1 : row.failures + 1);
    const pairFailures = failures(pair);
    const addressFailures = failures(address);
    const delay =
      pairFailures > FREE_FAILURES
        ? Math.min(BASE_DELAY_SECONDS * 2 ** (pairFailures - FREE_FAILURES - 1), MAX_DELAY_SECONDS)
        : 0;
    for (const [key, count, row] of [
      [pairKey, pairFailures, pair],
      [ipKey, addressFailures, address],
    ] as const) {
      await saveThrottle(trx, key, {
        failures: count,
        restartWindow: row?.stale ?? false,
        delaySeconds: key === pairKey ? delay : 0,
      });
    }
    return addressFailures > MAX_FAILURES_PER_ADDRESS ? WINDOW_SECONDS : null;
  });
}
