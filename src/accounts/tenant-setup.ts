import type { Db } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { Role, TenantRow } from '../platform/db/schema.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import { insertTenant, findTenantBySlug } from './tenants.repo.ts';
import { addUser, type PublicUser } from './users.repo.ts';
import { notFound } from '../platform/errors.ts';

/** Create a tenant and its first admin in one go (CLI and first-start demo). */
export async function createTenantWithAdmin(
  db: Db,
  input: {
    slug: string;
    name: string;
    adminEmail: string;
    adminPassword: string;
  },
) {
  return db.transaction().execute(async (owner) => {
    const tenant = await insertTenant(owner, {
      slug: input.slug,
      name: input.name,
    });
    const admin = await withTenant(owner, tenant.id, async (trx) => {
      const user = await addUser(trx, tenant.id, {
        email: input.adminEmail,
        role: 'admin',
        password: input.adminPassword,
      });
      await recordAudit(trx, {
        tenantId: tenant.id,
        actor: { type: 'system', id: null, label: 'cli' },
        action: 'tenant.created',
        targetType: 'tenant',
        targetId: tenant.id,
        details: { slug: tenant.slug },
      });
      return user;
    });
    return { tenant, admin };
  });
}

/** Add a user to a tenant named by slug (CLI). */
export async function addUserToTenant(
  db: Db,
  input: { slug: string; email: string; role: Role; password: string },
): Promise<{ tenant: TenantRow; user: PublicUser }> {
  const tenant = await findTenantBySlug(db, input.slug);
  if (!tenant) throw notFound(`Tenant "${input.slug}"`);
  const user = await withTenant(db, tenant.id, (trx) => addUser(trx, tenant.id, input));
  return { tenant, user };
}
