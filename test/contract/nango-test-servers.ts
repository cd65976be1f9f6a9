import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface TestServer {
  url: string;
  received: ReceivedRequest[];
  /** Resolves with the n-th request (1-based) once it has arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

type Responder = (req: ReceivedRequest) => Reply;

/** A loopback HTTP server that records every request and answers with `respond`. */
export async function startRecordingServer(respond: Responder): Promise<TestServer> {
  const received: ReceivedRequest[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(entry);
      const out = respond(entry);
      res.writeHead(out.status, out.headers ?? {});
      res.end(out.body ?? '');
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async waitFor(count, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${received.length}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
      return received[count - 1] as ReceivedRequest;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** An upstream that echoes method, URL, headers and body as JSON; `/v1/rate-limited` answers Notion's 429. */
export function startEchoUpstream(): Promise<TestServer> {
  return startRecordingServer((req): Reply => {
    if (req.url.startsWith('/v1/rate-limited')) {
      return {
        status: 429,
        headers: {
          'content-type': 'application/json',
          'retry-after': '7',
          'x-notion-request-id': 'abc',
        },
        body: JSON.stringify({
          object: 'error',
          status: 429,
          code: 'rate_limited',
          message: 'Rate limited',
        }),
      };
    }
    return {
      status: 200,
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'req-1',
        'x-internal-upstream': 'hidden',
      },
      body: JSON.stringify({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: req.rawBody,
      }),
    };
  });
}
