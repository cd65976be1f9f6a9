/**
 * Re-hosted images and files are referenced from stored Markdown as `asset:<sha256>.<ext>`. The renderer
 * turns them into URLs of the context that shows the document (admin API or public site), each of which
 * checks access to the document first; the export CLI turns them into relative `assets/` paths.
 */
const ASSET_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  m4a: 'audio/mp4',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
};
const EXT_BY_TYPE = Object.fromEntries(Object.entries(ASSET_TYPES).map(([ext, type]) => [type, ext]));

export const ASSET_REF = /asset:([0-9a-f]{64})\.([a-z0-9]{2,5})/g;

/** The reference written into Markdown for a stored asset. */
export function assetRef(sha256: string, contentType: string): string {
  return `asset:${sha256}.${EXT_BY_TYPE[contentType] ?? 'bin'}`;
}

/** Storage key of a tenant's asset; content-addressed, so identical files are stored once. */
export function assetKey(tenantId: string, sha256: string): string {
  return `${tenantId}/assets/${sha256}`;
}

/** Content type served for an asset file name `<sha256>.<ext>`; unknown types download as binary. */
export function assetContentType(ext: string): string {
  return ASSET_TYPES[ext] ?? 'application/octet-stream';
}

/** True when the Markdown references this asset, which is what entitles a reader of it to the file. */
export function markdownReferencesAsset(markdown: string | null, fileName: string): boolean {
  return markdown !== null && /^[0-9a-f]{64}\.[a-z0-9]{2,5}$/.test(fileName) && markdown.includes(`asset:${fileName}`);
}

/** Replace every asset reference with a URL built by `toUrl`. */
export function rewriteAssetRefs(markdown: string, toUrl: (fileName: string) => string): string {
  return markdown.replace(ASSET_REF, (_m, sha: string, ext: string) => toUrl(`${sha}.${ext}`));
}
