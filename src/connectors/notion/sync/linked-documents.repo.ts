import type { Tx } from '../../../platform/db/tenant-scope.ts';
import type { DocumentRow } from '../../../platform/db/schema.ts';

/** Reads of the documents linked to Notion pages, as the sync needs them (the documents module writes them). */

/** Linked documents of the given Notion page ids, by page id. */
export async function linkedDocuments(trx: Tx, pageIds: string[]): Promise<Map<string, DocumentRow>> {
  if (pageIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('documents')
    .selectAll()
    .where('source', '=', 'notion')
    .where('source_id', 'in', pageIds)
    .execute();
  return new Map(rows.map((r) => [r.source_id!, r]));
}

/** The next `limit` linked documents in page-id order after `afterPageId` (the reconcile's batches). */
export async function linkedDocumentsAfter(trx: Tx, afterPageId: string, limit: number): Promise<DocumentRow[]> {
  return trx
    .selectFrom('documents')
    .selectAll()
    .where('source', '=', 'notion')
    .where('source_id', '>', afterPageId)
    .orderBy('source_id')
    .limit(limit)
    .execute();
}

/** Page ids of linked documents flagged as changed in Notion and still shared, not already queued for import. */
export async function changedPagesNotQueued(trx: Tx): Promise<string[]> {
  const rows = await trx
    .selectFrom('documents')
    .select('source_id')
    .where('source', '=', 'notion')
    .where('update_available', '=', true)
    .where('source_status', '=', 'ok')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('import_items')
            .select('import_items.id')
            .whereRef('import_items.page_id', '=', 'documents.source_id')
            .where('import_items.status', 'in', ['queued', 'running']),
        ),
      ),
    )
    .execute();
  return rows.map((d) => d.source_id!);
}
