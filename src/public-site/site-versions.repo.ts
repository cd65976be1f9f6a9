import { sql } from 'kysely';
import type { Db } from '../platform/db/tenant-scope.ts';

/** A tenant as its public site needs it, with the content version its cached pages are keyed by. */
export interface SiteTenant {
  id: string;
  slug: string;
  name: string;
  /** site_versions.version (bigint as text); 0 before the first change. */
  version: string;
}

/**
 * The tenant behind /t/:slug and its current content version, in one query. Read without a tenant scope
 * like every tenant lookup; site_versions is written only by the database's triggers (migration 035).
 */
export async function findSiteBySlug(db: Db, slug: string): Promise<SiteTenant | undefined> {
  return db
    .selectFrom('tenants')
    .leftJoin('site_versions', 'site_versions.tenant_id', 'tenants.id')
    .select([
      'tenants.id',
      'tenants.slug',
      'tenants.name',
      sql<string>`coalesce(site_versions.version, 0)`.as('version'),
    ])
    .where('tenants.slug', '=', slug)
    .executeTakeFirst();
}
