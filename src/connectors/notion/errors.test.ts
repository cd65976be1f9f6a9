import { APIErrorCode, APIResponseError, RequestTimeoutError, UnknownHTTPResponseError } from '@notionhq/client';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { NOTION_ERROR_CODES, NOTION_ERROR_POLICY, notionErrorKind, toNotionError } from './errors.ts';

const apiError = (status: number, code: APIErrorCode, headers: Record<string, string> = {}) =>
  new APIResponseError({
    code,
    status,
    message: 'x',
    headers: new Headers(headers),
    rawBodyText: '{}',
    additional_data: undefined,
    request_id: 'req-1',
  });

const rawError = (status: number, body: string) =>
  new UnknownHTTPResponseError({
    status,
    message: undefined,
    headers: new Headers(),
    rawBodyText: body,
  });

describe('toNotionError', () => {
  it.each([
    [404, APIErrorCode.ObjectNotFound, 'notion_not_found'],
    [403, APIErrorCode.RestrictedResource, 'notion_forbidden'],
    [401, APIErrorCode.Unauthorized, 'notion_unauthorized'],
    [429, APIErrorCode.RateLimited, 'notion_rate_limited'],
    [500, APIErrorCode.InternalServerError, 'notion_transient'],
    [503, APIErrorCode.ServiceUnavailable, 'notion_transient'],
    [529, APIErrorCode.ServiceOverload, 'notion_transient'],
    [504, APIErrorCode.GatewayTimeout, 'notion_transient'],
    [400, APIErrorCode.ValidationError, 'notion_invalid_request'],
    [400, APIErrorCode.InvalidRequestURL, 'notion_invalid_request'],
  ])('maps %i %s to %s', (status, code, kind) => {
    const err = toNotionError(apiError(status, code), 'op');
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe(kind);
    expect(notionErrorKind(err)).toBe(kind);
  });

  it('keeps Retry-After in the details', () => {
    expect(toNotionError(apiError(429, APIErrorCode.RateLimited, { 'retry-after': '7' }), 'op').details).toMatchObject({
      retryAfterMs: 7000,
    });
  });

  it('maps non-Notion bodies by status (e.g. missing_version, HTML 502)', () => {
    expect(toNotionError(rawError(400, '{"object":"error","code":"missing_version","message":"m"}'), 'op').code).toBe(
      'notion_invalid_request',
    );
    expect(toNotionError(rawError(502, '<html>502</html>'), 'op').code).toBe('notion_transient');
  });

  it('recognises Nango proxy errors', () => {
    const missingConnection = '{"error":{"code":"server_error","message":"Failed to get connection"}}';
    expect(toNotionError(rawError(400, missingConnection), 'op').code).toBe('notion_unauthorized');
    expect(toNotionError(rawError(429, '{"error":{"code":"too_many_request"}}'), 'op').code).toBe(
      'notion_rate_limited',
    );
    expect(toNotionError(rawError(404, '{"error":{"code":"unknown_provider_config"}}'), 'op').code).toBe(
      'notion_invalid_request',
    );
  });

  it('treats timeouts and network failures as transient', () => {
    expect(toNotionError(new RequestTimeoutError(), 'op').code).toBe('notion_transient');
    expect(toNotionError(new TypeError('fetch failed'), 'op').code).toBe('notion_transient');
  });

  it('has a policy for every kind and ignores foreign errors', () => {
    expect(Object.keys(NOTION_ERROR_POLICY).sort()).toEqual([...NOTION_ERROR_CODES].sort());
    expect(notionErrorKind(new AppError({ code: 'not_found', message: 'x' }))).toBeNull();
    expect(notionErrorKind(new Error('x'))).toBeNull();
  });
});
