import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';

// file-type needs at most this many leading bytes to recognise any format it knows.
const SNIFF_BYTES = 4100;
// Formats that carry no magic number; for these the sender's declaration is the best evidence there is.
// SVG is deliberately absent: it is script-capable, so an unsniffable body never passes as an image.
const TEXT_LIKE = /^(text\/[a-z0-9.+-]+|application\/(json|xml|[a-z0-9.+-]+\+(json|xml)))$/;

export interface SniffedStream {
  /** The type the bytes show, else a text-like declared type, else application/octet-stream. */
  contentType: string;
  /** The extension file-type recognised, if any. */
  ext: string | undefined;
  /** Every byte of the original stream, head included. */
  stream: Readable;
  /** Stop reading the source (when the caller refuses the type). */
  release(): Promise<void>;
}

/**
 * Decide a file's type from its leading bytes, not from what the sender declared: downloads (imports) and
 * uploads go through this one function, so a file named report.pdf holding HTML is never stored as a PDF.
 */
export async function sniffStream(source: AsyncIterable<Buffer>, declaredType: string): Promise<SniffedStream> {
  const chunks = source[Symbol.asyncIterator]();
  const head = await readHead(chunks);
  const sniffed = await fileTypeFromBuffer(head);
  const declared = declaredType.split(';')[0]?.trim().toLowerCase() ?? '';
  return {
    contentType: sniffed?.mime ?? (TEXT_LIKE.test(declared) ? declared : 'application/octet-stream'),
    ext: sniffed?.ext,
    stream: Readable.from(replay(head, chunks)),
    release: async () => {
      await chunks.return?.();
    },
  };
}

async function readHead(chunks: AsyncIterator<Buffer>): Promise<Buffer> {
  const head: Buffer[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    length += next.value.length;
  }
  return Buffer.concat(head);
}

async function* replay(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    if (head.length > 0) yield head;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    // Runs when storage stops early (size cap, failure): releases the source instead of draining it.
    await rest.return?.();
  }
}
