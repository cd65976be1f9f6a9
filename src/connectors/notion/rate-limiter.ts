import type { Db } from '../../platform/db/tenant-scope.ts';
import type { Logger } from '../../platform/logger.ts';
import { pauseBucket, pauseRemaining, reserveSlot } from './rate-limit.repo.ts';

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The budget of one connection shared by every process through the database (see rate-limit.repo.ts):
 * web, workers and the CLI draw from one bucket, and a 429 any of them receives pauses all of them.
 * Each request costs one statement; a request that waited re-checks for a pause another process set
 * meanwhile, since its slot was reserved before that 429. If the database cannot be reached, requests are
 * paced by this process's own bucket instead of failing the Notion work.
 */
class SharedTokenBucket implements RateLimiter {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly fallback: TokenBucket;

  constructor(
    private readonly db: Db,
    private readonly key: string,
    options: RateLimitOptions,
    private readonly logger: Logger | undefined,
  ) {
    this.fallback = new TokenBucket(options);
    this.intervalMs = 1000 / (options.rps * PACING_HEADROOM);
    this.toleranceMs = (options.burst - 1) * this.intervalMs;
  }

  async acquire(): Promise<void> {
    try {
      for (;;) {
        const waitMs = await reserveSlot(this.db, this.key, this.intervalMs, this.toleranceMs);
        if (waitMs <= 0) return;
        await sleep(waitMs);
        if ((await pauseRemaining(this.db, this.key)) <= 0) return;
      }
    } catch (err) {
      this.logger?.warn({ err }, 'shared Notion rate limit unavailable; pacing this process on its own');
      return this.fallback.acquire();
    }
  }

  pauseFor(ms: number): void {
    this.fallback.pauseFor(ms);
    pauseBucket(this.db, this.key, ms, this.toleranceMs).catch((err: unknown) =>
      this.logger?.warn({ err }, 'could not share a Notion rate-limit pause'),
    );
  }
}

/** A limiter drawing from the database bucket `key` (each process makes its own; the bucket is shared). */
export function createSharedRateLimiter(db: Db, key: string, options: RateLimitOptions, logger?: Logger): RateLimiter {
  return new SharedTokenBucket(db, key, options, logger);
}

const registry = new Map<string, RateLimiter>();

/**
 * The limiter of one Notion connection. Notion budgets requests per connection, so every job working on
 * the same connection, in this process and in every other one on the same database, draws from one
 * bucket kept in the database; the first caller's options win in this process.
 */
export function limiterFor(
  connectionKey: string,
  options: RateLimitOptions,
  shared: { db: Db; logger?: Logger },
): RateLimiter {
  let limiter = registry.get(connectionKey);
  if (!limiter) {
    limiter = createSharedRateLimiter(shared.db, connectionKey, options, shared.logger);
    registry.set(connectionKey, limiter);
  }
  return limiter;
}
