import { sql } from 'kysely';
import type { Db, Tx } from '../../../platform/db/tenant-scope.ts';
import type { AccessLevel } from '../../../platform/db/schema.ts';
import type { ImportStatus } from '../../../contracts/integrations.ts';
import type { Warning } from '../../../contracts/documents.ts';
import { notFound } from '../../../platform/errors.ts';

/** Create an import with one queued item per page, in the given order. */
export async function insertImport(
  trx: Tx,
  input: {
    tenantId: string;
    integrationId: string;
    requestedBy: string | null;
    origin: 'user' | 'sync';
    accessLevel: AccessLevel;
    pageIds: string[];
  },
) {
  const imp = await trx
    .insertInto('imports')
    .values({
      tenant_id: input.tenantId,
      integration_id: input.integrationId,
      requested_by: input.requestedBy,
      origin: input.origin,
      access_level: input.accessLevel,
      status: 'running',
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
  const items = await trx
    .insertInto('import_items')
    .values(
      input.pageIds.map((pageId, position) => ({
        tenant_id: input.tenantId,
        import_id: imp.id,
        position,
        page_id: pageId,
        status: 'queued' as const,
      })),
    )
    .returning(['id', 'page_id'])
    .execute();
  return { importId: imp.id, items };
}

/** Move a queued item to running; returns false when it was cancelled or already taken. */
export async function claimItem(trx: Tx, itemId: string): Promise<boolean> {
  const res = await trx
    .updateTable('import_items')
    .set({ status: 'running', updated_at: sql`now()` })
    .where('id', '=', itemId)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Record an item's outcome and close the import when it was the last one. */
export async function finishItem(
  trx: Tx,
  itemId: string,
  outcome: {
    status: 'succeeded' | 'failed';
    documentId?: string;
    title?: string;
    error?: string;
    warnings: unknown[];
  },
): Promise<void> {
  // Items of one import finish in parallel. Locking the import row first serialises them, so the last
  // one to finish sees every other item's committed outcome and closes the import (under READ COMMITTED
  // two concurrent finishers would each still see the other running, and nobody would close it).
  await trx
    .selectFrom('imports')
    .select('imports.id')
    .where('imports.id', '=', (eb) =>
      eb.selectFrom('import_items').select('import_items.import_id').where('import_items.id', '=', itemId),
    )
    .forUpdate()
    .execute();
  const item = await trx
    .updateTable('import_items')
    .set({
      status: outcome.status,
      document_id: outcome.documentId ?? null,
      title: outcome.title ?? null,
      error: outcome.error ?? null,
      warnings: JSON.stringify(outcome.warnings),
      updated_at: sql`now()`,
    })
    .where('id', '=', itemId)
    .returning('import_id')
    .executeTakeFirstOrThrow();
  await closeImportIfDone(trx, item.import_id);
}

async function closeImportIfDone(trx: Tx, importId: string): Promise<void> {
  const open = await trx
    .selectFrom('import_items')
    .select('id')
    .where('import_id', '=', importId)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  if (!open) {
    await trx
      .updateTable('imports')
      .set({
        status: sql`case when status = 'cancelled' then 'cancelled' else 'completed' end`,
        finished_at: sql`coalesce(finished_at, now())`,
      })
      .where('id', '=', importId)
      .execute();
  }
}

/** Cancel the import's queued items (running ones finish); returns the cancelled item ids. */
export async function cancelImport(trx: Tx, importId: string): Promise<string[]> {
  const imp = await trx
    .updateTable('imports')
    .set({ status: 'cancelled', finished_at: sql`now()` })
    .where('id', '=', importId)
    .returning('id')
    .executeTakeFirst();
  if (!imp) throw notFound('Import');
  const items = await trx
    .updateTable('import_items')
    .set({ status: 'cancelled', error: 'Cancelled.', updated_at: sql`now()` })
    .where('import_id', '=', importId)
    .where('status', '=', 'queued')
    .returning('id')
    .execute();
  return items.map((i) => i.id);
}

/** Cancel every queued item of a connection (used on disconnect). */
export async function cancelQueuedImportsOf(trx: Tx, integrationId: string): Promise<void> {
  const imports = await trx
    .selectFrom('imports')
    .select('id')
    .where('integration_id', '=', integrationId)
    .where('status', '=', 'running')
    .execute();
  for (const imp of imports) await cancelImport(trx, imp.id);
}

/** An import with its items, in the API's shape. */
export async function getImportStatus(trx: Tx, importId: string): Promise<ImportStatus> {
  const imp = await trx.selectFrom('imports').selectAll().where('id', '=', importId).executeTakeFirst();
  if (!imp) throw notFound('Import');
  const items = await trx
    .selectFrom('import_items')
    .selectAll()
    .where('import_id', '=', importId)
    .orderBy('position')
    .execute();
  const finished = items.filter((i) => i.status !== 'queued' && i.status !== 'running');
  return {
    id: imp.id,
    status: imp.status,
    accessLevel: imp.access_level,
    createdAt: imp.created_at.toISOString(),
    total: items.length,
    done: finished.length,
    failed: items.filter((i) => i.status === 'failed').length,
    items: items.map((i) => ({
      pageId: i.page_id,
      title: i.title,
      documentId: i.document_id,
      status: i.status,
      error: i.error,
      warnings: i.warnings as Warning[],
    })),
  };
}

/**
 * Reaper: an item whose worker died stays `running`, and its import would never finish. Items silent for
 * longer than any page import takes are failed with a reason the user can act on, and imports with
 * nothing left open are closed. Runs across all tenants, as the owner, from the scheduler.
 */
export async function reapStuckImportItems(db: Db, staleAfterMs: number): Promise<number> {
  const cutoff = new Date(Date.now() - staleAfterMs);
  const reaped = await db
    .updateTable('import_items')
    .set({
      status: 'failed',
      error: 'The import of this page was interrupted. Import it again.',
      updated_at: sql`now()`,
    })
    .where('status', '=', 'running')
    .where('updated_at', '<', cutoff)
    .executeTakeFirst();
  await db
    .updateTable('imports')
    .set({ status: 'completed', finished_at: sql`now()` })
    .where('status', '=', 'running')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('import_items')
            .select('import_items.id')
            .whereRef('import_items.import_id', '=', 'imports.id')
            .where('import_items.status', 'in', ['queued', 'running']),
        ),
      ),
    )
    .execute();
  return Number(reaped.numUpdatedRows);
}
