import type { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { stream as honoStream } from 'hono/streaming';
import type { DocumentRow } from '../db/schema.ts';

/**
 * Stream a stored file to the client. The content type is the one we sniffed and stored, and
 * `nosniff` + `attachment` for anything but PDFs and images stop a hostile upload from rendering as HTML.
 */
export function sendFile(c: Context, doc: DocumentRow, body: Readable, stream: typeof honoStream): Response {
  const type = doc.file_content_type ?? 'application/octet-stream';
  const inline = type === 'application/pdf' || /^image\/(png|jpeg|gif|webp)$/.test(type);
  const name = (doc.file_name ?? 'file').replace(/["\r\n\\]/g, '_');
  c.header('Content-Type', type);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Content-Security-Policy', "default-src 'none'; sandbox");
  c.header('Content-Disposition', `${inline ? 'inline' : 'attachment'}; filename="${name}"; filename*=UTF-8''${encodeURIComponent(doc.file_name ?? 'file')}`);
  if (doc.file_size) c.header('Content-Length', String(doc.file_size));
  return stream(c, async (out) => {
    for await (const chunk of body) await out.write(chunk as Uint8Array);
  });
}
