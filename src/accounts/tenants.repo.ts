import type { Db } from '../platform/db/tenant-scope.ts';
import type { TenantRow } from '../platform/db/schema.ts';
import { appError } from '../platform/errors.ts';

/** Tenants are the root of tenancy, so they are read without a tenant context. */
export async function findTenantBySlug(db: Db, slug: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findTenantById(db: Db, id: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countTenants(db: Db): Promise<number> {
  const row = await db
    .selectFrom('tenants')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Insert a tenant; a taken slug is a 409 rather than a raw constraint error. */
export async function insertTenant(db: Db, input: { slug: string; name: string }): Promise<TenantRow> {
  const existing = await findTenantBySlug(db, input.slug);
  if (existing) throw appError('tenant_exists', `A tenant with slug "${input.slug}" already exists.`);
  return db.insertInto('tenants').values(input).returningAll().executeTakeFirstOrThrow();
}

/**
 * Change a tenant's settings. The tenants table is the root of tenancy (app_user may only read it), so this
 * owner-role write is keyed by the caller's own tenant id and nothing else.
 */
export async function updateTenantSettingsRow(db: Db, tenantId: string, settings: { autoReimport: boolean }) {
  await db.updateTable('tenants').set({ auto_reimport: settings.autoReimport }).where('id', '=', tenantId).execute();
}

export async function listTenantIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('tenants').select('id').execute();
  return rows.map((r) => r.id);
}
