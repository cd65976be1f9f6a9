import type { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { stream as honoStream } from 'hono/streaming';
import { z } from 'zod';
import type { DocumentRow } from '../platform/db/schema.ts';
import type { FileStorage } from '../platform/storage/storage.ts';
import { notFound } from '../platform/errors.ts';
import { streamFile } from '../platform/http/send-file.ts';
import { assetContentType, assetKey, markdownReferencesAsset } from './asset-refs.ts';

export const AssetParams = z.object({
  id: z.uuid(),
  file: z.string().regex(/^[0-9a-f]{64}\.[a-z0-9]{2,5}$/, 'must be an asset name'),
});

/**
 * Stream a stored file to the client. The content type is the one we sniffed and stored, and
 * `nosniff` + `attachment` for anything but PDFs and images stop a hostile upload from rendering as HTML.
 */
export function sendFile(c: Context, doc: DocumentRow, body: Readable, stream: typeof honoStream): Response {
  return streamFile(c, body, stream, {
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
  return streamFile(c, body, stream, {
    type: assetContentType(fileName.split('.')[1] ?? ''),
    name: fileName,
    size: null,
  });
}
