import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { isConnectionError } from './errors.ts';

export type Tx = Transaction<Database>;
export type Db = Kysely<Database>;

/**
 * Run `fn` in a transaction bound to one tenant. The role switch matters: the connecting role owns the
 * tables (and is a superuser under PGlite), which would bypass row-level security; app_user does not.
 * Both settings are transaction-local, so a pooled connection never carries a tenant into the next use.
 *
 * A transaction whose connection is lost before COMMIT is sent is tried once more on a fresh connection:
 * nothing of it was committed, so running it again is safe (`fn` touches only the database, or does
 * something idempotent). A connection lost during COMMIT is not retried: whether it committed is unknown.
 */
export async function withTenant<T>(db: Db | Tx, tenantId: string, fn: (trx: Tx) => Promise<T>): Promise<T> {
  const scoped = async (trx: Tx) => {
    await sql`set local role app_user`.execute(trx);
    await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(trx);
    return fn(trx);
  };
  // Inside an owner transaction (e.g. creating a tenant and its admin atomically) the scope applies to the
  // rest of that transaction; owner-only statements must therefore come before this call.
  if (db.isTransaction) return scoped(db as Tx);
  return retryOnLostConnection(db, scoped);
}

/**
 * Leave the tenant scope for the rest of a `withTenant` transaction, once the tenant's rows are written:
 * the job queue's tables belong to the owner role, not app_user, so jobs are sent in the same transaction
 * as the owner.
 */
export async function leaveTenantScope(trx: Tx): Promise<void> {
  await sql`reset role`.execute(trx);
}

/** One transaction, tried a second time when its connection was lost before COMMIT (see withTenant). */
export async function retryOnLostConnection<T>(db: Db, fn: (trx: Tx) => Promise<T>): Promise<T> {
  let committing = false;
  const attempt = () =>
    db.transaction().execute(async (trx) => {
      committing = false;
      const result = await fn(trx);
      committing = true;
      return result;
    });
  try {
    return await attempt();
  } catch (err) {
    if (committing || !isConnectionError(err)) throw err;
    return attempt();
  }
}
