import { TenantSettingsSchema, UpdateTenantSettingsBody } from '../contracts/accounts.ts';
import { readTenantSettings, updateTenantSettings } from './tenant-settings.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';

/** Workspace settings (for now: whether Notion changes are re-imported automatically). */
export function registerSettingsRoutes(api: ApiRouter): void {
  api.route(
    {
      method: 'get',
      path: '/api/settings',
      tag: 'settings',
      summary: 'Workspace settings',
      access: 'viewer',
      response: TenantSettingsSchema,
    },
    async (c, { ctx }) => c.json(await readTenantSettings(ctx)),
  );

  api.route(
    {
      method: 'patch',
      path: '/api/settings',
      tag: 'settings',
      summary: 'Change workspace settings',
      access: 'admin',
      body: UpdateTenantSettingsBody,
      response: TenantSettingsSchema,
    },
    async (c, { ctx, body }) => c.json(await updateTenantSettings(ctx, body)),
  );
}
