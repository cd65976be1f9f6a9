import type { Db } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { Actor } from '../platform/http/request-context.ts';
import { hashToken, newToken } from './secrets.ts';

export interface SessionInfo {
  actor: Actor;
  csrfToken: string;
  expiresAt: Date;
}

/** Start a browser session; returns the raw token for the cookie (only its hash is stored). */
export async function createSession(db: Db, opts: { tenantId: string; userId: string; ttlHours: number }) {
  const token = newToken('tcs');
  const csrfToken = newToken('csrf');
  const expiresAt = new Date(Date.now() + opts.ttlHours * 3600_000);
  await withTenant(db, opts.tenantId, (trx) =>
    trx
      .insertInto('sessions')
      .values({
        token_hash: hashToken(token),
        tenant_id: opts.tenantId,
        user_id: opts.userId,
        csrf_token: csrfToken,
        expires_at: expiresAt,
      })
      .execute(),
  );
  return { token, csrfToken, expiresAt };
}

/**
 * Resolve a session cookie to its actor. This is one of the few lookups made before the tenant is known,
 * so it runs as the owner role and returns only the matching, unexpired session.
 */
export async function resolveSession(db: Db, token: string): Promise<SessionInfo | undefined> {
  const row = await db
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
    .where('sessions.token_hash', '=', hashToken(token))
    .where('sessions.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    actor: {
      kind: 'user',
      tenantId: row.tenant_id,
      tenantSlug: row.slug,
      userId: row.user_id,
      email: row.email,
      role: row.role,
    },
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

/** End a session (logout). Unknown tokens are ignored so logout is idempotent. */
export async function deleteSession(db: Db, tenantId: string, token: string): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    trx.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute(),
  );
}
