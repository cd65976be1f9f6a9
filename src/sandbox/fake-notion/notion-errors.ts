import { randomUUID } from 'node:crypto';

/** A JSON response carrying a fresh `request_id`, as every Notion response does. */
export function notionJson(
  body: Record<string, unknown>,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ ...body, request_id: randomUUID() }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** An error in Notion's exact shape: `{object:"error", status, code, message, request_id}`. */
export function notionError(
  status: number,
  code: string,
  message: string,
  extra: {
    headers?: Record<string, string>;
    additionalData?: Record<string, unknown>;
  } = {},
): Response {
  const body: Record<string, unknown> = {
    object: 'error',
    status,
    code,
    message,
  };
  if (extra.additionalData) body.additional_data = extra.additionalData;
  return notionJson(body, status, extra.headers);
}

export const invalidRequestUrl = () => notionError(400, 'invalid_request_url', 'Invalid request URL.');

export const validationError = (message: string) => notionError(400, 'validation_error', message);

/** The 5xx answers Notion (and the edge in front of it) give when it is unwell. */
export function serverFailure(status: 429 | 500 | 502 | 503 | 504 | 529): Response {
  switch (status) {
    case 429:
      // As the rate limiter answers (Notion sends whole seconds in Retry-After).
      return notionError(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.', {
        headers: { 'retry-after': '1' },
      });
    case 500:
      return notionError(500, 'internal_server_error', 'Unexpected error occurred.');
    case 502:
      // A bad gateway comes from the edge, not the API, so it is HTML rather than Notion JSON.
      return new Response('<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>', {
        status: 502,
        headers: { 'content-type': 'text/html' },
      });
    case 503:
      return notionError(503, 'service_unavailable', 'Notion is unavailable. Please try again later.');
    case 504:
      return notionError(504, 'gateway_timeout', 'Notion timed out while processing the request.');
    case 529:
      return notionError(529, 'service_overload', 'Notion is currently overloaded. Please try again later.');
  }
}
