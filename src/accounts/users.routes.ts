import { z } from 'zod';
import type { AppServices } from '../platform/app-services.ts';
import { addUser, changeUserRole, listUsers, removeUser, type PublicUser } from './users.repo.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { AddUserBody, ApiTokenSchema, ChangeRoleBody, CreateApiTokenBody, UserSchema } from '../contracts/accounts.ts';
import { UuidParam } from '../contracts/common.ts';
import { appError } from '../platform/errors.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { clientIp } from '../platform/http/client-ip.ts';

const toUser = (u: PublicUser) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  createdAt: u.created_at.toISOString(),
});

/** Users of the tenant (admin) and the caller's own API tokens. */
export function registerUserRoutes(api: ApiRouter, s: AppServices): void {
  api.route(
    {
      method: 'get',
      path: '/api/users',
      tag: 'users',
      summary: 'List users',
      access: 'admin',
      response: z.object({ items: z.array(UserSchema) }),
    },
    async (c, { actor }) =>
      c.json({
        items: (await withTenant(s.db, actor.tenantId, listUsers)).map(toUser),
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/users',
      tag: 'users',
      summary: 'Add a user',
      access: 'admin',
      body: AddUserBody,
      response: UserSchema,
      status: 201,
    },
    async (c, { actor, body }) => {
      const user = await withTenant(s.db, actor.tenantId, async (trx) => {
        const created = await addUser(trx, actor.tenantId, body);
        await recordAudit(trx, {
          tenantId: actor.tenantId,
          actor: auditActor(actor),
          action: 'user.added',
          targetType: 'user',
          targetId: created.id,
          details: { email: created.email, role: created.role },
          ip: clientIp(c),
        });
        return created;
      });
      return c.json(toUser(user), 201);
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/api/users/:id',
      tag: 'users',
      summary: "Change a user's role",
      access: 'admin',
      params: UuidParam,
      body: ChangeRoleBody,
      response: UserSchema,
    },
    async (c, { actor, params, body }) => {
      const user = await withTenant(s.db, actor.tenantId, async (trx) => {
        const updated = await changeUserRole(trx, params.id, body.role);
        await recordAudit(trx, {
          tenantId: actor.tenantId,
          actor: auditActor(actor),
          action: 'user.role_changed',
          targetType: 'user',
          targetId: updated.id,
          details: { email: updated.email, role: body.role },
          ip: clientIp(c),
        });
        return updated;
      });
      return c.json(toUser(user));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/api/users/:id',
      tag: 'users',
      summary: 'Remove a user',
      access: 'admin',
      params: UuidParam,
    },
    async (c, { actor, params }) => {
      if (params.id === actor.userId) throw appError('cannot_remove_self', 'You cannot remove your own account.');
      await withTenant(s.db, actor.tenantId, async (trx) => {
        await removeUser(trx, params.id);
        await recordAudit(trx, {
          tenantId: actor.tenantId,
          actor: auditActor(actor),
          action: 'user.removed',
          targetType: 'user',
          targetId: params.id,
          ip: clientIp(c),
        });
      });
      return c.body(null, 204);
    },
  );

  const toToken = (t: Awaited<ReturnType<typeof listApiTokens>>[number]) => ({
    id: t.id,
    name: t.name,
    tokenPrefix: t.token_prefix,
    createdAt: t.created_at.toISOString(),
    lastUsedAt: t.last_used_at?.toISOString() ?? null,
    revokedAt: t.revoked_at?.toISOString() ?? null,
  });
  api.route(
    {
      method: 'get',
      path: '/api/tokens',
      tag: 'users',
      summary: 'List my API tokens',
      access: 'signed_in',
      response: z.object({ items: z.array(ApiTokenSchema) }),
    },
    async (c, { actor }) =>
      c.json({
        items: (await withTenant(s.db, actor.tenantId, (trx) => listApiTokens(trx, actor.userId))).map(toToken),
      }),
  );

  api.route(
    {
      method: 'post',
      path: '/api/tokens',
      tag: 'users',
      summary: 'Create an API token (shown once)',
      access: 'signed_in',
      body: CreateApiTokenBody,
      status: 201,
      response: z.object({ id: z.uuid(), token: z.string() }),
    },
    async (c, { actor, body }) => {
      const created = await withTenant(s.db, actor.tenantId, async (trx) => {
        const t = await createApiToken(trx, {
          tenantId: actor.tenantId,
          userId: actor.userId,
          name: body.name,
        });
        await recordAudit(trx, {
          tenantId: actor.tenantId,
          actor: auditActor(actor),
          action: 'token.created',
          targetType: 'api_token',
          targetId: t.id,
          ip: clientIp(c),
        });
        return t;
      });
      return c.json({ id: created.id, token: created.token }, 201);
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/api/tokens/:id',
      tag: 'users',
      summary: 'Revoke one of my API tokens',
      access: 'signed_in',
      params: UuidParam,
    },
    async (c, { actor, params }) => {
      await withTenant(s.db, actor.tenantId, async (trx) => {
        await revokeApiToken(trx, { userId: actor.userId, tokenId: params.id });
        await recordAudit(trx, {
          tenantId: actor.tenantId,
          actor: auditActor(actor),
          action: 'token.revoked',
          targetType: 'api_token',
          targetId: params.id,
          ip: clientIp(c),
        });
      });
      return c.body(null, 204);
    },
  );
}
