import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Db } from '../platform/db/tenant-scope.ts';
import { resolveSession } from './sessions.ts';
import { resolveApiToken } from './api-tokens.repo.ts';
import { AppError } from '../platform/errors.ts';
import type { AppEnv } from '../platform/http/app-env.ts';

export const SESSION_COOKIE = 'tc_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Identify the caller from a bearer API token or the session cookie. Cookie-authenticated mutations must
 * echo the session's CSRF token in X-CSRF-Token: a cross-site page can make the browser send the cookie
 * but cannot read the token. Bearer tokens are never sent automatically, so they need no CSRF check.
 */
export function authMiddleware(db: Db): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('actor', undefined);
    const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (bearer) {
      const actor = await resolveApiToken(db, bearer);
      if (!actor)
        throw new AppError({
          code: 'invalid_token',
          message: 'The API token is invalid or has been revoked.',
        });
      c.set('actor', actor);
      return next();
    }
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const session = await resolveSession(db, token);
      if (session) {
        if (!SAFE_METHODS.has(c.req.method) && c.req.header('x-csrf-token') !== session.csrfToken) {
          throw new AppError({
            code: 'csrf_failed',
            message: 'Your session token is missing or stale. Reload the page and try again.',
          });
        }
        c.set('actor', session.actor);
        c.set('csrfToken', session.csrfToken);
        c.set('sessionToken', token);
      }
    }
    return next();
  };
}
