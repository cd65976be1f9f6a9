import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { AppError } from '../errors.ts';

/** A pass-through stream that hashes and counts bytes and fails with `file_too_large` past `maxBytes`. */
export interface StreamMeter {
  stream: Transform;
  /** Size and hex sha256 of everything that passed; only meaningful once the stream has finished. */
  result(): { size: number; sha256: string };
}

/** Create a meter; the size cap is enforced chunk by chunk so an oversize body is never fully read. */
export function createStreamMeter(maxBytes?: number): StreamMeter {
  const hash = createHash('sha256');
  let size = 0;
  let digest: string | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (maxBytes !== undefined && size > maxBytes) {
        callback(
          new AppError({
            code: 'file_too_large',
            message: `The file is larger than the limit of ${maxBytes} bytes.`,
            details: { maxBytes },
          }),
        );
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return {
    stream,
    result() {
      digest ??= hash.digest('hex');
      return { size, sha256: digest };
    },
  };
}

/** The whole body in memory, or null as soon as it grows past `max` bytes (the stream is then abandoned). */
export async function readAtMost(body: Readable, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      body.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
