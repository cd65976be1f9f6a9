import type { DatabaseHandle } from '../platform/db/client.ts';
import { findSiteBySlug, type SiteTenant } from './site-versions.repo.ts';

/**
 * Which tenant and content version a public address stands for. On PostgreSQL it is read on every
 * request (one indexed query; any number of processes may write). On the embedded database this process
 * is the only writer and the version trigger's NOTIFY reaches it before the writing transaction's commit
 * returns, so the answer is remembered until a notification for that tenant arrives: a cached page then
 * costs no query at all.
 */
export class SiteDirectory {
  private readonly known = new Map<string, SiteTenant>();
  private listening = false;
  /** Bumped by every notification: a lookup that raced one is not remembered. */
  private generation = 0;

  constructor(private readonly handle: DatabaseHandle) {}

  /** Subscribe to version changes where the database can tell us about them (embedded only). */
  async start(): Promise<void> {
    if (!this.handle.listen) return;
    await this.handle.listen('site_version', (tenantId) => {
      this.generation++;
      for (const [slug, site] of this.known) if (site.id === tenantId) this.known.delete(slug);
    });
    this.listening = true;
  }

  async find(slug: string): Promise<SiteTenant | undefined> {
    const remembered = this.known.get(slug);
    if (remembered) return remembered;
    const generation = this.generation;
    const site = await findSiteBySlug(this.handle.db, slug);
    // Unknown slugs are not remembered: a tenant created later must be found (and slugs are unbounded input).
    if (site && this.listening && generation === this.generation) this.known.set(slug, site);
    return site;
  }
}
