import type { TenantSettings } from '../contracts/accounts.ts';
import { auditAction } from '../audit/audit-actor.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { notFound } from '../platform/errors.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import { findTenantById, updateTenantSettingsRow } from './tenants.repo.ts';

/** The caller's workspace settings. */
export async function readTenantSettings(ctx: ActorContext): Promise<TenantSettings> {
  const tenant = await findTenantById(ctx.s.db, ctx.tenantId);
  if (!tenant) throw notFound('Tenant');
  return { autoReimport: tenant.auto_reimport };
}

/** Change the caller's workspace settings, audited in the same transaction. */
export async function updateTenantSettings(ctx: ActorContext, settings: TenantSettings): Promise<TenantSettings> {
  await ctx.s.db.transaction().execute(async (owner) => {
    await updateTenantSettingsRow(owner, ctx.tenantId, settings);
    await withTenant(owner, ctx.tenantId, (trx) =>
      auditAction(trx, ctx, {
        action: 'settings.changed',
        targetType: 'tenant',
        targetId: ctx.tenantId,
        details: { autoReimport: settings.autoReimport },
      }),
    );
  });
  return readTenantSettings(ctx);
}
