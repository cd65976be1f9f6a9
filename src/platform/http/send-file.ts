import type { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { stream as honoStream } from 'hono/streaming';
import { z } from 'zod';
import type { DocumentRow } from '../db/schema.ts';
import type { FileStorage } from '../storage/storage.ts';
import { notFound } from '../errors.ts';
import { assetContentType, assetKey, markdownReferencesAsset } from '../../documents/asset-refs.ts';

export const AssetParams = z.object({
  id: z.uuid(),
  file: z.string().regex(/^[0-9a-f]{64}\.[a-z0-9]{2,5}$/, 'must be an asset name'),
});

/**
 * Stream a stored file to the client. The content type is the one we sniffed and stored, and
 * `nosniff` + `attachment` for anything but PDFs and images stop a hostile upload from rendering as HTML.
 */
export function sendFile(c: Context, doc: DocumentRow, body: Readable, stream: typeof honoStream): Response {
  return streamBody(c, body, stream, {
    type: doc.file_content_type ?? 'application/octet-stream',
    name: doc.file_name ?? 'file',
    size: doc.file_size,
  });
}

/**
 * Stream a re-hosted asset of a Markdown document. Holding the document is what entitles the reader to
 * the asset, so the asset must be referenced by the document's own Markdown (assets are content-addressed
 * and shared across a tenant's documents).
 */
export async function sendAsset(
  c: Context,
  storage: FileStorage,
  doc: DocumentRow,
  fileName: string,
  stream: typeof honoStream,
): Promise<Response> {
  if (!markdownReferencesAsset(doc.body_markdown, fileName)) throw notFound('Asset');
  const body = await storage.get(assetKey(doc.tenant_id, fileName.slice(0, 64)));
  c.header('Cache-Control', 'private, max-age=86400, immutable');
  return streamBody(c, body, stream, {
    type: assetContentType(fileName.split('.')[1] ?? ''),
    name: fileName,
    size: null,
  });
}

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

/** Stream any stored body with the given type and name (images and PDFs inline, the rest as attachments). */
export function streamBody(
  c: Context,
  body: Readable,
  stream: typeof honoStream,
  file: { type: string; name: string; size: string | null },
): Response {
  const inline =
    file.type === 'application/pdf' ||
    /^(image\/(png|jpeg|gif|webp|avif)|video\/(mp4|webm)|audio\/(mpeg|ogg|wav|mp4))$/.test(file.type);
  c.header('Content-Type', file.type);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Content-Security-Policy', "default-src 'none'; sandbox");
  c.header('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', file.name));
  if (file.size) c.header('Content-Length', String(file.size));
  return stream(c, async (out) => {
    for await (const chunk of body) await out.write(chunk as Uint8Array);
  });
}
