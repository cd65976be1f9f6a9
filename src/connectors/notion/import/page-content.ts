import { isAppError } from '../../../platform/errors.ts';
import { hashMarkdown } from '../../../documents/documents.service.ts';
import type { FileStorage } from '../../../platform/storage/storage.ts';
import {
  collectAssets,
  convertBlocks,
  pickAttachment,
  type BlockNode,
  type ConvertAsset,
  type ConvertWarning,
} from '../convert/index.ts';
import {
  downloadToStorage,
  type DownloadedFile,
  type DownloadPolicy,
} from '../../../platform/storage/safe-download.ts';
import type { NotionGateway } from '../gateway.ts';
import { assetRef } from '../../../documents/asset-refs.ts';

/** Where a page's files go: the storage, the download rules, and the key prefixes of the two kinds of file. */
export interface ContentTarget {
  gateway: NotionGateway;
  storage: FileStorage;
  downloadPolicy: DownloadPolicy;
  /** Prefix of the page's attached file (stored as `<prefix>/<sha256>`). */
  fileKeyPrefix: string;
  /** Prefix of re-hosted images and files (stored as `<prefix>/<sha256>`, referenced as `asset:<sha256>.<ext>`). */
  assetKeyPrefix: string;
}

/** A page's content: Markdown with `asset:` references, or the file the page holds. */
export type PageContent =
  | { kind: 'markdown'; markdown: string; contentHash: string }
  | { kind: 'file'; file: DownloadedFile; contentHash: string };

/** What each asset kind may turn out to be once its bytes are sniffed. */
const ALLOWED_TYPES: Record<ConvertAsset['kind'], string[] | undefined> = {
  pdf: ['application/pdf'],
  image: ['image/'],
  video: ['video/'],
  audio: ['audio/'],
  file: undefined,
};

/** Characters of text a file page may hold besides its file (a title line, a short note) without a warning. */
const PAGE_TEXT_TOLERANCE = 80;

function withoutBlock(tree: BlockNode[], blockId: string): BlockNode[] {
  return tree
    .filter((node) => node.block.id !== blockId)
    .map((node) => ({
      block: node.block,
      children: withoutBlock(node.children, blockId),
    }));
}

/**
 * The content of a fetched page. A page holding a file (its first PDF block, else its first file block)
 * is that file; any other page is Markdown whose Notion-hosted images and files are copied into storage
 * and referenced by content hash. An asset that cannot be copied stays a link to Notion with a warning;
 * a failing attachment fails the page. Converter warnings are added to `warnings`.
 */
export async function readPageContent(
  target: ContentTarget,
  tree: BlockNode[],
  warnings: ConvertWarning[],
): Promise<PageContent> {
  const attachment = pickAttachment(tree);
  if (attachment) {
    const file = await downloadNotionAsset(target, attachment, target.fileKeyPrefix);
    // Only text besides the file block counts: its caption and (signed, long) URL are part of the file.
    const text = convertBlocks(withoutBlock(tree, attachment.blockId)).markdown.replace(/\s+/g, '');
    if (text.length > PAGE_TEXT_TOLERANCE) {
      warnings.push({
        blockId: attachment.blockId,
        blockType: attachment.kind,
        code: 'page_text_not_imported',
        message: 'This page holds a file, so the file was imported as the document; the rest of the page text was not.',
      });
    }
    return { kind: 'file', file, contentHash: file.sha256 };
  }
  const assetUrls = new Map<string, string>();
  for (const asset of collectAssets(tree)) {
    try {
      const stored = await downloadNotionAsset(target, asset, target.assetKeyPrefix);
      assetUrls.set(asset.blockId, assetRef(stored.sha256, stored.contentType));
    } catch (err) {
      if (!isAppError(err) || !err.code.startsWith('download_')) throw err;
      // One broken image should not sink the page: it stays a link to Notion and the user is told.
      warnings.push({
        blockId: asset.blockId,
        blockType: asset.kind,
        code: 'asset_not_copied',
        message: `${asset.name}: ${err.message}`,
      });
    }
  }
  const converted = convertBlocks(tree, { assetUrls });
  warnings.unshift(...converted.warnings);
  return {
    kind: 'markdown',
    markdown: converted.markdown,
    contentHash: hashMarkdown(converted.markdown),
  };
}

/**
 * Download a Notion file into storage, its type checked against the block kind. Notion's signed URLs
 * expire after about an hour; if the one in the tree has expired by the time we get to it, the block is
 * read again for a fresh URL, once.
 */
async function downloadNotionAsset(
  target: ContentTarget,
  asset: ConvertAsset,
  keyPrefix: string,
): Promise<DownloadedFile> {
  const allowed = ALLOWED_TYPES[asset.kind];
  const policy: DownloadPolicy = {
    ...target.downloadPolicy,
    ...(allowed ? { allowedContentTypes: allowed } : {}),
  };
  const download = (url: string) =>
    downloadToStorage(url, {
      storage: target.storage,
      keyPrefix,
      policy,
      fileNameHint: asset.name,
    });
  try {
    return await download(asset.url);
  } catch (err) {
    if (!isAppError(err) || err.code !== 'download_expired_url') throw err;
    const fresh = await target.gateway.retrieveBlock(asset.blockId);
    return download(collectAssets([{ block: fresh, children: [] }])[0]?.url ?? asset.url);
  }
}
