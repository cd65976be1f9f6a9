import type { DatabaseHandle } from '../platform/db/client.ts';
import { findSiteByDomain, findSiteBySlug, type SiteTenant } from './site-versions.repo.ts';
import { SharedFreshLookups } from './shared-fresh-lookups.ts';

/**
 * Which tenant and content version a public address stands for: a slug under /t, or a custom domain. On
 * PostgreSQL it is read for every request (one indexed query, shared by the requests that arrive while it runs;
 * any number of processes may write). On the
 * embedded database this process is the only writer and the version trigger's NOTIFY reaches it before the
 * writing transaction's commit returns, so the answer is remembered until a notification for that tenant
 * arrives (a content, profile or domain change): a cached page then costs no query at all.
 */
export class SiteDirectory {
  /** Keyed by `slug:<slug>` or `host:<domain>`. */
  private readonly known = new Map<string, SiteTenant>();
  private listening = false;
  /** Bumped by every notification: a lookup that raced one is not remembered. */
  private generation = 0;
  private readonly lookups = new SharedFreshLookups<SiteTenant | undefined>();

  constructor(private readonly handle: DatabaseHandle) {}

  /** Subscribe to version changes where the database can tell us about them (embedded only). */
  async start(): Promise<void> {
    if (!this.handle.listen) return;
    await this.handle.listen('site_version', (tenantId) => {
      this.generation++;
      for (const [key, site] of this.known) if (site.id === tenantId) this.known.delete(key);
    });
    this.listening = true;
  }

  /** The tenant at /t/:slug. */
  async bySlug(slug: string): Promise<SiteTenant | undefined> {
    return this.find(`slug:${slug}`, () => findSiteBySlug(this.handle.db, slug));
  }

  /** The tenant whose custom domain is `host` (lower case, no port). */
  async byDomain(host: string): Promise<SiteTenant | undefined> {
    return this.find(`host:${host}`, () => findSiteByDomain(this.handle.db, host));
  }

  private async find(key: string, lookup: () => Promise<SiteTenant | undefined>): Promise<SiteTenant | undefined> {
    const remembered = this.known.get(key);
    if (remembered) return remembered;
    const generation = this.generation;
    const site = await this.lookups.run(key, lookup);
    // Unknown addresses are not remembered: a tenant or domain added later must be found (and both are
    // unbounded input).
    if (site && this.listening && generation === this.generation) this.known.set(key, site);
    return site;
  }
}
