import type { AppServices } from '../../../platform/app-services.ts';
import type { AccessLevel } from '../../../platform/db/schema.ts';
import type { AuditActor } from '../../../audit/audit.repo.ts';
import { saveSourceContent, type SavedSourceContent } from '../../../documents/revisions.ts';
import { AppError } from '../../../platform/errors.ts';
import type { ConvertWarning } from '../convert/index.ts';
import type { ImportItemResult } from '../../../contracts/integrations.ts';
import type { NotionGateway } from '../gateway.ts';
import type { NotionPage } from '../gateway-types.ts';
import { fetchBlockTree } from '../tree.ts';
import { readPageContent, type PageContent } from './page-content.ts';
import { documentTitle, notionSourceFields } from './source-fields.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import { findAccessMapping } from '../access-mapping.repo.ts';
import { mappedAccessLevel } from '../access-mapping.ts';

export interface ImportedPage extends SavedSourceContent {
  warnings: ConvertWarning[];
  title: string;
  /** What the import did, in the terms the picker reports. */
  result: ImportItemResult;
}

/**
 * Import one Notion page into the library: read it and its block tree, then either attach its file (the
 * page's first PDF block, else its first file block) or convert it to Markdown with its images re-hosted.
 * Everything is fetched and stored before the document row is written in one transaction, so a failure
 * at any step leaves no partial document. Re-importing an imported page never replaces what is published:
 * changed content waits as a revision for review (or is published at once, by the tenant's setting);
 * unchanged content writes nothing.
 */
export async function importPage(
  s: AppServices,
  gateway: NotionGateway,
  input: {
    tenantId: string;
    pageId: string;
    /** Level of a new document whose page has no mapped level. */
    accessLevel: AccessLevel | undefined;
    /** Level chosen for this page in the import picker; wins over the mapping. */
    chosenLevel?: AccessLevel | null | undefined;
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

/** Hand the page's content to the documents module, which decides whether it is published or waits for review. */
async function storeDocument(
  s: AppServices,
  input: {
    tenantId: string;
    pageId: string;
    accessLevel: AccessLevel | undefined;
    chosenLevel?: AccessLevel | null | undefined;
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
  const mapping = await withTenant(s.db, input.tenantId, findAccessMapping);
  const mapped = mapping ? mappedAccessLevel(mapping, page) : null;
  const saved = await saveSourceContent(s.db, {
    tenantId: input.tenantId,
    source: 'notion',
    sourceId: page.id,
    content: { title, ...body, content_hash: content.contentHash, warnings: input.warnings },
    sourceFields: notionSourceFields(page),
    sourceLastEditedTime: page.lastEditedTime,
    accessLevel: input.chosenLevel ?? mapped ?? input.accessLevel,
    ...(mapping ? { sourceAccessLevel: mapped, publishMorePublic: mapping.publishMorePublic } : {}),
    by: { audit: input.actor, userId: input.actor.type === 'user' ? input.actor.id : null },
  });
  const result: ImportItemResult = {
    outcome: saved.outcome,
    kind: content.kind,
    fileContentType: content.kind === 'file' ? content.file.contentType : null,
    assets: content.kind === 'markdown' ? new Set(content.markdown.match(/\(asset:[^)\s]+/g) ?? []).size : 0,
    changes: saved.changes,
  };
  return { ...saved, warnings: input.warnings, title, result };
}
