import { APIResponseError, RequestTimeoutError, UnknownHTTPResponseError, isHTTPResponseError } from '@notionhq/client';
import { z } from 'zod';
import { AppError, isAppError } from '../../platform/errors.ts';
import { retryAfterMs } from '../../platform/http/retry-after.ts';

/** The closed set of ways a Notion call can fail, as the rest of the app sees them. */
export const NOTION_ERROR_CODES = [
  'notion_not_found',
  'notion_forbidden',
  'notion_unauthorized',
  'notion_rate_limited',
  'notion_transient',
  'notion_invalid_request',
] as const;
export type NotionErrorCode = (typeof NOTION_ERROR_CODES)[number];

export type NotionErrorPolicy = 'skip' | 'retry' | 'needs_reauth' | 'fail';

/**
 * What the connector does with each kind. Not found / forbidden mean this one object is gone or no longer
 * shared, so the rest of the work continues without it. Rate limits and transient failures already went
 * through the gateway's bounded retries (the one retry layer), so the unit of work ends with its reason: an
 * import item fails and can be re-imported, a sync run fails and the next run resumes from its checkpoint.
 * A rejected token cannot heal by waiting: the connection needs the user to reconnect. An invalid request
 * is our bug (or a misconfigured proxy) and must surface.
 */
export const NOTION_ERROR_POLICY: Record<NotionErrorCode, NotionErrorPolicy> = {
  notion_not_found: 'skip',
  notion_forbidden: 'skip',
  notion_unauthorized: 'needs_reauth',
  notion_rate_limited: 'retry',
  notion_transient: 'retry',
  notion_invalid_request: 'fail',
};

const USER_MESSAGES: Record<NotionErrorCode, string> = {
  notion_not_found: 'The Notion page or database was not found or is no longer shared with the integration.',
  notion_forbidden: 'The Notion integration is not allowed to read this content.',
  notion_unauthorized: 'The Notion connection is no longer authorized. Please reconnect Notion.',
  notion_rate_limited: 'Notion is rate limiting requests. Please try again in a few minutes.',
  notion_transient: 'Notion is temporarily unavailable. Please try again later.',
  notion_invalid_request: 'Notion rejected a request from the Trust Center.',
};

/** Notion's error codes (see its status-codes reference) by kind. */
const BY_NOTION_CODE: Record<string, NotionErrorCode> = {
  object_not_found: 'notion_not_found',
  restricted_resource: 'notion_forbidden',
  unauthorized: 'notion_unauthorized',
  invalid_grant: 'notion_unauthorized',
  rate_limited: 'notion_rate_limited',
  internal_server_error: 'notion_transient',
  service_unavailable: 'notion_transient',
  database_connection_unavailable: 'notion_transient',
  gateway_timeout: 'notion_transient',
  service_overload: 'notion_transient',
};

function byStatus(status: number): NotionErrorCode {
  if (status === 401) return 'notion_unauthorized';
  if (status === 403) return 'notion_forbidden';
  if (status === 404) return 'notion_not_found';
  if (status === 429) return 'notion_rate_limited';
  if (status >= 500) return 'notion_transient';
  return 'notion_invalid_request';
}

const nangoErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string().optional() }),
});

/**
 * Errors produced by the Nango proxy itself (shape `{error:{code}}`, never Notion's `object:"error"`).
 * A missing connection or failed credential refresh means the user must reconnect; anything else
 * Nango rejects is our configuration.
 */
function nangoKind(status: number, body: string): NotionErrorCode | null {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return null;
  }
  const parsed = nangoErrorSchema.safeParse(json);
  if (!parsed.success) return null;
  const { code, message = '' } = parsed.data.error;
  if (code === 'connection_refresh_backoff' || /failed to get connection/i.test(message)) return 'notion_unauthorized';
  if (code === 'too_many_request') return 'notion_rate_limited';
  return status >= 500 ? 'notion_transient' : 'notion_invalid_request';
}

function retryAfterOf(headers: unknown): number | undefined {
  return retryAfterMs(headers instanceof Headers ? headers.get('retry-after') : null) ?? undefined;
}

/** Builds the one AppError for a Notion failure of `kind` during `operation`. */
export function notionError(
  kind: NotionErrorCode,
  operation: string,
  extra: {
    internal?: string;
    details?: Record<string, unknown>;
    cause?: unknown;
  } = {},
): AppError {
  return new AppError({
    code: kind,
    message: USER_MESSAGES[kind],
    internal: `notion ${operation}: ${extra.internal ?? kind}`,
    details: { operation, ...extra.details },
    cause: extra.cause,
  });
}

/** Maps anything thrown while calling Notion (SDK error, network error, timeout) to the AppError. */
export function toNotionError(err: unknown, operation: string): AppError {
  if (isAppError(err)) return err;
  if (APIResponseError.isAPIResponseError(err)) {
    const kind = BY_NOTION_CODE[err.code] ?? byStatus(err.status);
    return notionError(kind, operation, {
      internal: `${err.status} ${err.code}: ${err.message}`,
      details: {
        notionCode: err.code,
        status: err.status,
        requestId: err.request_id,
        retryAfterMs: retryAfterOf(err.headers),
      },
      cause: err,
    });
  }
  if (err instanceof UnknownHTTPResponseError || isHTTPResponseError(err)) {
    const kind = nangoKind(err.status, err.body) ?? byStatus(err.status);
    return notionError(kind, operation, {
      internal: `${err.status} ${err.body.slice(0, 200)}`,
      details: { status: err.status, retryAfterMs: retryAfterOf(err.headers) },
      cause: err,
    });
  }
  if (err instanceof RequestTimeoutError)
    return notionError('notion_transient', operation, {
      internal: 'request timed out',
      cause: err,
    });
  // fetch() rejects with a TypeError for DNS, connection reset and similar network failures.
  const message = err instanceof Error ? err.message : String(err);
  return notionError('notion_transient', operation, {
    internal: `network error: ${message}`,
    cause: err,
  });
}

/** The Notion error kind of `err`, or null when it is not a Notion failure. */
export function notionErrorKind(err: unknown): NotionErrorCode | null {
  if (!isAppError(err)) return null;
  return (NOTION_ERROR_CODES as readonly string[]).includes(err.code) ? (err.code as NotionErrorCode) : null;
}
