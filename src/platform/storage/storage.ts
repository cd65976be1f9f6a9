import type { Readable } from 'node:stream';
import { createLocalStorage } from './local-storage.ts';
import { createS3Storage, type S3StorageOptions } from './s3-storage.ts';

/**
 * Blob storage for uploaded and imported files. Keys are relative `a/b/c` paths of safe segments
 * (see assertValidKey). Writes are all-or-nothing: a reader never sees a half-written object.
 */
export interface FileStorage {
  /** Stream `body` to `key`, hashing it on the way; fails with `file_too_large` (413) past `maxBytes`. */
  put(
    key: string,
    body: NodeJS.ReadableStream | Readable,
    opts: { contentType: string; maxBytes?: number },
  ): Promise<{ size: number; sha256: string }>;
  /** Open `key` for reading; throws `file_missing` (404) when absent. */
  get(key: string): Promise<Readable>;
  /** Remove `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /**
   * Rename `fromKey` to `toKey`, replacing any object there. Lets callers store under a temporary key
   * and publish under a content-derived key only once the whole body is known to be good.
   */
  move(fromKey: string, toKey: string): Promise<void>;
  /** Every stored object whose key starts with `prefix` (a folder, ending in `/`), with its last write time. */
  list(prefix: string): AsyncIterable<StoredObject>;
}

export interface StoredObject {
  key: string;
  modifiedAt: Date;
}

export type StorageOptions = { driver: 'local'; dir: string } | ({ driver: 's3' } & S3StorageOptions);

/** Build the configured storage driver. */
export function createStorage(opts: StorageOptions): FileStorage {
  return opts.driver === 'local' ? createLocalStorage(opts.dir) : createS3Storage(opts);
}
