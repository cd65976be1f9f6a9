import { emitBlock, payloadOf, warn, type Container, type RenderContext } from '../context.ts';
import { mediaPayload, urlPayload } from '../schemas.ts';
import type { AssetKind, BlockNode, ConvertAsset, NotionBlock } from '../types.ts';
import { escapeText, safeHref } from './escape.ts';
import { readPayload } from './payload.ts';
import { plainText, renderRichText } from './rich-text.ts';

const MEDIA_KINDS: ReadonlySet<string> = new Set<AssetKind>(['image', 'file', 'pdf', 'video', 'audio']);

/** Whether the block type carries a Notion file object. */
export function isMediaType(type: string): type is AssetKind {
  return MEDIA_KINDS.has(type);
}

/** Last path segment of a URL, decoded; '' when there is none. */
function fileNameFromUrl(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const segment = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The asset a media/file block points at, or null when the block is not one or has no URL. */
export function mediaAsset(block: NotionBlock): ConvertAsset | null {
  if (!isMediaType(block.type)) return null;
  const parsed = mediaPayload.safeParse(payloadOf(block));
  if (!parsed.success) return null;
  const p = parsed.data;
  const hosted = p.type === 'file' ? p.file : null;
  const url = hosted?.url ?? (p.type === 'external' ? p.external?.url : undefined);
  if (!url) return null;
  const name = p.name?.trim() || fileNameFromUrl(url) || `${block.type}-${block.id}`;
  const asset: ConvertAsset = {
    blockId: block.id,
    kind: block.type,
    url,
    source: hosted ? 'file' : 'external',
    name,
  };
  if (hosted?.expiry_time) asset.expiryTime = hosted.expiry_time;
  return asset;
}

function inlineLabel(text: string): string {
  return escapeText(text.replace(/\s+/g, ' ').trim(), {
    lineStart: false,
    newline: ' ',
    autolink: false,
  });
}

/**
 * image/video/audio/file/pdf. Images become `![caption](url)`; everything else a link labelled with the
 * file name (or caption). Notion-hosted URLs expire after about an hour, so the re-hosted URL from
 * `assetUrls` is used when given, and a warning is recorded when it is not.
 */
export function renderMedia(node: BlockNode, ctx: RenderContext, c: Container): void {
  const block = node.block;
  const payload = readPayload(ctx, block, mediaPayload);
  if (payload === null) return;
  const asset = mediaAsset(block);
  if (asset === null) {
    warn(ctx, block, 'missing_url', `The ${block.type} block has no file URL.`);
    return;
  }
  const rehosted = ctx.assetUrls?.get(block.id);
  if (rehosted === undefined && asset.source === 'file') {
    warn(ctx, block, 'expiring_url', 'Notion-hosted file linked directly; its URL expires in about an hour.');
  }
  // Re-hosted URLs come from the caller (our own storage references), so only Notion's URL is vetted.
  const href = rehosted ?? safeHref(asset.url);
  if (href === null) {
    warn(ctx, block, 'unsafe_link', `The ${block.type} URL was dropped (not http or https).`);
    return;
  }
  const captionItems = payload.caption ?? [];
  const captionPlain = plainText(captionItems).trim();
  const caption = renderRichText(captionItems, ctx, block, {
    lineStart: block.type === 'image',
  });
  if (block.type === 'image') {
    emitBlock(ctx, c, `![${inlineLabel(captionPlain)}](${href})`);
    if (caption !== '') {
      ctx.pending = c.prefix.trimEnd();
      emitBlock(ctx, c, caption);
    }
    return;
  }
  const named = payload.name?.trim() ? asset.name : '';
  const label = named || captionPlain || asset.name;
  const suffix = caption !== '' && label !== captionPlain ? ` — ${caption}` : '';
  emitBlock(ctx, c, `[${inlineLabel(label)}](${href})${suffix}`);
}

/** bookmark/embed/link_preview: a link labelled with the caption, or the URL itself. */
export function renderLinkBlock(node: BlockNode, ctx: RenderContext, c: Container): void {
  const block = node.block;
  const payload = readPayload(ctx, block, urlPayload);
  if (payload === null) return;
  const url = payload.url?.trim() ?? '';
  const href = safeHref(url);
  if (href === null) {
    warn(ctx, block, url === '' ? 'missing_url' : 'unsafe_link', `The ${block.type} block has no usable URL.`);
    return;
  }
  const caption = plainText(payload.caption ?? []).trim();
  emitBlock(ctx, c, `[${inlineLabel(caption || url)}](${href})`);
}
