import type { DocumentRow, RevisionRow } from '../platform/db/schema.ts';
import {
  BLOCK_LEFT_OUT,
  type DocumentDto,
  type DocumentSummary,
  type Revision,
  type Warning,
} from '../contracts/documents.ts';
import { isoOrNull } from '../platform/db/dates.ts';

/** The file of a file document or version, with where this caller may download it. */
function fileOf(row: DocumentRow | RevisionRow, fileUrl: string): DocumentSummary['file'] {
  if (row.kind !== 'file' || !row.file_key) return null;
  return {
    name: row.file_name ?? 'file',
    contentType: row.file_content_type ?? 'application/octet-stream',
    size: Number(row.file_size ?? 0),
    sha256: row.file_sha256 ?? '',
    url: fileUrl,
  };
}

/** Map a row to the API's camelCase shape; `fileUrl` is where this caller may download the file. */
export function toDocumentSummary(row: DocumentRow, fileUrl: string): DocumentSummary {
  return {
    id: row.id,
    title: row.title,
    kind: row.kind,
    file: fileOf(row, fileUrl),
    accessLevel: row.access_level,
    viewOnly: row.view_only,
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
    blocksLeftOut: ((row.warnings ?? []) as Warning[]).filter((w) => w.code === BLOCK_LEFT_OUT).length,
    pendingRevisionId: row.pending_revision_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toDocumentDto(row: DocumentRow, fileUrl: string): DocumentDto {
  return { ...toDocumentSummary(row, fileUrl), markdown: row.body_markdown };
}

/** Map a revision row to the API shape; `fileUrl` is where its file (if any) is downloaded. */
export function toRevisionDto(row: RevisionRow, currentId: string | null, fileUrl: string): Revision {
  return {
    id: row.id,
    status: row.status,
    origin: row.origin,
    title: row.title,
    kind: row.kind,
    file: fileOf(row, fileUrl),
    contentHash: row.content_hash,
    warnings: (row.warnings ?? []) as Warning[],
    sourceLastEditedTime: isoOrNull(row.source_last_edited_time),
    createdBy: row.created_by_label,
    createdAt: row.created_at.toISOString(),
    decidedBy: row.decided_by_label,
    decidedAt: isoOrNull(row.decided_at),
    current: row.id === currentId,
    accessLevel: row.access_level,
  };
}
