import type { Tx } from '../../../platform/db/tenant-scope.ts';
import type { DocumentRow, SourceStatus } from '../../../platform/db/schema.ts';
import type { NotionPage } from '../gateway-types.ts';
import type { NotionGateway } from '../gateway.ts';
import { notionErrorKind } from '../errors.ts';
import { notionSourceFields } from '../import/source-fields.ts';
import { recordSourceMissing, recordSourceReading } from '../../../documents/documents.repo.ts';

/**
 * Refresh a document's metadata from its Notion page. Content and title are never replaced here: a newer
 * edit in Notion only raises `update_available`, and the sync then reads the page into a revision for
 * review, because a public trust center must not change without a person's decision. `doc` may be minutes old by now (a reconcile batch waits on Notion), so the flag is
 * computed in SQL against the row as it is, and a re-import that committed meanwhile is not undone.
 * Returns whether anything visible changed.
 */
export async function applyPageMetadata(trx: Tx, doc: DocumentRow, page: NotionPage): Promise<boolean> {
  const fields = notionSourceFields(page);
  const status: SourceStatus = page.inTrash ? 'trashed' : 'ok';
  const edited = new Date(page.lastEditedTime);
  const stale = doc.content_last_edited_time !== null && edited > doc.content_last_edited_time;
  const changed =
    doc.source_url !== fields.source_url ||
    doc.source_status !== status ||
    doc.source_last_edited_time?.getTime() !== edited.getTime() ||
    (stale && !doc.update_available) ||
    !sameJson(doc.source_icon, fields.source_icon) ||
    !sameJson(doc.source_parent, fields.source_parent) ||
    doc.source_cover !== fields.source_cover;
  await recordSourceReading(trx, doc.id, {
    fields: changed ? { ...fields, source_status: status } : null,
    editedAt: edited,
  });
  return changed;
}

/** jsonb does not keep key order, so stored and fresh values are compared in a canonical form. */
function sameJson(stored: unknown, fresh: string | null): boolean {
  return canonical(stored ?? null) === canonical(fresh === null ? null : JSON.parse(fresh));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Mark a document whose page can no longer be read; its content is kept untouched. */
export async function markSourceMissing(
  trx: Tx,
  doc: DocumentRow,
  status: Exclude<SourceStatus, 'ok' | 'disconnected'>,
): Promise<boolean> {
  const changed = doc.source_status !== status;
  await recordSourceMissing(trx, doc.id, changed ? status : null);
  return changed;
}

/** What reading a linked page found: the page, or that Notion no longer shows it to us. */
export type PageReading = { page: NotionPage } | { page: null; missing: 'unshared' };

/** Read a linked document's page. Notion's 404/403 become a reading, every other failure propagates. */
export async function readLinkedPage(gateway: NotionGateway, pageId: string): Promise<PageReading> {
  try {
    return { page: await gateway.retrievePage(pageId) };
  } catch (err) {
    const kind = notionErrorKind(err);
    // Notion answers 404 both for pages no longer shared with the integration and for deleted ones.
    if (kind !== 'notion_not_found' && kind !== 'notion_forbidden') throw err;
    return { page: null, missing: 'unshared' };
  }
}

/**
 * Apply a reading to its document: the one code path by which the reconcile pass and live updates (Notion
 * events forwarded by Nango) set metadata, `update_available` and `source_status`. Returns whether anything
 * visible changed.
 */
export async function applyPageReading(trx: Tx, doc: DocumentRow, reading: PageReading): Promise<boolean> {
  return reading.page ? applyPageMetadata(trx, doc, reading.page) : markSourceMissing(trx, doc, reading.missing);
}
