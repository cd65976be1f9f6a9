import { sql } from 'kysely';
import type { Db, Tx } from '../../../platform/db/tenant-scope.ts';
import type { AccessLevel } from '../../../platform/db/schema.ts';
import type { ImportItemResult, ImportStatus } from '../../../contracts/integrations.ts';
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
    pages: { pageId: string; accessLevel: AccessLevel | null }[];
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
      input.pages.map((page, position) => ({
        tenant_id: input.tenantId,
        import_id: imp.id,
        position,
        page_id: page.pageId,
        access_level: page.accessLevel,
        status: 'queued' as const,
      })),
    )
    .returning(['id', 'page_id'])
    .execute();
  return { importId: imp.id, items };
}

/** What importing one item needs: the import's and the page's chosen levels, and who asked for it. */
export async function findItemToImport(trx: Tx, importId: string, itemId: string) {
  return trx
    .selectFrom('imports')
    .innerJoin('import_items', 'import_items.import_id', 'imports.id')
    .leftJoin('users', 'users.id', 'imports.requested_by')
    .select([
      'imports.access_level',
      'import_items.access_level as page_level',
      'imports.requested_by',
      'imports.origin',
      'users.email',
    ])
    .where('imports.id', '=', importId)
    .where('import_items.id', '=', itemId)
    .executeTakeFirstOrThrow();
}

/**
 * Move a queued item to running under job `jobId`; returns the attempt number (the worker's fencing token
 * for heartbeats and the outcome), or null when the item was cancelled or is already taken.
 */
export async function claimItem(trx: Tx, itemId: string, jobId: string): Promise<number | null> {
  const row = await trx
    .updateTable('import_items')
    .set({
      status: 'running',
      attempts: sql`attempts + 1`,
      heartbeat_at: sql`now()`,
      job_id: jobId,
      updated_at: sql`now()`,
    })
    .where('id', '=', itemId)
    .where('status', '=', 'queued')
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts ?? null;
}

/** Liveness of a running item; false when the item was handed to another attempt meanwhile. */
export async function touchItem(trx: Tx, itemId: string, attempt: number): Promise<boolean> {
  const res = await trx
    .updateTable('import_items')
    .set({ heartbeat_at: sql`now()` })
    .where('id', '=', itemId)
    .where('status', '=', 'running')
    .where('attempts', '=', attempt)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Give a running item back at shutdown: its lease expires now, so a reaper re-queues it at once. */
export async function expireItemLease(db: Db, itemId: string): Promise<void> {
  await db
    .updateTable('import_items')
    .set({ heartbeat_at: new Date(0) })
    .where('id', '=', itemId)
    .where('status', '=', 'running')
    .execute();
}

/**
 * Record an item's outcome and close the import when it was the last one. With `attempt`, only while that
 * attempt still holds the item: a worker that stalled past its lease does not overwrite the next attempt.
 */
export async function finishItem(
  trx: Tx,
  itemId: string,
  attempt: number | null,
  outcome: {
    status: 'succeeded' | 'failed';
    documentId?: string;
    title?: string;
    error?: string;
    warnings: unknown[];
    result?: ImportItemResult;
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
  let update = trx
    .updateTable('import_items')
    .set({
      status: outcome.status,
      document_id: outcome.documentId ?? null,
      title: outcome.title ?? null,
      error: outcome.error ?? null,
      warnings: JSON.stringify(outcome.warnings),
      result: outcome.result ? JSON.stringify(outcome.result) : null,
      updated_at: sql`now()`,
    })
    .where('id', '=', itemId);
  if (attempt !== null) update = update.where('status', '=', 'running').where('attempts', '=', attempt);
  const item = await update.returning('import_id').executeTakeFirst();
  if (item) await closeImportIfDone(trx, item.import_id);
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
      result: (i.result ?? null) as ImportItemResult | null,
    })),
  };
}

/** An item the reaper handed back to the queue, with what its new job needs. */
export interface RequeuedItem {
  id: string;
  tenantId: string;
  integrationId: string;
  importId: string;
  pageId: string;
  /** The job of the attempt that went silent (to cancel). */
  staleJobId: string | null;
}

/**
 * Reaper, part one: running items whose heartbeat is older than `cutoff` lost their worker (killed, or cut
 * off from the database). Those with attempts left go back to `queued`; the caller sends their jobs in the
 * same transaction. `skip locked` lets reapers of several processes run at once without taking an item
 * twice. Runs across all tenants, as the owner.
 */
export async function requeueStaleItems(trx: Tx, cutoff: Date, maxAttempts: number): Promise<RequeuedItem[]> {
  const stale = await trx
    .selectFrom('import_items')
    .innerJoin('imports', 'imports.id', 'import_items.import_id')
    .select([
      'import_items.id',
      'import_items.tenant_id',
      'import_items.import_id',
      'import_items.page_id',
      'import_items.job_id',
      'imports.integration_id',
    ])
    .where('import_items.status', '=', 'running')
    .where('import_items.heartbeat_at', '<', cutoff)
    .where('import_items.attempts', '<', maxAttempts)
    .where('imports.integration_id', 'is not', null)
    .forUpdate('import_items')
    .skipLocked()
    .limit(500)
    .execute();
  if (stale.length === 0) return [];
  await trx
    .updateTable('import_items')
    .set({ status: 'queued', job_id: null, heartbeat_at: sql`now()`, updated_at: sql`now()` })
    .where(
      'id',
      'in',
      stale.map((r) => r.id),
    )
    .execute();
  return stale.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    integrationId: r.integration_id!,
    importId: r.import_id,
    pageId: r.page_id,
    staleJobId: r.job_id,
  }));
}

/**
 * Reaper, part two: stale items out of attempts (or whose connection is gone) fail with a reason the user
 * can act on, and imports with nothing left open are closed. Returns the items failed.
 */
export async function failExhaustedItems(db: Db, cutoff: Date, maxAttempts: number): Promise<number> {
  const failed = await db
    .updateTable('import_items')
    .set({
      status: 'failed',
      error: `The import of this page was interrupted ${maxAttempts === 1 ? 'once' : `${maxAttempts} times`}. Import it again.`,
      updated_at: sql`now()`,
    })
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', cutoff)
    .where((eb) =>
      eb.or([
        eb('attempts', '>=', maxAttempts),
        eb(
          'import_id',
          'in',
          eb.selectFrom('imports').select('imports.id').where('imports.integration_id', 'is', null),
        ),
      ]),
    )
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
  return Number(failed.numUpdatedRows);
}
