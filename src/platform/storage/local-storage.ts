import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors.ts';
import type { FileStorage } from './storage.ts';
import { assertValidKey } from './storage-key.ts';
import { createStreamMeter } from './stream-meter.ts';

const fileMissing = (key: string, cause: unknown) =>
  new AppError({
    code: 'file_missing',
    message: 'The file is missing from storage.',
    internal: `missing key ${key}`,
    cause,
  });

const isErrno = (err: unknown, ...codes: string[]): boolean =>
  err instanceof Error && 'code' in err && typeof err.code === 'string' && codes.includes(err.code);

/** Files on the local disk under `dir`; each key maps to the same relative path. */
export function createLocalStorage(dir: string): FileStorage {
  const root = path.resolve(dir);
  const pathOf = (key: string): string => {
    assertValidKey(key);
    return path.join(root, ...key.split('/'));
  };

  return {
    async put(key, body, opts) {
      const target = pathOf(key);
      await mkdir(path.dirname(target), { recursive: true });
      // Same directory as the target so the final rename is atomic (never across filesystems).
      const temp = path.join(path.dirname(target), `.tmp-${randomUUID()}`);
      const meter = createStreamMeter(opts.maxBytes);
      try {
        // `flush` fsyncs before close, so a crash right after the rename cannot leave an empty file.
        await pipeline(body, meter.stream, createWriteStream(temp, { flags: 'wx', flush: true }));
        await rename(temp, target);
      } catch (err) {
        await unlink(temp).catch(() => undefined);
        throw err;
      }
      return meter.result();
    },

    async get(key) {
      const file = pathOf(key);
      try {
        const handle = await open(file, 'r');
        if (!(await handle.stat()).isFile()) {
          await handle.close();
          throw fileMissing(key, undefined);
        }
        return handle.createReadStream();
      } catch (err) {
        if (isErrno(err, 'ENOENT', 'ENOTDIR')) throw fileMissing(key, err);
        throw err;
      }
    },

    async delete(key) {
      try {
        await unlink(pathOf(key));
      } catch (err) {
        if (!isErrno(err, 'ENOENT', 'ENOTDIR')) throw err;
      }
    },

    async exists(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch (err) {
        if (isErrno(err, 'ENOENT', 'ENOTDIR')) return false;
        throw err;
      }
    },

    async move(fromKey, toKey) {
      const from = pathOf(fromKey);
      const to = pathOf(toKey);
      await mkdir(path.dirname(to), { recursive: true });
      try {
        await rename(from, to);
      } catch (err) {
        if (isErrno(err, 'ENOENT')) throw fileMissing(fromKey, err);
        throw err;
      }
    },

    async *list(prefix) {
      const folder = path.join(root, ...prefix.split('/').filter(Boolean));
      const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch((err: unknown) => {
        if (isErrno(err, 'ENOENT', 'ENOTDIR')) return [];
        throw err;
      });
      for (const entry of entries) {
        // Dot files are the temporary files of writes in progress; they are not objects yet.
        if (!entry.isFile() || entry.name.startsWith('.')) continue;
        const file = path.join(entry.parentPath, entry.name);
        const info = await stat(file).catch(() => null);
        if (!info) continue;
        yield { key: path.relative(root, file).split(path.sep).join('/'), modifiedAt: info.mtime };
      }
    },
  };
}

/**
 * Remove the temporary files of writes that never finished (a process killed mid-upload leaves its
 * `.tmp-*` file behind for good). Run at start. Other processes may share the directory and be writing
 * right now, so only files untouched for `olderThanMs` go: a live write moves its file's mtime with every
 * chunk. Returns the bytes freed.
 */
export async function sweepTemporaryFiles(dir: string, olderThanMs: number): Promise<{ files: number; bytes: number }> {
  const cutoff = Date.now() - olderThanMs;
  const freed = { files: 0, bytes: 0 };
  const entries = await readdir(path.resolve(dir), { recursive: true, withFileTypes: true }).catch((err: unknown) => {
    if (isErrno(err, 'ENOENT')) return [];
    throw err;
  });
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.startsWith('.tmp-')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const info = await stat(file).catch(() => null);
    if (!info || info.mtimeMs > cutoff) continue;
    await unlink(file).catch(() => undefined);
    freed.files += 1;
    freed.bytes += info.size;
  }
  return freed;
}
