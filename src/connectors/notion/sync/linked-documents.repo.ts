import { sql } from 'kysely';
import type { Db, Tx } from '../../../platform/db/tenant-scope.ts';
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

/**
 * The integration of a Nango connection, across tenants (read as the owner), one row per linked document
 * an event names: the pages themselves, or the pages under its container (parent page or database).
 * One row with a null `source_id` when none is linked; none when the connection is unknown.
 */
export async function connectionWithLinkedPages(
  db: Db,
  connectionId: string,
  targets: { pageIds: string[]; containerId: string | null },
) {
  const { pageIds, containerId } = targets;
  return db
    .selectFrom('integrations as i')
    .leftJoin('documents as d', (join) =>
      join
        .onRef('d.tenant_id', '=', 'i.tenant_id')
        .on('d.source', '=', 'notion')
        .on((eb) =>
          eb.or([
            eb('d.source_id', 'in', pageIds.length > 0 ? pageIds : ['']),
            ...(containerId
              ? [
                  eb(sql<string>`d.source_parent->>'id'`, '=', containerId),
                  eb(sql<string>`d.source_parent->>'databaseId'`, '=', containerId),
                ]
              : []),
          ]),
        ),
    )
    .select(['i.id', 'i.tenant_id', 'i.status', 'i.live_updates_at', 'd.source_id'])
    .where('i.nango_connection_id', '=', connectionId)
    .execute();
}
