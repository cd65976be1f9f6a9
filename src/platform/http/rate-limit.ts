import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import { clientIp } from './client-ip.ts';

/**
 * A per-address request limit over a sliding pair of fixed windows, kept in this process's memory: cheap
 * enough to run before any database work, which is the point (each replica of the app counts on its own,
 * so the effective limit is per replica). Past the limit the answer is 429 with Retry-After.
 */
export function rateLimitByAddress(opts: { perMinute: number }): MiddlewareHandler {
  const windowMs = 60_000;
  let windowStart = 0;
  let current = new Map<string, number>();
  let previous = new Map<string, number>();
  return async (c, next) => {
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      // Forgetting the window before last keeps memory bounded by the addresses seen in two minutes.
      previous = now - windowStart >= 2 * windowMs ? new Map() : current;
      current = new Map();
      windowStart = now - ((now - windowStart) % windowMs);
    }
    const ip = clientIp(c);
    const count = (current.get(ip) ?? 0) + 1;
    current.set(ip, count);
    // The previous window's share still inside the last minute keeps a burst at the boundary from doubling.
    const weighted = count + (previous.get(ip) ?? 0) * (1 - (now - windowStart) / windowMs);
    if (weighted > opts.perMinute) {
      const retryAfter = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
      c.header('Retry-After', String(retryAfter));
      throw new AppError({
        code: 'too_many_requests',
        message: 'Too many requests from your network. Please wait a minute and try again.',
        details: { retryAfterSeconds: retryAfter },
      });
    }
    await next();
  };
}
