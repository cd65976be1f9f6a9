import type { Db } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { TenantSettings } from '../contracts/accounts.ts';
import { recordAudit, type AuditActor } from '../audit/audit.repo.ts';
import { notFound } from '../platform/errors.ts';
import { findTenantById } from './tenants.repo.ts';

/** The tenant's workspace settings. */
export async function readTenantSettings(db: Db, tenantId: string): Promise<TenantSettings> {
  const tenant = await findTenantById(db, tenantId);
  if (!tenant) throw notFound('Tenant');
  return { autoReimport: tenant.auto_reimport };
}

/**
 * Change the tenant's settings, audited. The tenants table is the root of tenancy (app_user may only read
 * it), so this owner-role write is keyed by the caller's own tenant id and nothing else.
 */
export async function updateTenantSettings(
  db: Db,
  input: {
    tenantId: string;
    actor: AuditActor;
    ip: string;
    settings: TenantSettings;
  },
): Promise<TenantSettings> {
  await db.transaction().execute(async (owner) => {
    await owner
      .updateTable('tenants')
      .set({ auto_reimport: input.settings.autoReimport })
      .where('id', '=', input.tenantId)
      .execute();
    await withTenant(owner, input.tenantId, (trx) =>
      recordAudit(trx, {
        tenantId: input.tenantId,
        actor: input.actor,
        action: 'settings.changed',
        targetType: 'tenant',
        targetId: input.tenantId,
        details: { autoReimport: input.settings.autoReimport },
        ip: input.ip,
      }),
    );
  });
  return readTenantSettings(db, input.tenantId);
}
