import { insertDocument } from '../documents/documents.repo.ts';
import type { Db } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { Logger } from '../platform/logger.ts';
import { countTenants } from '../accounts/tenants.repo.ts';
import { createTenantWithAdmin } from '../accounts/tenant-setup.ts';
import { addUser } from '../accounts/users.repo.ts';

export const DEMO = {
  slug: 'acme',
  name: 'Acme Cloud',
  password: 'acme-demo-password',
  admin: 'admin@acme.test',
  contentManager: 'content@acme.test',
  viewer: 'viewer@acme.test',
} as const;

const WELCOME = `# Security at Acme Cloud

Acme Cloud protects customer data with encryption in transit (TLS 1.2+) and at rest (AES-256), single sign-on
for every employee, and continuous monitoring.

## Compliance

- SOC 2 Type II report — available under NDA
- ISO 27001 certificate — on request
`;

/**
 * On an empty database, create the demo tenant so a first `npm start` can be explored at once. The demo
 * password is fixed and printed; it exists only for local evaluation.
 */
export async function seedDemoTenant(db: Db, logger: Logger, publicUrl: string): Promise<boolean> {
  if ((await countTenants(db)) > 0) return false;
  const { tenant, admin } = await createTenantWithAdmin(db, {
    slug: DEMO.slug,
    name: DEMO.name,
    adminEmail: DEMO.admin,
    adminPassword: DEMO.password,
  });
  await withTenant(db, tenant.id, async (trx) => {
    await addUser(trx, tenant.id, {
      email: DEMO.contentManager,
      name: 'Casey Content',
      role: 'content_manager',
      password: DEMO.password,
    });
    await addUser(trx, tenant.id, {
      email: DEMO.viewer,
      name: 'Vic Viewer',
      role: 'viewer',
      password: DEMO.password,
    });
    await insertDocument(trx, {
      tenant_id: tenant.id,
      title: 'Security overview',
      kind: 'markdown',
      body_markdown: WELCOME,
      access_level: 'public',
      created_by: admin.id,
    });
  });
  logger.info({ tenant: DEMO.slug }, 'demo tenant created');
  process.stdout.write(
    [
      '',
      '  Demo workspace created on first start.',
      `  Admin panel:  ${publicUrl}/admin`,
      `  Sign in as:   ${DEMO.admin} / ${DEMO.password}   (also ${DEMO.contentManager}, ${DEMO.viewer})`,
      `  Trust center: ${publicUrl}/t/${DEMO.slug}`,
      '',
    ].join('\n') + '\n',
  );
  return true;
}
