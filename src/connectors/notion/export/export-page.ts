import { mkdir, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../platform/errors.ts';
import { createStorage } from '../../../platform/storage/storage.ts';
import {
  convertBlocks,
  pickAttachment,
  type BlockNode,
  type ConvertAsset,
  type ConvertWarning,
} from '../convert/index.ts';
import { notionErrorKind } from '../errors.ts';
import type { DownloadPolicy } from '../../../platform/storage/safe-download.ts';
import type { NotionGateway } from '../gateway.ts';
import type { NotionIcon, NotionPage, NotionParent } from '../gateway-types.ts';
import { assetRef, rewriteAssetRefs } from '../../../documents/asset-refs.ts';
import { normalizePageId } from '../page-id.ts';
import { fetchBlockTree } from '../tree.ts';
import { readPageContent } from '../import/page-content.ts';
import { documentTitle } from '../import/source-fields.ts';

const ASSETS_DIR = 'assets';

/** A page converted without downloading anything: its files stay links to Notion (which expire). */
export interface PageMarkdown {
  page: NotionPage;
  markdown: string;
  warnings: ConvertWarning[];
  /** The file the page holds, when it is a file page (the importer would attach it instead of the Markdown). */
  attachment: ConvertAsset | undefined;
}

/** The `document.json` written next to an exported document. */
export interface ExportManifest {
  id: string;
  title: string;
  url: string;
  createdTime: string;
  lastEditedTime: string;
  parent: NotionParent;
  icon: NotionIcon;
  cover: string | null;
  kind: 'markdown' | 'file';
  /** The document's file in the export directory: `document.md` or the attached file. */
  document: string;
  file: {
    name: string;
    contentType: string;
    size: number;
    sha256: string;
  } | null;
  /** sha256 of the Markdown, or of the file. */
  contentHash: string;
  /** Copied images and files, relative to the export directory. */
  assets: string[];
  warnings: ConvertWarning[];
}

/** Read a page (id or URL) and its block tree, with a clear message when the integration cannot see it. */
async function readPage(gateway: NotionGateway, pageRef: string): Promise<{ page: NotionPage; tree: BlockNode[] }> {
  const pageId = normalizePageId(pageRef);
  let page: NotionPage;
  try {
    page = await gateway.retrievePage(pageId);
  } catch (err) {
    if (notionErrorKind(err) !== 'notion_not_found') throw err;
    throw new AppError({
      code: 'notion_not_found',
      message: `Notion page ${pageId} was not found or is not shared with the integration.`,
      cause: err,
    });
  }
  if (page.inTrash)
    throw new AppError({
      code: 'notion_page_trashed',
      message: `Notion page ${pageId} is in the trash. Restore it in Notion to export it.`,
    });
  return { page, tree: await fetchBlockTree(gateway, page.id) };
}

/** A page's Markdown with Notion's own file links; nothing is downloaded. */
export async function exportPageMarkdown(gateway: NotionGateway, pageRef: string): Promise<PageMarkdown> {
  const { page, tree } = await readPage(gateway, pageRef);
  const converted = convertBlocks(tree);
  return {
    page,
    markdown: converted.markdown,
    warnings: converted.warnings,
    attachment: pickAttachment(tree),
  };
}

/** The attached file's extension: from its name, else the one asset references use for its type. */
function extensionOf(fileName: string, contentType: string): string {
  const fromName = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1];
  return (fromName ?? assetRef('', contentType).split('.').pop() ?? 'bin').toLowerCase();
}

/**
 * Export a page into `dir` by the importer's rules: a file page becomes its file (`document.<ext>`), any
 * other page `document.md` with its Notion-hosted images and files copied to `assets/` and linked
 * relatively. `document.json` records the page's metadata and warnings. Returns that manifest.
 */
export async function exportPageToDirectory(
  gateway: NotionGateway,
  pageRef: string,
  options: { dir: string; downloadPolicy: DownloadPolicy },
): Promise<ExportManifest> {
  const { page, tree } = await readPage(gateway, pageRef);
  const dir = path.resolve(options.dir);
  await mkdir(dir, { recursive: true });
  const storage = await createStorage({ driver: 'local', dir });
  const warnings: ConvertWarning[] = [];
  const content = await readPageContent(
    {
      gateway,
      storage,
      downloadPolicy: options.downloadPolicy,
      fileKeyPrefix: ASSETS_DIR,
      assetKeyPrefix: ASSETS_DIR,
    },
    tree,
    warnings,
  );

  let document: string;
  const assets: string[] = [];
  if (content.kind === 'file') {
    const ext = extensionOf(content.file.fileName, content.file.contentType);
    // `document.json` is the manifest; a JSON attachment gets a name of its own instead of being overwritten.
    document = ext.toLowerCase() === 'json' ? 'document.file.json' : `document.${ext}`;
    await storage.move(content.file.key, document);
  } else {
    // Stored assets are named by content hash alone; the extension in their reference makes the local copy openable.
    const names = new Set<string>();
    const markdown = rewriteAssetRefs(content.markdown, (name) => {
      names.add(name);
      return `${ASSETS_DIR}/${name}`;
    });
    for (const name of names) {
      await storage.move(`${ASSETS_DIR}/${name.split('.')[0]}`, `${ASSETS_DIR}/${name}`);
      assets.push(`${ASSETS_DIR}/${name}`);
    }
    document = 'document.md';
    await writeFile(path.join(dir, document), markdown);
  }
  if (assets.length === 0) await rmdir(path.join(dir, ASSETS_DIR)).catch(() => undefined);

  const manifest: ExportManifest = {
    id: page.id,
    title: documentTitle(page),
    url: page.url,
    createdTime: page.createdTime,
    lastEditedTime: page.lastEditedTime,
    parent: page.parent,
    icon: page.icon,
    cover: page.cover,
    kind: content.kind,
    document,
    file:
      content.kind === 'file'
        ? {
            name: content.file.fileName,
            contentType: content.file.contentType,
            size: content.file.size,
            sha256: content.file.sha256,
          }
        : null,
    contentHash: content.contentHash,
    assets,
    warnings,
  };
  await writeFile(path.join(dir, 'document.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
