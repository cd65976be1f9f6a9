import { parse, postprocess, preprocess } from 'micromark';
import { gfm } from 'micromark-extension-gfm';

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

const ASSET_FILE = /^asset:([0-9a-f]{64}\.[a-z0-9]{2,5})$/;

/**
 * The asset file names (`<sha256>.<ext>`) a Markdown body references, read from its parsed link and image
 * destinations (`[…](asset:…)`, as the converter writes them), never from its text: a page whose words mention an asset's hash does not reference it (the
 * converter escapes such text, and text is not a destination anyway). Recorded on every write of a body
 * and the only thing that entitles a reader of the document to an asset.
 */
export function assetRefsIn(markdown: string): string[] {
  const events = postprocess(
    parse({ extensions: [gfm()] })
      .document()
      .write(preprocess()(markdown, undefined, true)),
  );
  const refs = new Set<string>();
  for (const [kind, token, context] of events) {
    if (kind !== 'enter') continue;
    if (token.type !== 'resourceDestinationString') continue;
    const match = ASSET_FILE.exec(context.sliceSerialize(token));
    if (match?.[1]) refs.add(match[1]);
  }
  return [...refs].sort();
}

/** A link or image destination holding an asset reference (`](asset:…)`), as the converter writes them. */
const ASSET_DESTINATION = /\]\(asset:([0-9a-f]{64})\.([a-z0-9]{2,5})(?=[ )])/g;

/** Replace every asset reference in a link or image destination with a URL built by `toUrl`. */
export function rewriteAssetRefs(markdown: string, toUrl: (fileName: string) => string): string {
  return markdown.replace(ASSET_DESTINATION, (_m, sha: string, ext: string) => `](${toUrl(`${sha}.${ext}`)}`);
}
