import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';

/** Nango's error envelope: `{error:{code, message?, ...}}`. */
export function nangoError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message?: string,
  extra: Record<string, unknown> = {},
) {
  return c.json(
    {
      error: { code, ...(message === undefined ? {} : { message }), ...extra },
    },
    status,
  );
}

/** Zod issues in the `errors` list shape Nango's validators return. */
export function zodErrors(err: ZodError) {
  return err.issues.map((i) => ({
    code: i.code,
    message: i.message,
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
  }));
}

const SECRET_KEY_PATTERN = /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/i;

/** True when `key` has the UUID v4 format Nango requires of environment secret keys. */
export function isSecretKeyFormat(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key);
}

/** Environment API-key check with Nango's exact 401 bodies. */
export function secretKeyAuth(secretKey: string): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) {
      return nangoError(
        c,
        401,
        'missing_auth_header',
        'Authentication failed. The request is missing the Authorization header.',
      );
    }
    const key = header.replace(/^Bearer\s+/i, '').trim();
    if (!isSecretKeyFormat(key)) {
      return nangoError(
        c,
        401,
        'invalid_secret_key_format',
        'Authentication failed. The provided secret key is not a UUID v4.',
      );
    }
    if (key !== secretKey) {
      return nangoError(
        c,
        401,
        'unknown_account',
        'Authentication failed. The provided authorization header does not match any account.',
      );
    }
    await next();
    return undefined;
  };
}

/** Rejects any query string, as Nango's body-only endpoints do. */
export function rejectQuery(c: Context) {
  const keys = Object.keys(c.req.queries());
  if (keys.length === 0) return undefined;
  return nangoError(c, 400, 'invalid_query_params', undefined, {
    errors: keys.map((k) => ({
      code: 'unrecognized_keys',
      message: `Unrecognized key: "${k}"`,
      path: [],
    })),
  });
}
