import { AppError } from '../errors.ts';

// Segments may not start with a dot: that rules out `.`/`..` traversal and keeps the local driver's
// `.tmp-*` files in a namespace no valid key can ever name.
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const MAX_KEY_LENGTH = 1024;

/** Throw `invalid_storage_key` unless `key` is a relative, slash-separated path of safe segments. */
export function assertValidKey(key: string): void {
  const ok = key.length > 0 && key.length <= MAX_KEY_LENGTH && key.split('/').every((s) => SEGMENT.test(s));
  if (!ok) {
    throw new AppError({
      code: 'invalid_storage_key',
      message: 'The storage key is not valid.',
      internal: `rejected storage key ${JSON.stringify(key.slice(0, 200))}`,
    });
  }
}
