import type { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { stream as honoStream } from 'hono/streaming';

/**
 * Header values must be Latin-1, so `filename` gets an ASCII stand-in and the real name travels in
 * `filename*` (RFC 6266 / RFC 8187), which every current browser prefers.
 */
function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Stream a stored file to the client. `nosniff`, a sandbox CSP and `attachment` for anything but PDFs and
 * media stop a hostile file from rendering as HTML in our origin.
 */
export function streamFile(
  c: Context,
  body: Readable,
  stream: typeof honoStream,
  /** `disposition: 'attachment'` asks for a download even of a type browsers could show. */
  file: { type: string; name: string; size: string | number | null; disposition?: 'inline' | 'attachment' },
): Response {
  const inline =
    file.disposition !== 'attachment' &&
    (file.type === 'application/pdf' ||
      /^(image\/(png|jpeg|gif|webp|avif)|video\/(mp4|webm)|audio\/(mpeg|ogg|wav|mp4))$/.test(file.type));
  c.header('Content-Type', file.type);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Content-Security-Policy', "default-src 'none'; sandbox");
  c.header('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', file.name));
  if (file.size) c.header('Content-Length', String(file.size));
  return stream(c, async (out) => {
    for await (const chunk of body) await out.write(chunk as Uint8Array);
  });
}
