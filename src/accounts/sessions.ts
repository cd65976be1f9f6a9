import type { Db } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { Actor } from '../platform/http/request-context.ts';
import { hashToken, newToken } from './secrets.ts';
import { deleteSessionByHash, findLiveSession, insertSession } from './sessions.repo.ts';

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
    insertSession(trx, {
      tokenHash: hashToken(token),
      tenantId: opts.tenantId,
      userId: opts.userId,
      csrfToken,
      expiresAt,
    }),
  );
  return { token, csrfToken, expiresAt };
}

/** Resolve a session cookie to its actor; an unknown or expired token resolves to nothing. */
export async function resolveSession(db: Db, token: string): Promise<SessionInfo | undefined> {
  const row = await findLiveSession(db, hashToken(token));
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
  await withTenant(db, tenantId, (trx) => deleteSessionByHash(trx, hashToken(token)));
}
