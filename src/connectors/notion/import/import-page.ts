import crypto from 'node:crypto';
import type { AppServices } from '../../../app-services.ts';
import type { AccessLevel, DocumentRow } from '../../../db/schema.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { recordAudit, type AuditActor } from '../../../audit/audit.repo.ts';
import { findBySource, insertDocument, updateDocument } from '../../../documents/documents.repo.ts';
import { AppError, isAppError } from '../../../errors.ts';
import { collectAssets, convertBlocks, pickAttachment, type BlockNode, type ConvertAsset, type ConvertWarning } from '../convert/index.ts';
import { downloadToStorage, type DownloadedFile, type DownloadPolicy } from '../files.ts';
import type { NotionGateway } from '../gateway.ts';
import type { NotionPage } from '../gateway-types.ts';
import { fetchBlockTree } from '../tree.ts';
import { assetKey, assetRef } from './asset-refs.ts';
import { notionSourceFields } from './source-fields.ts';

export interface ImportedPage { document: DocumentRow; warnings: ConvertWarning[]; changed: boolean; title: string }

type PageContent =
  | { kind: 'markdown'; markdown: string; contentHash: string }
  | { kind: 'file'; file: DownloadedFile; contentHash: string };

/** What each asset kind may turn out to be once its bytes are sniffed. */
const ALLOWED_TYPES: Record<ConvertAsset['kind'], string[] | undefined> = {
  pdf: ['application/pdf'], image: ['image/'], video: ['video/'], audio: ['audio/'], file: undefined,
};

/**
 * Import one Notion page into the library: read it and its block tree, then either attach its file (the
 * page's first PDF block, else its first file block) or convert it to Markdown with its images re-hosted.
 * Everything is fetched and stored before the document row is written in one transaction, so a failure
 * at any step leaves no partial document. Re-importing updates the same document; unchanged content
 * writes nothing.
 */
export async function importPage(s: AppServices, gateway: NotionGateway, input: {
  tenantId: string; pageId: string; accessLevel: AccessLevel | undefined; actor: AuditActor;
}): Promise<ImportedPage> {
  const page = await gateway.retrievePage(input.pageId);
  if (page.inTrash) throw new AppError({ code: 'notion_page_trashed', status: 409, message: 'This Notion page is in the trash. Restore it in Notion to import it.' });
  const tree = await fetchBlockTree(gateway, page.id);
  const warnings: ConvertWarning[] = [];
  const content = await pageContent(s, gateway, input.tenantId, tree, warnings);
  return storeDocument(s, { ...input, page, content, warnings });
}

async function pageContent(s: AppServices, gateway: NotionGateway, tenantId: string, tree: BlockNode[], warnings: ConvertWarning[]): Promise<PageContent> {
  const attachment = pickAttachment(tree);
  if (attachment) {
    const file = await downloadAsset(s, gateway, tenantId, attachment, `${tenantId}/notion-files`);
    const text = convertBlocks(tree).markdown.replace(/\s+/g, '');
    if (text.length > attachment.name.length + 80) {
      warnings.push({ blockId: attachment.blockId, blockType: attachment.kind, code: 'page_text_not_imported', message: 'This page holds a file, so the file was imported as the document; the rest of the page text was not.' });
    }
    return { kind: 'file', file, contentHash: file.sha256 };
  }
  const assetUrls = new Map<string, string>();
  for (const asset of collectAssets(tree)) {
    try {
      const stored = await downloadAsset(s, gateway, tenantId, asset, `${tenantId}/assets`);
      assetUrls.set(asset.blockId, assetRef(stored.sha256, stored.contentType));
    } catch (err) {
      if (!isAppError(err) || !err.code.startsWith('download_')) throw err;
      // One broken image should not sink the page: it stays a link to Notion and the user is told.
      warnings.push({ blockId: asset.blockId, blockType: asset.kind, code: 'asset_not_copied', message: `${asset.name}: ${err.message}` });
    }
  }
  const converted = convertBlocks(tree, { assetUrls });
  warnings.unshift(...converted.warnings);
  return { kind: 'markdown', markdown: converted.markdown, contentHash: crypto.createHash('sha256').update(converted.markdown).digest('hex') };
}

/**
 * Download a Notion file into storage. Notion's signed URLs expire after about an hour; if the one in the
 * tree has expired by the time we get to it, the block is read again for a fresh URL, once.
 */
async function downloadAsset(s: AppServices, gateway: NotionGateway, tenantId: string, asset: ConvertAsset, keyPrefix: string): Promise<DownloadedFile> {
  const policy: DownloadPolicy = { ...s.downloadPolicy, ...(ALLOWED_TYPES[asset.kind] ? { allowedContentTypes: ALLOWED_TYPES[asset.kind] } : {}) };
  const download = (url: string) => downloadToStorage(url, { storage: s.storage, keyPrefix, policy, fileNameHint: asset.name });
  try {
    return await download(asset.url);
  } catch (err) {
    if (!isAppError(err) || err.code !== 'download_expired_url') throw err;
    const fresh = await gateway.retrieveBlock(asset.blockId);
    return download(collectAssets([{ block: fresh, children: [] }])[0]?.url ?? asset.url);
  }
}

async function storeDocument(s: AppServices, input: {
  tenantId: string; pageId: string; accessLevel: AccessLevel | undefined; actor: AuditActor; page: NotionPage; content: PageContent; warnings: ConvertWarning[];
}): Promise<ImportedPage> {
  const { page, content } = input;
  const title = (page.title.trim() || 'Untitled').slice(0, 500);
  const body = content.kind === 'markdown'
    ? { kind: 'markdown' as const, body_markdown: content.markdown, file_key: null, file_name: null, file_content_type: null, file_size: null, file_sha256: null }
    : { kind: 'file' as const, body_markdown: null, file_key: content.file.key, file_name: content.file.fileName, file_content_type: content.file.contentType, file_size: content.file.size, file_sha256: content.file.sha256 };
  const source = notionSourceFields(page);
  return withTenant(s.db, input.tenantId, async (trx) => {
    const existing = await findBySource(trx, 'notion', page.id);
    if (existing && existing.content_hash === content.contentHash && existing.title === title && existing.source_status === 'ok' && !existing.update_available
      && existing.source_last_edited_time?.getTime() === Date.parse(page.lastEditedTime)) {
      return { document: existing, warnings: input.warnings, changed: false, title };
    }
    const values = { title, ...body, ...source, content_hash: content.contentHash, content_last_edited_time: page.lastEditedTime, update_available: false, synced_at: new Date(), warnings: JSON.stringify(input.warnings) };
    const document = existing
      ? await updateDocument(trx, existing.id, values)
      : await insertDocument(trx, { tenant_id: input.tenantId, ...values, access_level: input.accessLevel ?? 'internal', source: 'notion', source_id: page.id });
    await recordAudit(trx, { tenantId: input.tenantId, actor: input.actor, action: existing ? 'document.reimported' : 'document.imported', targetType: 'document', targetId: document.id, details: { title, sourceId: page.id, kind: document.kind } });
    return { document, warnings: input.warnings, changed: true, title };
  });
}
