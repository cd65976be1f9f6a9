import { createHash } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadToStorage, type DownloadPolicy, type ResolveHost } from '../../src/platform/storage/safe-download.ts';
import { AppError } from '../../src/platform/errors.ts';
import { createStorage, type FileStorage } from '../../src/platform/storage/storage.ts';

/** A small but well-formed PDF (valid xref offsets); `lines` pads the page content to grow the file. */
function makePdf(lines: number): Buffer {
  const content = [
    'BT /F1 12 Tf 20 50 Td (Trust Center test) Tj ET',
    ...Array.from({ length: lines }, (_, i) => `% filler line ${i}`),
  ].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A valid 1×1 RGBA PNG. */
function makePng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([len, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 20, 120, 200, 255]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PDF = makePdf(6000);
const PNG = makePng();
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Write `chunk` until the client goes away (or `limit` bytes), honouring backpressure. */
async function writeUntilClosed(res: ServerResponse, chunk: Buffer, limit = Infinity): Promise<void> {
  let sent = 0;
  while (!res.destroyed && sent < limit) {
    sent += chunk.length;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done).off('close', done);
          resolve();
        };
        res.on('drain', done).on('close', done);
      });
    }
  }
  res.end();
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const routes = new Map<string, Handler>([
  [
    '/doc.pdf',
    (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename*=UTF-8''SOC%202%20Report.pdf`,
      });
      res.end(PDF);
    },
  ],
  [
    '/assets/logo',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(PNG);
    },
  ],
  [
    '/fake.pdf',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.end('<!doctype html><html><body>Please sign in</body></html>');
    },
  ],
  [
    '/page.html',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><html><body>Hello</body></html>');
    },
  ],
  [
    '/controls.csv',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
      res.end('control,status\nMFA,enabled\n');
    },
  ],
  [
    '/declared-huge.pdf',
    (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-length': String(50 * 1024 * 1024),
      });
      res.write(PDF.subarray(0, 1024));
    },
  ],
  [
    '/endless.pdf',
    async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.write(PDF.subarray(0, 5000));
      await writeUntilClosed(res, Buffer.alloc(16 * 1024, 0x20), 20 * 1024 * 1024);
    },
  ],
  ['/no-headers', () => undefined],
  [
    '/stalled-body.pdf',
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.write(PDF.subarray(0, 5000));
    },
  ],
  [
    '/trickle.pdf',
    async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.write(PDF.subarray(0, 5000));
      while (!res.destroyed) {
        await sleep(50);
        res.write(' ');
      }
    },
  ],
  [
    '/expired.pdf',
    (_req, res) => {
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    },
  ],
  [
    '/broken.pdf',
    (_req, res) => {
      res.writeHead(500);
      res.end('oops');
    },
  ],
]);

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const hops = /^\/hops\/(\d+)$/.exec(url.pathname);
  if (hops) {
    const left = Number(hops[1]);
    res.writeHead(302, {
      location: left > 1 ? `/hops/${left - 1}` : `http://127.0.0.1:${port}/doc.pdf`,
    });
    res.end();
    return;
  }
  if (url.pathname === '/redirect') {
    res.writeHead(307, { location: url.searchParams.get('to') ?? '' });
    res.end();
    return;
  }
  const handler = routes.get(url.pathname);
  if (!handler) {
    res.writeHead(404);
    res.end();
    return;
  }
  void handler(req, res);
});
let port = 0;
const base = () => `http://127.0.0.1:${port}`;

// Every socket the process opens, by remote address: proves where traffic went (and where it did not).
const connectedTo: string[] = [];
const undiciConnects: string[] = [];
const onSocket = (message: unknown) => {
  const { socket } = message as { socket: Socket };
  socket.once('connect', () => connectedTo.push(socket.remoteAddress ?? '?'));
};
const onBeforeConnect = (message: unknown) => {
  undiciConnects.push((message as { connectParams: { hostname: string } }).connectParams.hostname);
};

let dir: string;
let storage: FileStorage;
const policy: DownloadPolicy = {
  maxBytes: 1024 * 1024,
  timeoutMs: 2000,
  allowHttpHosts: ['127.0.0.1'],
  allowedContentTypes: ['application/pdf'],
};

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  diagnosticsChannel.subscribe('net.client.socket', onSocket);
  diagnosticsChannel.subscribe('undici:client:beforeConnect', onBeforeConnect);
});
afterAll(async () => {
  diagnosticsChannel.unsubscribe('net.client.socket', onSocket);
  diagnosticsChannel.unsubscribe('undici:client:beforeConnect', onBeforeConnect);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'files-download-'));
  storage = await createStorage({ driver: 'local', dir });
  connectedTo.length = 0;
  undiciConnects.length = 0;
});
afterEach(async () => {
  // Whatever a test did, only loopback was ever contacted.
  expect(connectedTo.every((a) => a === '127.0.0.1')).toBe(true);
  await rm(dir, { recursive: true, force: true });
});

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** Run a download that must fail; return its AppError after checking storage is still empty. */
async function expectFailure(
  url: string,
  overrides: Partial<DownloadPolicy> = {},
  extra: { lookup?: ResolveHost; signal?: AbortSignal } = {},
) {
  const err = await downloadToStorage(url, {
    storage,
    keyPrefix: 't1/files',
    policy: { ...policy, ...overrides },
    ...extra,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect(await storedFiles()).toEqual([]);
  return err as AppError;
}

/** A resolver that maps names to fixed addresses and counts calls. */
function fakeDns(table: Record<string, string[]>) {
  const calls: string[] = [];
  const lookup: ResolveHost = async (hostname) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
      });
    return addresses.map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
  };
  return { lookup, calls };
}

describe('downloadToStorage', () => {
  it('streams a PDF into content-addressed storage', async () => {
    const file = await downloadToStorage(`${base()}/doc.pdf`, {
      storage,
      keyPrefix: 't1/files',
      policy,
      fileNameHint: 'hint.pdf',
    });
    expect(PDF.length).toBeGreaterThan(100_000);
    expect(file).toEqual({
      key: `t1/files/${sha256(PDF)}`,
      size: PDF.length,
      sha256: sha256(PDF),
      contentType: 'application/pdf',
      fileName: 'SOC 2 Report.pdf',
    });
    expect(await buffer(await storage.get(file.key))).toEqual(PDF);
    expect(await storedFiles()).toEqual([path.join('t1', 'files', sha256(PDF))]);
  });

  it('takes the stored type from the bytes, not the header, for images', async () => {
    const file = await downloadToStorage(`${base()}/assets/logo`, {
      storage,
      keyPrefix: 't1/img',
      policy: { ...policy, allowedContentTypes: ['image/'] },
    });
    expect(file).toMatchObject({
      contentType: 'image/png',
      size: PNG.length,
      fileName: 'logo.png',
      sha256: sha256(PNG),
    });
  });

  it('keeps the declared type for text formats that cannot be sniffed', async () => {
    const file = await downloadToStorage(`${base()}/controls.csv`, {
      storage,
      keyPrefix: 't1/files',
      policy: { ...policy, allowedContentTypes: ['text/csv'] },
    });
    expect(file).toMatchObject({
      contentType: 'text/csv',
      fileName: 'controls.csv',
    });
  });

  it('follows up to five redirects', async () => {
    const file = await downloadToStorage(`${base()}/hops/5`, {
      storage,
      keyPrefix: 't1/files',
      policy,
    });
    expect(file.sha256).toBe(sha256(PDF));
    expect(file.fileName).toBe('SOC 2 Report.pdf');
  });

  it('refuses a sixth redirect', async () => {
    const err = await expectFailure(`${base()}/hops/6`);
    expect(err.code).toBe('download_too_many_redirects');
  });

  it('refuses redirects to internal addresses before connecting to them', async () => {
    const toPrivateHttp = await expectFailure(`${base()}/redirect?to=${encodeURIComponent('http://10.0.0.1/')}`);
    expect(toPrivateHttp.code).toBe('download_scheme_not_allowed');

    const toMetadata = await expectFailure(
      `${base()}/redirect?to=${encodeURIComponent('https://169.254.169.254/latest/meta-data/')}`,
    );
    expect(toMetadata.code).toBe('download_forbidden_address');

    const toMappedMetadata = await expectFailure(
      `${base()}/redirect?to=${encodeURIComponent('https://[::ffff:169.254.169.254]/')}`,
    );
    expect(toMappedMetadata.code).toBe('download_forbidden_address');

    const dns = fakeDns({
      'cdn.example.test': ['93.184.216.34', '10.1.2.3'],
      'v6.example.test': ['fd00:ec2::254'],
    });
    const mixed = await expectFailure(
      `${base()}/redirect?to=${encodeURIComponent('https://cdn.example.test/a.pdf')}`,
      {},
      dns,
    );
    expect(mixed.code).toBe('download_forbidden_address');
    const v6 = await expectFailure(
      `${base()}/redirect?to=${encodeURIComponent('https://v6.example.test/a.pdf')}`,
      {},
      dns,
    );
    expect(v6.code).toBe('download_forbidden_address');

    expect(undiciConnects.every((h) => h === '127.0.0.1')).toBe(true);
    expect(undiciConnects.length).toBeGreaterThan(0);
  });

  it('refuses an https host that resolves to loopback unless it is allow-listed', async () => {
    const dns = fakeDns({
      'files.example.test': ['127.0.0.1'],
      'mapped.example.test': ['::ffff:127.0.0.1'],
    });
    const err = await expectFailure(`https://files.example.test:${port}/doc.pdf`, {}, dns);
    expect(err.code).toBe('download_forbidden_address');
    expect((await expectFailure(`https://mapped.example.test:${port}/doc.pdf`, {}, dns)).code).toBe(
      'download_forbidden_address',
    );
    expect(undiciConnects).toEqual([]);
    expect(connectedTo).toEqual([]);
  });

  it('refuses non-https schemes for hosts that are not allow-listed', async () => {
    expect((await expectFailure(`http://localhost:${port}/doc.pdf`)).code).toBe('download_scheme_not_allowed');
    expect((await expectFailure('ftp://127.0.0.1/doc.pdf')).code).toBe('download_scheme_not_allowed');
    expect((await expectFailure('file:///etc/passwd')).code).toBe('download_scheme_not_allowed');
    expect(connectedTo).toEqual([]);
  });

  it('connects to the vetted address, resolving the name exactly once', async () => {
    const dns = fakeDns({ 'files.sandbox.test': ['127.0.0.1'] });
    const file = await downloadToStorage(`http://files.sandbox.test:${port}/doc.pdf`, {
      storage,
      keyPrefix: 't1/files',
      policy: { ...policy, allowHttpHosts: ['files.sandbox.test'] },
      lookup: dns.lookup,
    });
    expect(file.sha256).toBe(sha256(PDF));
    expect(dns.calls).toEqual(['files.sandbox.test']);
    expect(connectedTo).toEqual(['127.0.0.1']);
  });

  it('refuses early when Content-Length exceeds the cap', async () => {
    const err = await expectFailure(`${base()}/declared-huge.pdf`);
    expect(err).toMatchObject({ code: 'download_too_large', status: 413 });
  });

  it('stops a chunked body at the cap', async () => {
    const err = await expectFailure(`${base()}/endless.pdf`, {
      maxBytes: 200_000,
    });
    expect(err).toMatchObject({ code: 'download_too_large', status: 413 });
  });

  it('refuses HTML served as a PDF', async () => {
    const disguised = await expectFailure(`${base()}/fake.pdf`);
    expect(disguised).toMatchObject({
      code: 'download_type_mismatch',
      details: {
        contentType: 'application/octet-stream',
        declaredType: 'application/pdf',
      },
    });
    const html = await expectFailure(`${base()}/page.html`);
    expect(html).toMatchObject({
      code: 'download_type_mismatch',
      details: { contentType: 'text/html' },
    });
  });

  it('times out when the server never answers', async () => {
    const started = Date.now();
    const err = await expectFailure(`${base()}/no-headers`, {
      timeoutMs: 300,
      totalTimeoutMs: 20_000,
    });
    expect(err.code).toBe('download_timeout');
    // Well before the overall limit: the headers timeout fired, not the deadline.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('times out when the body stalls', async () => {
    const started = Date.now();
    expect(
      (
        await expectFailure(`${base()}/stalled-body.pdf`, {
          timeoutMs: 300,
          totalTimeoutMs: 20_000,
        })
      ).code,
    ).toBe('download_timeout');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('times out a trickling body at the overall limit', async () => {
    expect(
      (
        await expectFailure(`${base()}/trickle.pdf`, {
          timeoutMs: 300,
          totalTimeoutMs: 700,
        })
      ).code,
    ).toBe('download_timeout');
  });

  it('reports cancellation by the caller', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await expectFailure(`${base()}/stalled-body.pdf`, {}, { signal: controller.signal });
    expect(err.code).toBe('download_aborted');
  });

  it('maps 403 to an expired link and other errors to download_failed with the status', async () => {
    expect(await expectFailure(`${base()}/expired.pdf`)).toMatchObject({
      code: 'download_expired_url',
    });
    expect(await expectFailure(`${base()}/broken.pdf`)).toMatchObject({
      code: 'download_failed',
      details: { status: 500 },
    });
    expect(await expectFailure(`${base()}/missing.pdf`)).toMatchObject({
      code: 'download_failed',
      details: { status: 404 },
    });
  });
});
