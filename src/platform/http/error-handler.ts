import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from '../logger.ts';
import { AppError } from '../errors.ts';
import { isUnstorableText } from '../db/errors.ts';

/** Render any thrown error as `{"error":{"code","message"}}`; unknown errors become an opaque 500. */
export function handleError(err: Error, c: Context, logger: Logger): Response {
  // A client that disconnected mid-request made that choice; it is not a failure of ours to alert on.
  if (c.req.raw.signal.aborted || (err instanceof AppError && err.code === 'request_aborted')) {
    logger.debug({ path: c.req.path, err: err.message }, 'request aborted by the client');
    return c.json({ error: { code: 'request_aborted', message: 'The request was interrupted.' } }, 400);
  }
  if (isUnstorableText(err)) {
    logger.warn({ path: c.req.path }, 'text the database cannot store reached it past input hygiene');
    return handleError(
      new AppError({ code: 'invalid_input', message: 'The input contains characters that cannot be stored.' }),
      c,
      logger,
    );
  }
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
