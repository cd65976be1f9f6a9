import type { DocumentRow } from '../platform/db/schema.ts';
import type { DocumentDto, DocumentSummary, Warning } from '../contracts/documents.ts';
import { isoOrNull } from '../platform/db/dates.ts';

/** Map a row to the API's camelCase shape; `fileUrl` is where this caller may download the file. */
export function toDocumentSummary(row: DocumentRow, fileUrl: string): DocumentSummary {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    file:
      row.kind === 'file' && row.file_key
        ? {
            name: row.file_name ?? 'file',
            contentType: row.file_content_type ?? 'application/octet-stream',
            size: Number(row.file_size ?? 0),
            sha256: row.file_sha256 ?? '',
            url: fileUrl,
          }
        : null,
    accessLevel: row.access_level,
    source: row.source,
    sourceId: row.source_id,
    sourceUrl: row.source_url,
    sourceCreatedTime: isoOrNull(row.source_created_time),
    sourceLastEditedTime: isoOrNull(row.source_last_edited_time),
    sourceParent: row.source_parent ?? null,
    sourceIcon: row.source_icon ?? null,
    sourceCover: row.source_cover,
    sourceStatus: row.source_status,
    updateAvailable: row.update_available,
    syncedAt: isoOrNull(row.synced_at),
    contentHash: row.content_hash,
    warnings: (row.warnings ?? []) as Warning[],
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toDocumentDto(row: DocumentRow, fileUrl: string): DocumentDto {
  return { ...toDocumentSummary(row, fileUrl), markdown: row.body_markdown };
}
