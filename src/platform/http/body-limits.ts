import type { Context } from 'hono';
import { AppError, appError } from '../errors.ts';

/**
 * The one request-size policy. Every endpoint belongs to a class, and the router holds each request to its
 * class before the handler runs: a declared length over the cap is a 413 before a byte is read, and a body
 * without a declared length is counted as it streams and cut off at the cap. Nothing is ever read whole
 * before it is bounded, and a multipart body is accepted only where an upload is declared.
 */
export const BODY_LIMITS = {
  /** JSON API bodies: credentials, settings, ids. Larger documents declare their own cap. */
  json: 64 * 1024,
  /** Signed webhooks: Nango's auth webhooks are a few hundred bytes. */
  webhook: 256 * 1024,
  /** Public-site forms (access requests, sign-in, NDA). */
  form: 32 * 1024,
  /** Endpoints that take no body at all still get a token allowance (some clients send `{}`). */
  none: 1024,
} as const;

/** Room for multipart boundaries and the text fields that travel with an uploaded file. */
export const MULTIPART_OVERHEAD = 64 * 1024;

const BODY_MAX = 'bodyMaxBytes';

export const payloadTooLarge = (maxBytes: number) =>
  new AppError({
    code: 'payload_too_large',
    message: `The request body is larger than the limit of ${maxBytes} bytes.`,
    details: { maxBytes },
  });

/**
 * Hold the request to `maxBytes`: refuse a declared Content-Length over it now, and remember the cap so the
 * readers below enforce it on bodies sent without a length (chunked).
 */
export function applyBodyLimit(c: Context, maxBytes: number): void {
  const declared = c.req.header('content-length');
  if (declared !== undefined && (!/^\d+$/.test(declared) || Number(declared) > maxBytes)) {
    throw payloadTooLarge(maxBytes);
  }
  c.set(BODY_MAX, maxBytes);
}

/** The cap set by applyBodyLimit (the JSON cap when a reader runs outside the router). */
export function bodyLimitOf(c: Context): number {
  const max: unknown = c.get(BODY_MAX);
  return typeof max === 'number' ? max : BODY_LIMITS.json;
}

/** True when the request declares a multipart body. */
export const isMultipart = (c: Context) =>
  (c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data');

/**
 * The request body as a stream that errors with 413 once more than the cap has passed, so a lying or absent
 * Content-Length cannot make a reader buffer more. A client that goes away mid-body becomes
 * `request_aborted`, which is logged at debug: it is the client's choice, not our failure.
 */
export function boundedBodyStream(c: Context): ReadableStream<Uint8Array> | null {
  const body = c.req.raw.body;
  if (!body) return null;
  const maxBytes = bodyLimitOf(c);
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) controller.error(payloadTooLarge(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** Read the whole (bounded) body as UTF-8 text; the cap is the route's, so memory use is at most that. */
export async function readBoundedText(c: Context): Promise<string> {
  const stream = boundedBodyStream(c);
  if (!stream) return '';
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    throw err instanceof AppError ? err : requestAborted(err);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The client stopped sending mid-body (closed the connection or aborted the request). */
export const requestAborted = (cause: unknown) =>
  new AppError({ code: 'request_aborted', message: 'The request was interrupted before its body arrived.', cause });

/** 415 for a multipart body sent to an endpoint that declares no upload. */
export const noUploadHere = () =>
  appError('unsupported_media_type', 'This endpoint does not take file uploads; send application/json.');
