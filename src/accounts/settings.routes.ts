import type { AppServices } from '../platform/app-services.ts';
import { TenantSettingsSchema, UpdateTenantSettingsBody } from '../contracts/accounts.ts';
import { readTenantSettings, updateTenantSettings } from './tenant-settings.ts';
import { auditActor } from '../audit/audit-actor.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { clientIp } from '../platform/http/client-ip.ts';

/** Workspace settings (for now: whether Notion changes are re-imported automatically). */
export function registerSettingsRoutes(api: ApiRouter, s: AppServices): void {
  api.route(
    {
      method: 'get',
      path: '/api/settings',
      tag: 'settings',
      summary: 'Workspace settings',
      access: 'viewer',
      response: TenantSettingsSchema,
    },
    async (c, { actor }) => c.json(await readTenantSettings(s.db, actor.tenantId)),
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
    async (c, { actor, body }) =>
      c.json(
        await updateTenantSettings(s.db, {
          tenantId: actor.tenantId,
          actor: auditActor(actor),
          ip: clientIp(c),
          settings: body,
        }),
      ),
  );
}
