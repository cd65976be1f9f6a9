import type { AppServices } from '../platform/app-services.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { addAnonymousActivity, utcDay, type ActivityTally } from './anonymous-activity.repo.ts';

/** How long anonymous views wait in memory before they are written. */
const FLUSH_INTERVAL_MS = 2_000;
/** Distinct visitors remembered per document and day between two writes; more are counted as views only. */
const MAX_VISITORS_PER_TALLY = 10_000;

/**
 * Anonymous views and downloads, counted in memory and written every couple of seconds in one transaction
 * per workspace. Counting each view in its own transaction made every anonymous request a write on the same
 * counter row, so a popular page served from the cache ran at the speed of that row's lock. A crash loses at
 * most the last interval of anonymous counts (a contact's views are audit entries, written at once), and a
 * failed write keeps its counts for the next attempt.
 */
class AnonymousActivity {
  private pending = new Map<string, Map<string, ActivityTally & { visitors: Set<string> }>>();
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly s: AppServices) {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS).unref();
    s.lifecycle.beforeStop.push(() => {
      clearInterval(this.timer);
      return this.flush();
    });
  }

  count(input: { tenantId: string; documentId: string; kind: 'view' | 'download'; ip: string; userAgent: string }) {
    const tally = this.tally(input.tenantId, input.documentId, utcDay());
    if (input.kind === 'view') tally.views += 1;
    else tally.downloads += 1;
    if (tally.visitors.size < MAX_VISITORS_PER_TALLY) tally.visitors.add(`${input.ip}|${input.userAgent}`);
  }

  /** Write what has been counted so far (writes never overlap; a call waits for the one before). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private tally(tenantId: string, documentId: string, day: string) {
    let byTenant = this.pending.get(tenantId);
    if (!byTenant) this.pending.set(tenantId, (byTenant = new Map()));
    const key = `${documentId}|${day}`;
    let tally = byTenant.get(key);
    if (!tally) byTenant.set(key, (tally = { documentId, day, views: 0, downloads: 0, visitors: new Set() }));
    return tally;
  }

  private async write(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    for (const [tenantId, tallies] of batch) {
      try {
        await withTenant(this.s.db, tenantId, (trx) => addAnonymousActivity(trx, tenantId, [...tallies.values()]));
      } catch (err) {
        this.s.logger.warn({ err }, 'anonymous activity not written yet; kept for the next attempt');
        for (const t of tallies.values()) {
          const back = this.tally(tenantId, t.documentId, t.day);
          back.views += t.views;
          back.downloads += t.downloads;
          for (const v of t.visitors) if (back.visitors.size < MAX_VISITORS_PER_TALLY) back.visitors.add(v);
        }
      }
    }
  }
}

const counters = new WeakMap<AppServices, AnonymousActivity>();

/** This process's counter of anonymous activity (one per running app). */
export function anonymousActivity(s: AppServices): AnonymousActivity {
  let counter = counters.get(s);
  if (!counter) counters.set(s, (counter = new AnonymousActivity(s)));
  return counter;
}
