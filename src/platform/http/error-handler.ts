import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../logger.ts';
import { AppError } from '../errors.ts';
import { isConnectionError, isUnstorableText } from '../db/errors.ts';

/** Seconds a client should wait before trying a request that failed on a lost database connection. */
const DATABASE_RETRY_AFTER_SECONDS = 1;

/**
 * Render any thrown error as `{"error":{"code","message"}}`; unknown errors become an opaque 500. A lost
 * database connection is not a bug but a transient fault (failover, restart, a terminated session): it
 * answers 503 `database_unavailable` with Retry-After, which clients and load balancers retry.
 */
export function handleError(thrown: Error, c: Context, logger: Logger): Response {
  let err = thrown;
  // A client that disconnected mid-request made that choice; it is not a failure of ours to alert on.
  if (c.req.raw.signal.aborted || (err instanceof AppError && err.code === 'request_aborted')) {
    logger.debug({ path: c.req.path, err: err.message }, 'request aborted by the client');
    return c.json({ error: { code: 'request_aborted', message: 'The request was interrupted.' } }, 400);
  }
  if (isUnstorableText(err)) {
    logger.warn({ path: c.req.path }, 'text the database cannot store reached it past input hygiene');
    err = new AppError({ code: 'invalid_input', message: 'The input contains characters that cannot be stored.' });
  } else if (!(err instanceof AppError) && isConnectionError(err)) {
    logger.warn({ err }, 'request failed on a lost database connection');
    c.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    err = new AppError({
      code: 'database_unavailable',
      message: 'The service is briefly unavailable. Please try again in a moment.',
      cause: thrown,
    });
  }
  if (err instanceof AppError) {
    if (err.status >= 500 && err.code !== 'database_unavailable')
      logger.error({ err, code: err.code, internal: err.internal }, 'request failed');
    else if (err.internal) logger.info({ code: err.code, internal: err.internal }, 'request rejected');
    const body = {
      error: {
        code: err.code,
        message: err.message,
        ...(err.details === undefined ? {} : { details: err.details }),
      },
    };
    return c.json(body, err.status as ContentfulStatusCode);
  }
  if (err instanceof HTTPException) {
    const code = err.status === 413 ? 'payload_too_large' : 'http_error';
    return c.json({ error: { code, message: err.message || 'Request rejected.' } }, err.status);
  }
  logger.error({ err }, 'unhandled error');
  return c.json(
    {
      error: {
        code: 'internal_error',
        message: 'Something went wrong on our side. Please try again.',
      },
    },
    500,
  );
}
