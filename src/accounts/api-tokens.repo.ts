/** Personal API tokens: the only writer of `api_tokens`. Only a token's hash is stored. */
import type { Db, Tx } from '../platform/db/tenant-scope.ts';
import { notFound } from '../platform/errors.ts';
import type { Actor } from '../platform/http/request-context.ts';
import { hashToken, newToken } from './secrets.ts';

/** Create a personal API token for a user; the raw token is returned once and never stored. */
export async function createApiToken(trx: Tx, opts: { tenantId: string; userId: string; name?: string }) {
  const token = newToken('tc');
  const row = await trx
    .insertInto('api_tokens')
    .values({
      tenant_id: opts.tenantId,
      user_id: opts.userId,
      name: opts.name ?? '',
      token_hash: hashToken(token),
      token_prefix: token.slice(0, 10),
    })
    .returning(['id', 'name', 'token_prefix', 'created_at'])
    .executeTakeFirstOrThrow();
  return { ...row, token };
}

export async function listApiTokens(trx: Tx, userId: string) {
  return trx
    .selectFrom('api_tokens')
    .select(['id', 'name', 'token_prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function revokeApiToken(trx: Tx, opts: { userId: string; tokenId: string }): Promise<void> {
  const res = await trx
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', opts.tokenId)
    .where('user_id', '=', opts.userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw notFound('API token');
}

/** Resolve a bearer token (owner-role lookup, like sessions); revoked tokens resolve to nothing. */
export async function resolveApiToken(db: Db, token: string): Promise<Actor | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .innerJoin('tenants', 'tenants.id', 'api_tokens.tenant_id')
    .select([
      'api_tokens.id',
      'api_tokens.tenant_id',
      'api_tokens.user_id',
      'users.email',
      'users.role',
      'tenants.slug',
    ])
    .where('api_tokens.token_hash', '=', hashToken(token))
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  return {
    kind: 'api_token',
    tenantId: row.tenant_id,
    tenantSlug: row.slug,
    userId: row.user_id,
    email: row.email,
    role: row.role,
    tokenId: row.id,
  };
}
