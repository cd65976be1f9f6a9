import type { AddUserBody, ChangeRoleBody, CreateApiTokenBody } from '../contracts/accounts.ts';
import type { z } from 'zod';
import { auditAction } from '../audit/audit-actor.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { appError } from '../platform/errors.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.repo.ts';
import { addUser, changeUserRole, listUsers, removeUser, type PublicUser } from './users.repo.ts';

const toUser = (u: PublicUser) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  createdAt: u.created_at.toISOString(),
});

const toToken = (t: Awaited<ReturnType<typeof listApiTokens>>[number]) => ({
  id: t.id,
  name: t.name,
  tokenPrefix: t.token_prefix,
  createdAt: t.created_at.toISOString(),
  lastUsedAt: t.last_used_at?.toISOString() ?? null,
  revokedAt: t.revoked_at?.toISOString() ?? null,
});

/** The workspace's users. */
export async function listWorkspaceUsers(ctx: ActorContext) {
  return (await withTenant(ctx.s.db, ctx.tenantId, listUsers)).map(toUser);
}

/** Add a user to the workspace (audited). */
export async function addWorkspaceUser(ctx: ActorContext, input: z.infer<typeof AddUserBody>) {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const created = await addUser(trx, ctx.tenantId, input);
    await auditAction(trx, ctx, {
      action: 'user.added',
      targetType: 'user',
      targetId: created.id,
      details: { email: created.email, role: created.role },
    });
    return toUser(created);
  });
}

/** Change a user's role (audited); the last admin cannot be demoted. */
export async function changeWorkspaceUserRole(
  ctx: ActorContext,
  input: { id: string } & z.infer<typeof ChangeRoleBody>,
) {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const updated = await changeUserRole(trx, input.id, input.role);
    await auditAction(trx, ctx, {
      action: 'user.role_changed',
      targetType: 'user',
      targetId: updated.id,
      details: { email: updated.email, role: input.role },
    });
    return toUser(updated);
  });
}

/** Remove a user from the workspace (audited); nobody removes their own account. */
export async function removeWorkspaceUser(ctx: ActorContext, input: { id: string }): Promise<void> {
  if (input.id === ctx.actor.userId) throw appError('cannot_remove_self', 'You cannot remove your own account.');
  await withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    await removeUser(trx, input.id);
    await auditAction(trx, ctx, { action: 'user.removed', targetType: 'user', targetId: input.id });
  });
}

/** The caller's own API tokens. */
export async function listMyApiTokens(ctx: ActorContext) {
  return (await withTenant(ctx.s.db, ctx.tenantId, (trx) => listApiTokens(trx, ctx.actor.userId))).map(toToken);
}

/** Create an API token for the caller (audited); the token itself is returned only here, once. */
export async function createMyApiToken(ctx: ActorContext, input: z.infer<typeof CreateApiTokenBody>) {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const created = await createApiToken(trx, { tenantId: ctx.tenantId, userId: ctx.actor.userId, name: input.name });
    await auditAction(trx, ctx, { action: 'token.created', targetType: 'api_token', targetId: created.id });
    return { id: created.id, token: created.token };
  });
}

/** Revoke one of the caller's API tokens (audited). */
export async function revokeMyApiToken(ctx: ActorContext, input: { id: string }): Promise<void> {
  await withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    await revokeApiToken(trx, { userId: ctx.actor.userId, tokenId: input.id });
    await auditAction(trx, ctx, { action: 'token.revoked', targetType: 'api_token', targetId: input.id });
  });
}
