import type { AppServices } from '../../app-services.ts';
import { TenantSettingsSchema, UpdateTenantSettingsBody } from '../../contracts/accounts.ts';
import { findTenantById } from '../../accounts/tenants.repo.ts';
import { recordAudit } from '../../audit/audit.repo.ts';
import { auditActor } from '../../documents/documents.service.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { notFound } from '../../errors.ts';
import type { ApiRouter } from '../api-router.ts';
import { clientIp } from '../client-ip.ts';

/** Workspace settings (for now: whether Notion changes are re-imported automatically). */
export function registerSettingsRoutes(api: ApiRouter, s: AppServices): void {
  const read = async (tenantId: string) => {
    const tenant = await findTenantById(s.db, tenantId);
    if (!tenant) throw notFound('Tenant');
    return { autoReimport: tenant.auto_reimport };
  };

  api.route({ method: 'get', path: '/api/settings', tag: 'settings', summary: 'Workspace settings', access: 'viewer', response: TenantSettingsSchema }, async (c, { actor }) =>
    c.json(await read(actor.tenantId)));

  api.route({ method: 'patch', path: '/api/settings', tag: 'settings', summary: 'Change workspace settings', access: 'admin', body: UpdateTenantSettingsBody, response: TenantSettingsSchema }, async (c, { actor, body }) => {
    // The tenants table is the root of tenancy (app_user may only read it), so this owner-role write is
    // keyed by the caller's own tenant id and nothing else.
    await s.db.transaction().execute(async (owner) => {
      await owner.updateTable('tenants').set({ auto_reimport: body.autoReimport }).where('id', '=', actor.tenantId).execute();
      await withTenant(owner, actor.tenantId, (trx) => recordAudit(trx, { tenantId: actor.tenantId, actor: auditActor(actor), action: 'settings.changed', targetType: 'tenant', targetId: actor.tenantId, details: { autoReimport: body.autoReimport }, ip: clientIp(c) }));
    });
    return c.json(await read(actor.tenantId));
  });
}
