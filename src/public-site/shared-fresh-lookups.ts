/**
 * Lookups shared by concurrent callers without ever answering a caller from a query that started before
 * the caller arrived (such a query may predate a write the caller must see, e.g. a publish). A caller that
 * arrives while a lookup for its key runs waits for the next one, which starts when the running one ends and
 * serves everyone who arrived meanwhile: under load, one query per round trip per key instead of one per
 * caller, and never a stale answer.
 */
export class SharedFreshLookups<T> {
  private readonly flights = new Map<string, { running: Promise<T> | null; next: Promise<T> | null }>();

  run(key: string, lookup: () => Promise<T>): Promise<T> {
    let flight = this.flights.get(key);
    if (!flight) this.flights.set(key, (flight = { running: null, next: null }));
    const f = flight;
    if (f.next) return f.next;
    const start = () => {
      const query = lookup();
      f.running = query;
      const settle = () => {
        if (f.running === query) f.running = null;
        if (!f.running && !f.next && this.flights.get(key) === f) this.flights.delete(key);
      };
      query.then(settle, settle);
      return query;
    };
    if (!f.running) return start();
    const ignore = () => undefined;
    f.next = f.running.then(ignore, ignore).then(() => {
      f.next = null;
      return start();
    });
    return f.next;
  }

  /** Keys with a lookup running or queued (0 when idle: nothing is kept between lookups). */
  get size(): number {
    return this.flights.size;
  }
}
