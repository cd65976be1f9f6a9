import { createHash } from 'node:crypto';

/** A rendered anonymous page: the bytes to send, their validator, and what a view of it records. */
export interface CachedPage<M> {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
  meta: M;
}

interface Entry<M> {
  version: string;
  page: CachedPage<M>;
}

/**
 * Anonymous public pages, rendered once per tenant content version and kept in this process. The version
 * (site_versions, bumped by the database in the same transaction as any document or tenant change) is
 * read on every request, so a publish, an unpublish or a deletion is seen by the very next request of
 * every process; an entry of an older version is simply never returned again. Bounded by bytes, least
 * recently used first out. Only pages identical for every anonymous visitor belong here; a contact's
 * pages never do.
 */
export class PageCache<M> {
  private readonly entries = new Map<string, Entry<M>>();
  private readonly rendering = new Map<string, Promise<CachedPage<M> | null>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /**
   * The page for (tenant, version, key), rendering it on a miss. `render` returns null when the page is
   * not the same for every anonymous visitor (e.g. a restricted document); nothing is stored then.
   * Concurrent misses share one render.
   */
  async page(
    tenantId: string,
    version: string,
    key: string,
    render: () => Promise<{ html: string; meta: M } | null>,
  ): Promise<CachedPage<M> | null> {
    const id = `${tenantId}\n${key}`;
    const hit = this.entries.get(id);
    if (hit && hit.version === version) {
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit.page;
    }
    const flight = `${id}\n${version}`;
    const pending = this.rendering.get(flight);
    if (pending) return pending;
    const promise = render()
      .then((out) => (out ? this.store(id, version, out.html, out.meta) : null))
      .finally(() => this.rendering.delete(flight));
    this.rendering.set(flight, promise);
    return promise;
  }

  private store(id: string, version: string, html: string, meta: M): CachedPage<M> {
    const body = new TextEncoder().encode(html);
    const page = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`, meta };
    // A render that started before a newer version was seen must not replace that version's entry.
    const current = this.entries.get(id);
    if (current && BigInt(current.version) > BigInt(version)) return page;
    if (current) this.drop(id, current);
    if (body.byteLength > this.maxBytes) return page;
    this.entries.set(id, { version, page });
    this.bytes += body.byteLength;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(oldest, entry);
    }
    return page;
  }

  private drop(id: string, entry: Entry<M>): void {
    this.entries.delete(id);
    this.bytes -= entry.page.body.byteLength;
  }
}

/** True when an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for GET). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
