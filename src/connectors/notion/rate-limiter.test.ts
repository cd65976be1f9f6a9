import type { Db } from '../../platform/db/tenant-scope.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, limiterFor } from './rate-limiter.ts';

/** Starts `n` acquires and records the fake-clock time at which each one was granted. */
function grantTimes(limiter: ReturnType<typeof createRateLimiter>, n: number, start: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) void limiter.acquire().then(() => times.push(Date.now() - start));
  return times;
}

describe('token bucket rate limiter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets a burst through at once, then paces just under rps', async () => {
    const start = Date.now();
    const limiter = createRateLimiter({ rps: 2, burst: 3 });
    const times = grantTimes(limiter, 6, start);
    await vi.advanceTimersByTimeAsync(0);
    expect(times).toEqual([0, 0, 0]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(times).toHaveLength(6);
    // 2 % headroom: 1000 / (2 × 0.98) ≈ 510 ms apart, never faster than the configured 500 ms.
    times.slice(3).forEach((t, i) => {
      expect(t).toBeGreaterThanOrEqual(510 * (i + 1));
      expect(t).toBeLessThanOrEqual(510 * (i + 1) + 3);
    });
  });

  it('serves waiters in arrival order', async () => {
    const limiter = createRateLimiter({ rps: 10, burst: 1 });
    const order: number[] = [];
    const granted = Promise.all([1, 2, 3, 4].map((n) => limiter.acquire().then(() => order.push(n))));
    await vi.advanceTimersByTimeAsync(1000);
    await granted;
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('holds everyone during a Retry-After pause and restarts with a single request', async () => {
    const start = Date.now();
    const limiter = createRateLimiter({ rps: 1, burst: 5 });
    limiter.pauseFor(3000);
    const times = grantTimes(limiter, 3, start);
    await vi.advanceTimersByTimeAsync(2999);
    expect(times).toEqual([]);
    await vi.advanceTimersByTimeAsync(2100);
    expect(times).toHaveLength(3);
    expect(times[0]).toBe(3000);
    expect(times[1]).toBeGreaterThanOrEqual(3000 + 1020);
    expect(times[2]).toBeGreaterThanOrEqual(3000 + 2040);
  });

  it('never shortens a pause that is already longer', async () => {
    const start = Date.now();
    const limiter = createRateLimiter({ rps: 100, burst: 1 });
    limiter.pauseFor(2000);
    limiter.pauseFor(500);
    const times = grantTimes(limiter, 1, start);
    await vi.advanceTimersByTimeAsync(2500);
    expect(times).toEqual([2000]);
  });

  it('rejects nonsensical settings', () => {
    expect(() => createRateLimiter({ rps: 0, burst: 1 })).toThrow(RangeError);
    expect(() => createRateLimiter({ rps: 1, burst: 0 })).toThrow(RangeError);
  });
});

describe('limiterFor', () => {
  it('shares one limiter per connection key across the process', () => {
    // The shared bucket only touches the database when a request asks for a slot.
    const shared = { db: {} as Db };
    const a = limiterFor('tenant-1:conn-a', { rps: 3, burst: 10 }, shared);
    expect(limiterFor('tenant-1:conn-a', { rps: 99, burst: 99 }, shared)).toBe(a);
    expect(limiterFor('tenant-1:conn-b', { rps: 3, burst: 10 }, shared)).not.toBe(a);
  });
});
