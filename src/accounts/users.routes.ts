import { z } from 'zod';
import { AddUserBody, ApiTokenSchema, ChangeRoleBody, CreateApiTokenBody, UserSchema } from '../contracts/accounts.ts';
import { UuidParam } from '../contracts/common.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import {
  addWorkspaceUser,
  changeWorkspaceUserRole,
  createMyApiToken,
  listMyApiTokens,
  listWorkspaceUsers,
  removeWorkspaceUser,
  revokeMyApiToken,
} from './users.service.ts';

/** Users of the tenant (admin) and the caller's own API tokens. */
export function registerUserRoutes(api: ApiRouter): void {
  api.route(
    {
      method: 'get',
      path: '/api/users',
      tag: 'users',
      summary: 'List users',
      access: 'admin',
      response: z.object({ items: z.array(UserSchema) }),
    },
    async (c, { ctx }) => c.json({ items: await listWorkspaceUsers(ctx) }),
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
    async (c, { ctx, body }) => c.json(await addWorkspaceUser(ctx, body), 201),
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
    async (c, { ctx, params, body }) => c.json(await changeWorkspaceUserRole(ctx, { ...params, ...body })),
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
    async (c, { ctx, params }) => {
      await removeWorkspaceUser(ctx, params);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/tokens',
      tag: 'users',
      summary: 'List my API tokens',
      access: 'signed_in',
      response: z.object({ items: z.array(ApiTokenSchema) }),
    },
    async (c, { ctx }) => c.json({ items: await listMyApiTokens(ctx) }),
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
    async (c, { ctx, body }) => c.json(await createMyApiToken(ctx, body), 201),
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
    async (c, { ctx, params }) => {
      await revokeMyApiToken(ctx, params);
      return c.body(null, 204);
    },
  );
}
