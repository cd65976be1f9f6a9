import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors.ts';
import { createStorage, type FileStorage } from '../../src/platform/storage/storage.ts';

/**
 * Just enough of the S3 REST API (path-style) for the driver: Put/Get/Head/Delete/CopyObject, ListObjectsV2
 * (in pages of `listPageSize` keys, S3's own is 1,000) and the multipart calls lib-storage makes for bodies
 * above one part.
 */
function createFakeS3(bucket: string, listPageSize = 2) {
  const objects = new Map<string, { body: Buffer; contentType: string; modifiedAt?: Date }>();
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  const requests: string[] = [];

  const xmlError = (res: ServerResponse, status: number, code: string) => {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const [, bucketName, ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const body = await buffer(req);
    const method = req.method ?? 'GET';
    const op = url.searchParams.has('uploads')
      ? 'CreateMultipart'
      : url.searchParams.has('partNumber')
        ? 'UploadPart'
        : url.searchParams.has('uploadId')
          ? method === 'POST'
            ? 'CompleteMultipart'
            : 'AbortMultipart'
          : req.headers['x-amz-copy-source']
            ? 'Copy'
            : url.searchParams.get('list-type') === '2'
              ? 'List'
              : method;
    requests.push(`${op} ${key}`);
    if (bucketName !== bucket) return xmlError(res, 404, 'NoSuchBucket');

    switch (op) {
      case 'PUT':
        objects.set(key, {
          body,
          contentType: req.headers['content-type'] ?? 'binary/octet-stream',
        });
        res.writeHead(200, {
          etag: `"${createHash('md5').update(body).digest('hex')}"`,
        });
        return res.end();
      case 'GET':
      case 'HEAD': {
        const obj = objects.get(key);
        if (!obj) return op === 'HEAD' ? (res.writeHead(404), res.end()) : xmlError(res, 404, 'NoSuchKey');
        res.writeHead(200, {
          'content-type': obj.contentType,
          'content-length': obj.body.length,
        });
        return res.end(op === 'GET' ? obj.body : undefined);
      }
      case 'List': {
        const prefix = url.searchParams.get('prefix') ?? '';
        const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
        const start = Number(url.searchParams.get('continuation-token') ?? 0);
        const page = keys.slice(start, start + listPageSize);
        const truncated = start + listPageSize < keys.length;
        const contents = page
          .map((k) => {
            const obj = objects.get(k)!;
            const modified = (obj.modifiedAt ?? new Date()).toISOString();
            return `<Contents><Key>${k}</Key><LastModified>${modified}</LastModified><ETag>"x"</ETag><Size>${obj.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
          })
          .join('');
        res.writeHead(200, { 'content-type': 'application/xml' });
        return res.end(
          `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${listPageSize}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${start + listPageSize}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`,
        );
      }
      case 'DELETE':
        objects.delete(key);
        res.writeHead(204);
        return res.end();
      case 'Copy': {
        const source = decodeURIComponent(String(req.headers['x-amz-copy-source'])).replace(/^\/?[^/]+\//, '');
        const obj = objects.get(source);
        if (!obj) return xmlError(res, 404, 'NoSuchKey');
        objects.set(key, obj);
        res.writeHead(200, { 'content-type': 'application/xml' });
        return res.end(
          `<CopyObjectResult><ETag>"x"</ETag><LastModified>2024-01-01T00:00:00.000Z</LastModified></CopyObjectResult>`,
        );
      }
      case 'CreateMultipart': {
        const uploadId = randomUUID();
        uploads.set(uploadId, { key, parts: new Map() });
        res.writeHead(200, { 'content-type': 'application/xml' });
        return res.end(
          `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
        );
      }
      case 'UploadPart': {
        const upload = uploads.get(url.searchParams.get('uploadId') ?? '');
        if (!upload) return xmlError(res, 404, 'NoSuchUpload');
        upload.parts.set(Number(url.searchParams.get('partNumber')), body);
        res.writeHead(200, {
          etag: `"part-${url.searchParams.get('partNumber')}"`,
        });
        return res.end();
      }
      case 'CompleteMultipart': {
        const id = url.searchParams.get('uploadId') ?? '';
        const upload = uploads.get(id);
        if (!upload) return xmlError(res, 404, 'NoSuchUpload');
        const ordered = [...upload.parts.entries()].sort(([a], [b]) => a - b).map(([, b]) => b);
        objects.set(upload.key, {
          body: Buffer.concat(ordered),
          contentType: 'application/octet-stream',
        });
        uploads.delete(id);
        res.writeHead(200, { 'content-type': 'application/xml' });
        return res.end(
          `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>"m"</ETag></CompleteMultipartUploadResult>`,
        );
      }
      default:
        uploads.delete(url.searchParams.get('uploadId') ?? '');
        res.writeHead(204);
        return res.end();
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  return { server, objects, uploads, requests };
}

const fake = createFakeS3('files');
let storage: FileStorage;

beforeAll(async () => {
  await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  const { port } = fake.server.address() as AddressInfo;
  storage = createStorage({
    driver: 's3',
    bucket: 'files',
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: 'test-key',
    secretAccessKey: 'test-secret',
    forcePathStyle: true,
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => fake.server.close(() => resolve()));
});
beforeEach(() => {
  fake.objects.clear();
  fake.requests.length = 0;
});

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('S3 storage', () => {
  it('lists the objects under a prefix across pages, with their last write time', async () => {
    const written = new Date('2026-01-02T03:04:05.000Z');
    for (const key of ['t1/assets/a', 't1/assets/b', 't1/assets/c', 't1/uploads/d', 't2/assets/e'])
      fake.objects.set(key, { body: Buffer.from(key), contentType: 'text/plain', modifiedAt: written });
    const listed = [];
    for await (const object of storage.list('t1/assets/')) listed.push(object);
    expect(listed).toEqual(['t1/assets/a', 't1/assets/b', 't1/assets/c'].map((key) => ({ key, modifiedAt: written })));
    expect(fake.requests.filter((r) => r.startsWith('List'))).toHaveLength(2);
  });

  it('puts a small body with a single PutObject and reads it back', async () => {
    const res = await storage.put(
      't1/files/report.pdf',
      Readable.from([Buffer.from('%PDF-'), Buffer.from('1.4 body')]),
      {
        contentType: 'application/pdf',
      },
    );
    expect(res).toEqual({ size: 13, sha256: sha256('%PDF-1.4 body') });
    expect(fake.requests).toEqual(['PUT t1/files/report.pdf']);
    expect(fake.objects.get('t1/files/report.pdf')?.contentType).toBe('application/pdf');
    expect(await storage.exists('t1/files/report.pdf')).toBe(true);
    expect(await text(await storage.get('t1/files/report.pdf'))).toBe('%PDF-1.4 body');
  });

  it('streams a body larger than one part as a multipart upload', async () => {
    const chunk = Buffer.alloc(256 * 1024, 7);
    const count = 24; // 6 MiB: two parts
    const res = await storage.put('big/blob', Readable.from(Array.from({ length: count }, () => chunk)), {
      contentType: 'application/octet-stream',
    });
    expect(res.size).toBe(chunk.length * count);
    expect(res.sha256).toBe(sha256(Buffer.concat(Array.from({ length: count }, () => chunk))));
    expect(fake.requests.filter((r) => r.startsWith('UploadPart'))).toHaveLength(2);
    expect(fake.objects.get('big/blob')?.body.length).toBe(chunk.length * count);
  });

  it('enforces maxBytes and stores nothing', async () => {
    const err = await caught(
      storage.put('big/too', Readable.from([Buffer.alloc(4000), Buffer.alloc(4000)]), {
        contentType: 'text/plain',
        maxBytes: 5000,
      }),
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'file_too_large', status: 413 });
    expect(fake.objects.size).toBe(0);
    expect(fake.requests.filter((r) => r.startsWith('PUT'))).toEqual([]);
  });

  it('aborts a multipart upload that exceeds maxBytes', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 1);
    const err = await caught(
      storage.put('big/abort', Readable.from(Array.from({ length: 8 }, () => chunk)), {
        contentType: 'text/plain',
        maxBytes: 6 * 1024 * 1024,
      }),
    );
    expect(err).toMatchObject({ code: 'file_too_large' });
    expect(fake.objects.size).toBe(0);
    expect(fake.uploads.size).toBe(0);
  });

  it('reports missing objects, deletes idempotently and moves', async () => {
    expect(await caught(storage.get('nope'))).toMatchObject({
      code: 'file_missing',
      status: 404,
    });
    expect(await storage.exists('nope')).toBe(false);
    await storage.delete('nope');

    await storage.put('tmp/x', Readable.from([Buffer.from('data')]), {
      contentType: 'text/plain',
    });
    await storage.move('tmp/x', 'final/y');
    expect(await storage.exists('tmp/x')).toBe(false);
    expect(await text(await storage.get('final/y'))).toBe('data');
    expect(await caught(storage.move('tmp/x', 'final/z'))).toMatchObject({
      code: 'file_missing',
    });
    expect(
      await caught(
        storage.put('../escape', Readable.from([Buffer.from('x')]), {
          contentType: 'text/plain',
        }),
      ),
    ).toMatchObject({
      code: 'invalid_storage_key',
    });
  });
});
