import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { createStorage, type FileStorage } from './storage.ts';

let dir: string;
let storage: FileStorage;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'local-storage-'));
  storage = createStorage({ driver: 'local', dir });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** A stream that yields `chunks`, then either ends or fails, so tests can stop a write midway. */
function chunked(chunks: string[], failAtEnd?: Error): Readable {
  return Readable.from(
    (async function* () {
      for (const c of chunks) yield Buffer.from(c);
      if (failAtEnd) throw failAtEnd;
    })(),
  );
}

async function expectAppError(promise: Promise<unknown>, code: string, status: number) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect(err).toMatchObject({ code, status });
}

describe('local storage', () => {
  it('stores, reads back, reports size and sha256, and deletes', async () => {
    const body = 'hello trust center';
    const res = await storage.put('t1/files/a.txt', chunked(['hello ', 'trust ', 'center']), {
      contentType: 'text/plain',
    });
    expect(res).toEqual({
      size: Buffer.byteLength(body),
      sha256: sha256(body),
    });
    expect(await storage.exists('t1/files/a.txt')).toBe(true);
    expect(await text(await storage.get('t1/files/a.txt'))).toBe(body);
    expect(await readFile(path.join(dir, 't1', 'files', 'a.txt'), 'utf8')).toBe(body);

    await storage.delete('t1/files/a.txt');
    expect(await storage.exists('t1/files/a.txt')).toBe(false);
    await storage.delete('t1/files/a.txt');
  });

  it('replaces an existing object atomically and leaves no temp files', async () => {
    await storage.put('k/one', chunked(['old']), { contentType: 'text/plain' });
    await storage.put('k/one', chunked(['new content']), {
      contentType: 'text/plain',
    });
    expect(await text(await storage.get('k/one'))).toBe('new content');
    expect(await listFiles(dir)).toEqual([path.join('k', 'one')]);
  });

  it('never exposes a half-written file when the source fails midway', async () => {
    await storage.put('k/doc', chunked(['previous']), {
      contentType: 'text/plain',
    });
    await expect(
      storage.put('k/doc', chunked(['partial ', 'data'], new Error('source broke')), { contentType: 'text/plain' }),
    ).rejects.toThrow('source broke');
    expect(await text(await storage.get('k/doc'))).toBe('previous');
    await expect(
      storage.put('k/fresh', chunked(['partial'], new Error('source broke')), {
        contentType: 'text/plain',
      }),
    ).rejects.toThrow();
    expect(await storage.exists('k/fresh')).toBe(false);
    expect(await listFiles(dir)).toEqual([path.join('k', 'doc')]);
  });

  it('enforces maxBytes while streaming and removes the temp file', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1024;
        this.push(Buffer.alloc(1024, 1));
      },
    });
    await expectAppError(
      storage.put('big/file', endless, {
        contentType: 'application/octet-stream',
        maxBytes: 10_000,
      }),
      'file_too_large',
      413,
    );
    expect(produced).toBeLessThan(200_000);
    expect(await listFiles(dir)).toEqual([]);

    const exact = await storage.put('big/exact', chunked(['x'.repeat(10)]), {
      contentType: 'text/plain',
      maxBytes: 10,
    });
    expect(exact.size).toBe(10);
  });

  it('rejects keys that could escape the storage directory', async () => {
    const bad = [
      '',
      '../x',
      'a/../../x',
      '/etc/passwd',
      'a//b',
      'a/./b',
      '.hidden',
      'a/.tmp-1',
      'a\\b',
      'C:/x',
      'a/b/',
      'a\0b',
      'é',
    ];
    for (const key of bad) {
      await expectAppError(storage.put(key, chunked(['x']), { contentType: 'text/plain' }), 'invalid_storage_key', 400);
      await expectAppError(storage.get(key), 'invalid_storage_key', 400);
      await expectAppError(storage.exists(key), 'invalid_storage_key', 400);
      await expectAppError(storage.delete(key), 'invalid_storage_key', 400);
    }
    expect(await listFiles(dir)).toEqual([]);
  });

  it('reports a missing file as file_missing', async () => {
    await expectAppError(storage.get('nope/missing'), 'file_missing', 404);
    await storage.put('dir/child', chunked(['x']), {
      contentType: 'text/plain',
    });
    await expectAppError(storage.get('dir'), 'file_missing', 404);
    expect(await storage.exists('dir')).toBe(false);
  });

  it('moves an object to a new key', async () => {
    await storage.put('tmp/upload-1', chunked(['payload']), {
      contentType: 'text/plain',
    });
    await storage.move('tmp/upload-1', 'files/abc');
    expect(await storage.exists('tmp/upload-1')).toBe(false);
    expect(await text(await storage.get('files/abc'))).toBe('payload');
    await expectAppError(storage.move('tmp/upload-1', 'files/abc'), 'file_missing', 404);
  });

  it('lists the objects under a prefix with their last write time, not writes in progress', async () => {
    for (const key of ['t1/assets/a', 't1/assets/nested/b', 't1/uploads/c', 't2/assets/d'])
      await storage.put(key, chunked([key]), { contentType: 'text/plain' });
    await writeFile(path.join(dir, 't1', 'assets', '.tmp-in-progress'), 'partial');
    const written = new Date('2026-01-02T03:04:05.000Z');
    await utimes(path.join(dir, 't1', 'assets', 'a'), written, written);
    const listed = [];
    for await (const object of storage.list('t1/assets/')) listed.push(object);
    expect(listed.map((o) => o.key).sort()).toEqual(['t1/assets/a', 't1/assets/nested/b']);
    expect(listed.find((o) => o.key === 't1/assets/a')?.modifiedAt).toEqual(written);
    const none = [];
    for await (const object of storage.list('t3/assets/')) none.push(object);
    expect(none).toEqual([]);
  });
});
