import type { Db, Tx } from '../platform/db/tenant-scope.ts';

/** Browser sessions: the only writer of `sessions`. Rows are keyed by the hash of the cookie's token. */
export async function insertSession(
  trx: Tx,
  row: { tokenHash: string; tenantId: string; userId: string; csrfToken: string; expiresAt: Date },
): Promise<void> {
  await trx
    .insertInto('sessions')
    .values({
      token_hash: row.tokenHash,
      tenant_id: row.tenantId,
      user_id: row.userId,
      csrf_token: row.csrfToken,
      expires_at: row.expiresAt,
    })
    .execute();
}

/**
 * The unexpired session with this token hash and its user. This is one of the few lookups made before the
 * tenant is known, so it runs as the owner role.
 */
export function findLiveSession(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('tenants', 'tenants.id', 'sessions.tenant_id')
    .select([
      'sessions.tenant_id',
      'sessions.user_id',
      'sessions.csrf_token',
      'sessions.expires_at',
      'users.email',
      'users.role',
      'tenants.slug',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', new Date())
    .executeTakeFirst();
}

export async function deleteSessionByHash(trx: Tx, tokenHash: string): Promise<void> {
  await trx.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}
