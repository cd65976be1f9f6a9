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

const siteTenants = (db: Db) =>
  db
    .selectFrom('tenants')
    .leftJoin('site_versions', 'site_versions.tenant_id', 'tenants.id')
    .select([
      'tenants.id',
      'tenants.slug',
      'tenants.name',
      sql<string>`coalesce(site_versions.version, 0)`.as('version'),
    ]);

/**
 * The tenant behind /t/:slug and its current content version, in one query. Read without a tenant scope
 * like every tenant lookup; site_versions is written only by the database's triggers (migrations 035, 045).
 */
export async function findSiteBySlug(db: Db, slug: string): Promise<SiteTenant | undefined> {
  return siteTenants(db).where('tenants.slug', '=', slug).executeTakeFirst();
}

/**
 * The tenant whose custom domain is `host` and its current content version, in one query (a system lookup
 * before any tenant is known, like the slug one). A domain change bumps the version (migration 045).
 */
export async function findSiteByDomain(db: Db, host: string): Promise<SiteTenant | undefined> {
  return siteTenants(db)
    .innerJoin('trust_profiles', 'trust_profiles.tenant_id', 'tenants.id')
    .where('trust_profiles.custom_domain', '=', host)
    .executeTakeFirst();
}
