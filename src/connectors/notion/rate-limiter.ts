export interface RateLimitOptions {
  /** Sustained requests per second. */
  rps: number;
  /** Requests allowed back to back after a quiet period. */
  burst: number;
}

export interface RateLimiter {
  /** Resolves when the caller may send one HTTP request. Waiters are served first come, first served. */
  acquire(): Promise<void>;
  /** Holds every caller until `ms` from now (a 429's Retry-After), then restarts gently. */
  pauseFor(ms: number): void;
}

/**
 * Requests are paced slightly under the configured rate. Notion meters requests as they arrive, and
 * network jitter can make a request sent exactly on time arrive early; without headroom one such request
 * in a long run earns a 429 and a retry that costs far more than 2 %.
 */
const PACING_HEADROOM = 0.98;

class TokenBucket implements RateLimiter {
  private readonly rps: number;
  private readonly burst: number;
  private tokens: number;
  private updatedAt = Date.now();
  private pausedUntil = 0;
  private readonly waiters: Array<() => void> = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor({ rps, burst }: RateLimitOptions) {
    if (!(rps > 0) || !(burst >= 1)) throw new RangeError('rate limit needs rps > 0 and burst >= 1');
    this.rps = rps * PACING_HEADROOM;
    this.burst = burst;
    this.tokens = burst;
  }

  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.drain();
    });
  }

  pauseFor(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    // After the pause only one request goes at once; the rest follow at the sustained rate, so a
    // queue that built up during the pause does not burst straight into another 429.
    this.tokens = 1;
    this.updatedAt = until;
  }

  private refill(now: number): void {
    if (now <= this.updatedAt) return;
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.rps);
    this.updatedAt = now;
  }

  private drain(): void {
    if (this.timer !== null) return;
    while (this.waiters.length > 0) {
      const now = Date.now();
      this.refill(now);
      const waitMs = Math.max(this.pausedUntil - now, this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.rps) * 1000);
      if (waitMs > 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.drain();
        }, Math.ceil(waitMs));
        return;
      }
      this.tokens -= 1;
      this.waiters.shift()?.();
    }
  }
}

/** A token-bucket limiter of its own (tests, one-off tools). */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  return new TokenBucket(options);
}

const registry = new Map<string, RateLimiter>();

/**
 * The process-wide limiter of one Notion connection. Notion budgets requests per connection, so
 * every job working on the same connection in this process must draw from the same bucket; the
 * first caller's options win.
 */
export function limiterFor(connectionKey: string, options: RateLimitOptions): RateLimiter {
  let limiter = registry.get(connectionKey);
  if (!limiter) {
    limiter = new TokenBucket(options);
    registry.set(connectionKey, limiter);
  }
  return limiter;
}
