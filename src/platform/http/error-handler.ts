import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../logger.ts';
import { AppError } from '../errors.ts';

/** Render any thrown error as `{"error":{"code","message"}}`; unknown errors become an opaque 500. */
export function handleError(err: Error, c: Context, logger: Logger): Response {
  if (err instanceof AppError) {
    if (err.status >= 500) logger.error({ err, code: err.code, internal: err.internal }, 'request failed');
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
