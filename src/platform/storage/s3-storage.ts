import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, isAppError } from '../errors.ts';
import type { FileStorage } from './storage.ts';
import { assertValidKey } from './storage-key.ts';
import { createStreamMeter } from './stream-meter.ts';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
}

const fileMissing = (key: string, cause: unknown) =>
  new AppError({
    code: 'file_missing',
    message: 'The file is missing from storage.',
    internal: `missing key ${key}`,
    cause,
  });

const isNotFound = (err: unknown): boolean => err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404;

/** Objects in one S3 (or S3-compatible) bucket; each key is used verbatim as the object key. */
export function createS3Storage(opts: S3StorageOptions): FileStorage {
  const client = new S3Client({
    region: opts.region,
    endpoint: opts.endpoint,
    forcePathStyle: opts.forcePathStyle,
    // Without explicit keys the SDK's default chain applies (instance role, env, profile).
    credentials:
      opts.accessKeyId && opts.secretAccessKey
        ? {
            accessKeyId: opts.accessKeyId,
            secretAccessKey: opts.secretAccessKey,
          }
        : undefined,
    // The SDK's default CRC checksums are rejected by several S3-compatible servers; we keep our own sha256.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = opts.bucket;

  return {
    async put(key, body, putOpts) {
      assertValidKey(key);
      const meter = createStreamMeter(putOpts.maxBytes);
      // Upload holds at most one part (5 MiB) in memory; small bodies go out as a single PutObject,
      // larger ones as a multipart upload that S3 only makes visible on completion.
      const upload = new Upload({
        client,
        queueSize: 1,
        params: {
          Bucket,
          Key: key,
          Body: meter.stream,
          ContentType: putOpts.contentType,
        },
      });
      const piping = pipeline(body, meter.stream);
      const uploading = upload.done();
      try {
        await Promise.all([piping, uploading]);
      } catch (err) {
        // Unblock whichever side is still waiting on the other, then report the most specific cause.
        meter.stream.destroy();
        await upload.abort().catch(() => undefined);
        const reasons = (await Promise.allSettled([piping, uploading])).flatMap((r) =>
          r.status === 'rejected' ? [r.reason] : [],
        );
        throw reasons.find(isAppError) ?? err;
      }
      return meter.result();
    },

    async get(key) {
      assertValidKey(key);
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if (!(res.Body instanceof Readable)) throw new Error(`S3 GetObject returned no stream for ${key}`);
        return res.Body;
      } catch (err) {
        if (isNotFound(err)) throw fileMissing(key, err);
        throw err;
      }
    },

    async delete(key) {
      assertValidKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    async exists(key) {
      assertValidKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },

    async move(fromKey, toKey) {
      assertValidKey(fromKey);
      assertValidKey(toKey);
      try {
        // Keys are restricted to URL-safe characters, so CopySource needs no further encoding.
        await client.send(
          new CopyObjectCommand({
            Bucket,
            Key: toKey,
            CopySource: `${Bucket}/${fromKey}`,
          }),
        );
      } catch (err) {
        if (isNotFound(err)) throw fileMissing(fromKey, err);
        throw err;
      }
      await client.send(new DeleteObjectCommand({ Bucket, Key: fromKey }));
    },

    async *list(prefix) {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken }));
        for (const object of page.Contents ?? []) {
          if (object.Key && object.LastModified) yield { key: object.Key, modifiedAt: object.LastModified };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
  };
}
