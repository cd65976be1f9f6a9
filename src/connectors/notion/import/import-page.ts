import { sql } from 'kysely';
import type { AppServices } from '../../../platform/app-services.ts';
import type { AccessLevel, DocumentRow } from '../../../platform/db/schema.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import { recordAudit, type AuditActor } from '../../../audit/audit.repo.ts';
import { findBySource, insertDocument, updateDocument } from '../../../documents/documents.repo.ts';
import { AppError } from '../../../platform/errors.ts';
import type { ConvertWarning } from '../convert/index.ts';
import type { NotionGateway } from '../gateway.ts';
import type { NotionPage } from '../gateway-types.ts';
import { fetchBlockTree } from '../tree.ts';
import { readPageContent, type PageContent } from './page-content.ts';
import { documentTitle, notionSourceFields } from './source-fields.ts';

export interface ImportedPage {
  document: DocumentRow;
  warnings: ConvertWarning[];
  changed: boolean;
  title: string;
}

/**
 * Import one Notion page into the library: read it and its block tree, then either attach its file (the
 * page's first PDF block, else its first file block) or convert it to Markdown with its images re-hosted.
 * Everything is fetched and stored before the document row is written in one transaction, so a failure
 * at any step leaves no partial document. Re-importing updates the same document; unchanged content
 * writes nothing.
 */
export async function importPage(
  s: AppServices,
  gateway: NotionGateway,
  input: {
    tenantId: string;
    pageId: string;
    accessLevel: AccessLevel | undefined;
    actor: AuditActor;
  },
): Promise<ImportedPage> {
  const page = await gateway.retrievePage(input.pageId);
  if (page.inTrash)
    throw new AppError({
      code: 'notion_page_trashed',
      message: 'This Notion page is in the trash. Restore it in Notion to import it.',
    });
  const tree = await fetchBlockTree(gateway, page.id);
  const warnings: ConvertWarning[] = [];
  const content = await readPageContent(
    {
      gateway,
      storage: s.storage,
      downloadPolicy: s.downloadPolicy,
      fileKeyPrefix: `${input.tenantId}/notion-files`,
      assetKeyPrefix: `${input.tenantId}/assets`,
    },
    tree,
    warnings,
  );
  return storeDocument(s, { ...input, page, content, warnings });
}

async function storeDocument(
  s: AppServices,
  input: {
    tenantId: string;
    pageId: string;
    accessLevel: AccessLevel | undefined;
    actor: AuditActor;
    page: NotionPage;
    content: PageContent;
    warnings: ConvertWarning[];
  },
): Promise<ImportedPage> {
  const { page, content } = input;
  const title = documentTitle(page);
  const body =
    content.kind === 'markdown'
      ? {
          kind: 'markdown' as const,
          body_markdown: content.markdown,
          file_key: null,
          file_name: null,
          file_content_type: null,
          file_size: null,
          file_sha256: null,
        }
      : {
          kind: 'file' as const,
          body_markdown: null,
          file_key: content.file.key,
          file_name: content.file.fileName,
          file_content_type: content.file.contentType,
          file_size: content.file.size,
          file_sha256: content.file.sha256,
        };
  const source = notionSourceFields(page);
  return withTenant(s.db, input.tenantId, async (trx) => {
    // Two imports of the same new page (a double submit) would both miss the row and race on the unique
    // key; the lock makes the second wait and then update what the first inserted.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`notion-document:${input.tenantId}:${page.id}`}, 0))`.execute(
      trx,
    );
    const existing = await findBySource(trx, 'notion', page.id);
    if (
      existing &&
      existing.content_hash === content.contentHash &&
      existing.title === title &&
      existing.source_status === 'ok' &&
      !existing.update_available &&
      existing.source_last_edited_time?.getTime() === Date.parse(page.lastEditedTime)
    ) {
      return {
        document: existing,
        warnings: input.warnings,
        changed: false,
        title,
      };
    }
    const values = {
      title,
      ...body,
      ...source,
      content_hash: content.contentHash,
      content_last_edited_time: page.lastEditedTime,
      update_available: false,
      synced_at: new Date(),
      warnings: JSON.stringify(input.warnings),
    };
    const document = existing
      ? await updateDocument(trx, existing.id, values)
      : await insertDocument(trx, {
          tenant_id: input.tenantId,
          ...values,
          access_level: input.accessLevel ?? 'internal',
          source: 'notion',
          source_id: page.id,
        });
    await recordAudit(trx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: existing ? 'document.reimported' : 'document.imported',
      targetType: 'document',
      targetId: document.id,
      details: { title, sourceId: page.id, kind: document.kind },
    });
    return { document, warnings: input.warnings, changed: true, title };
  });
}
