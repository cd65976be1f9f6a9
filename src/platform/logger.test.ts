import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

/** The shape of an axios error: the request config (with our headers) and the raw request/response ride along. */
function axiosLikeError(): Error {
  const headers = {
    Authorization: 'Bearer nango-secret-key',
    'Provider-Config-Key': 'notion',
  };
  return Object.assign(new Error('Request failed with status code 401'), {
    name: 'AxiosError',
    code: 'ERR_BAD_REQUEST',
    isAxiosError: true,
    config: {
      url: 'https://api.nango.dev/proxy/v1/pages',
      method: 'get',
      headers,
    },
    request: {
      _header: 'GET /proxy/v1/pages HTTP/1.1\r\nAuthorization: Bearer nango-secret-key\r\n',
    },
    response: {
      status: 401,
      headers: { 'set-cookie': 'session=abc' },
      config: { headers },
      data: { error: 'unauthorized' },
    },
  });
}

describe('createLogger error serializer', () => {
  it('drops request config, request, response and headers from logged errors', () => {
    const { logger, lines } = capture();
    const inner = Object.assign(new Error('nested'), {
      headers: { authorization: 'Bearer nested-secret' },
    });
    logger.error({ err: axiosLikeError() }, 'nango call failed');
    logger.error({ err: Object.assign(new Error('outer'), { inner }) }, 'wrapped failure');
    const output = lines.join('');
    expect(output).not.toContain('nango-secret-key');
    expect(output).not.toContain('nested-secret');
    expect(output).not.toContain('session=abc');
    const first = JSON.parse(lines[0]!) as { err: Record<string, unknown> };
    expect(first.err).toMatchObject({
      type: 'Error',
      message: 'Request failed with status code 401',
      code: 'ERR_BAD_REQUEST',
    });
    expect(first.err.stack).toMatch(/^AxiosError: Request failed/);
    for (const key of ['config', 'request', 'response', 'headers']) expect(first.err).not.toHaveProperty(key);
    const second = JSON.parse(lines[1]!) as {
      err: { inner: Record<string, unknown> };
    };
    expect(second.err.inner).toMatchObject({ message: 'nested' });
    expect(second.err.inner).not.toHaveProperty('headers');
  });

  it('leaves values that are not errors alone', () => {
    const { logger, lines } = capture();
    logger.warn({ err: 'connection refused' }, 'mail delivery failed');
    expect((JSON.parse(lines[0]!) as { err: unknown }).err).toBe('connection refused');
  });
});
