import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

export type Tx = Transaction<Database>;
export type Db = Kysely<Database>;

/**
 * Run `fn` in a transaction bound to one tenant. The role switch matters: the connecting role owns the
 * tables (and is a superuser under PGlite), which would bypass row-level security; app_user does not.
 * Both settings are transaction-local, so a pooled connection never carries a tenant into the next use.
 */
export async function withTenant<T>(db: Db | Tx, tenantId: string, fn: (trx: Tx) => Promise<T>): Promise<T> {
  const scoped = async (trx: Tx) => {
    await sql`set local role app_user`.execute(trx);
    await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(trx);
    return fn(trx);
  };
  // Inside an owner transaction (e.g. creating a tenant and its admin atomically) the scope applies to the
  // rest of that transaction; owner-only statements must therefore come before this call.
  return db.isTransaction ? scoped(db as Tx) : db.transaction().execute(scoped);
}
