import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import type { Context } from 'hono';
import { appError, isAppError } from '../errors.ts';
import { boundedBodyStream, requestAborted } from './body-limits.ts';
import { assertNoControlChars, stripControlChars } from './input-hygiene.ts';

export interface FileUpload {
  fields: Record<string, string>;
  fileName: string;
  contentType: string;
  stream: Readable;
}

/**
 * Stream a multipart upload with one file. Resolves as soon as the file part starts, with the fields that
 * came before it, so the file flows straight into storage and is never held in memory. Clients must send
 * text fields (title, accessLevel) before the file, as browsers do for fields placed first in a form.
 */
export function readFileUpload(c: Context): Promise<FileUpload> {
  const body = boundedBodyStream(c);
  if (!body) return Promise.reject(appError('missing_file', 'Attach a file in the "file" field.'));
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': c.req.header('content-type') ?? '' },
        limits: { files: 1, fields: 10, fieldSize: 10_000 },
        // Browsers send file names as raw UTF-8; busboy would otherwise read them as Latin-1.
        defParamCharset: 'utf8',
      });
    } catch {
      reject(appError('invalid_multipart', 'The upload is not a valid multipart/form-data body.'));
      return;
    }
    const fields: Record<string, string> = {};
    let gotFile = false;
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || gotFile) {
        stream.resume();
        return;
      }
      gotFile = true;
      try {
        assertNoControlChars(fields, 'invalid_body');
      } catch (err) {
        stream.resume();
        reject(err);
        return;
      }
      resolve({
        fields,
        // A control character in a file name is never meaningful; dropping it keeps the rest of the name.
        fileName: stripControlChars(info.filename ?? '') || 'upload',
        contentType: info.mimeType || 'application/octet-stream',
        stream,
      });
    });
    parser.on('error', () => reject(appError('invalid_multipart', 'The upload could not be read.')));
    parser.on('close', () => {
      if (!gotFile) reject(appError('missing_file', 'Attach a file in the "file" field.'));
    });
    const source = Readable.fromWeb(body as WebReadableStream<Uint8Array>);
    // An oversize or interrupted body fails the parser (and through it the file stream being stored).
    source.on('error', (err) => {
      const failure = isAppError(err) ? err : requestAborted(err);
      parser.destroy(failure);
      reject(failure);
    });
    source.pipe(parser);
  });
}
