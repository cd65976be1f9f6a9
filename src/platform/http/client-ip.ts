import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import ipaddr from 'ipaddr.js';

const CLIENT_IP = 'clientIp';

/**
 * Resolve the caller's address once per request and keep it in the context, so the API and the public
 * site (mounted on the same app) throttle and audit by the same value. With `trustProxy` the first
 * `X-Forwarded-For` entry wins; the proxy in front must set that header itself.
 */
export function clientIpMiddleware(opts: { trustProxy: boolean }): MiddlewareHandler {
  return async (c, next) => {
    c.set(CLIENT_IP, (opts.trustProxy ? forwardedFor(c) : undefined) ?? socketAddress(c));
    await next();
  };
}

/** The caller's address, as resolved by clientIpMiddleware (the socket's address when it did not run). */
export function clientIp(c: Context): string {
  const resolved: unknown = c.get(CLIENT_IP);
  return typeof resolved === 'string' ? resolved : socketAddress(c);
}

function forwardedFor(c: Context): string | undefined {
  const first = c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? '';
  // Only a well-formed address is used, in its canonical form, so one client cannot appear as many keys.
  return ipaddr.isValid(first) ? ipaddr.process(first).toString() : undefined;
}

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
