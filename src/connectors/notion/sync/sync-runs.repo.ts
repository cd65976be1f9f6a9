import { sql } from 'kysely';
import type { Db, Tx } from '../../../platform/db/tenant-scope.ts';
import type { SyncRun } from '../../../contracts/integrations.ts';
import type { Selectable } from 'kysely';
import type { SyncRunsTable } from '../../../platform/db/schema.ts';

type RunRow = Selectable<SyncRunsTable>;
export type RunCounts = {
  pagesChecked: number;
  pagesChanged: number;
  pagesMissing: number;
  notionCalls: number;
};

/** Cancel the connection's queued and running runs; a running one notices at its next checkpoint. */
export async function cancelActiveRuns(trx: Tx, integrationId: string, reason: string): Promise<void> {
  await trx
    .updateTable('sync_runs')
    .set({ status: 'cancelled', finished_at: sql`now()`, error: reason })
    .where('integration_id', '=', integrationId)
    .where('status', 'in', ['queued', 'running'])
    .execute();
}

/** A run of this connection that is queued or running, if any. */
export async function findActiveRun(trx: Tx, integrationId: string): Promise<RunRow | undefined> {
  return trx
    .selectFrom('sync_runs')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
}

export async function insertRun(
  trx: Tx,
  input: {
    tenantId: string;
    integrationId: string;
    trigger: 'manual' | 'scheduled';
    mode: 'delta' | 'reconcile';
  },
): Promise<RunRow> {
  return trx
    .insertInto('sync_runs')
    .values({
      tenant_id: input.tenantId,
      integration_id: input.integrationId,
      trigger: input.trigger,
      mode: input.mode,
      status: 'queued',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** queued → running; false when the run was cancelled meanwhile. */
export async function markRunning(trx: Tx, runId: string): Promise<boolean> {
  const res = await trx
    .updateTable('sync_runs')
    .set({
      status: 'running',
      started_at: sql`now()`,
      heartbeat_at: sql`now()`,
    })
    .where('id', '=', runId)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * Progress and liveness, written with every checkpoint. False when the run is no longer running (a
 * disconnect cancelled it or the reaper gave up on it): its checkpoint must then not be kept.
 */
export async function recordProgress(trx: Tx, runId: string, counts: RunCounts): Promise<boolean> {
  const res = await trx
    .updateTable('sync_runs')
    .set({
      pages_checked: counts.pagesChecked,
      pages_changed: counts.pagesChanged,
      pages_missing: counts.pagesMissing,
      notion_calls: counts.notionCalls,
      heartbeat_at: sql`now()`,
    })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Liveness only, between checkpoints. */
export async function touchRun(trx: Tx, runId: string): Promise<void> {
  await trx
    .updateTable('sync_runs')
    .set({ heartbeat_at: sql`now()` })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .execute();
}

export async function finishRun(
  trx: Tx,
  runId: string,
  outcome: {
    status: 'succeeded' | 'failed' | 'cancelled';
    error?: string | null;
    counts: RunCounts;
    mode?: 'delta' | 'reconcile';
  },
): Promise<void> {
  await trx
    .updateTable('sync_runs')
    .set({
      ...(outcome.mode ? { mode: outcome.mode } : {}),
      status: outcome.status,
      error: outcome.error ?? null,
      finished_at: sql`now()`,
      pages_checked: outcome.counts.pagesChecked,
      pages_changed: outcome.counts.pagesChanged,
      pages_missing: outcome.counts.pagesMissing,
      notion_calls: outcome.counts.notionCalls,
    })
    .where('id', '=', runId)
    .where('status', 'in', ['queued', 'running'])
    .execute();
}

export async function listRuns(trx: Tx, limit: number): Promise<SyncRun[]> {
  const rows = await trx.selectFrom('sync_runs').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    trigger: r.trigger,
    mode: r.mode,
    status: r.status,
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
    pagesChecked: r.pages_checked,
    pagesChanged: r.pages_changed,
    pagesMissing: r.pages_missing,
    notionCalls: r.notion_calls,
    error: r.error,
    createdAt: r.created_at.toISOString(),
  }));
}

/**
 * Reaper: a run whose worker died stops sending heartbeats. It is marked failed so the connection can
 * sync again; its checkpoint stays on the sync state, so the next run resumes where it stopped.
 * Runs across all tenants, as the owner role, from the scheduler.
 */
export async function reapStuckRuns(db: Db, staleAfterMs: number): Promise<number> {
  const cutoff = new Date(Date.now() - staleAfterMs);
  const res = await db
    .updateTable('sync_runs')
    .set({
      status: 'failed',
      finished_at: sql`now()`,
      error: 'The sync was interrupted; the next run resumes from its checkpoint.',
    })
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '<', cutoff)]),
        eb.and([eb('status', '=', 'queued'), eb('created_at', '<', new Date(Date.now() - 4 * staleAfterMs))]),
      ]),
    )
    .executeTakeFirst();
  await db
    .updateTable('sync_states')
    .set({ status: 'failing' })
    .where('status', '=', 'running')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('sync_runs')
            .select('sync_runs.id')
            .whereRef('sync_runs.integration_id', '=', 'sync_states.integration_id')
            .where('sync_runs.status', '=', 'running'),
        ),
      ),
    )
    .execute();
  return Number(res.numUpdatedRows);
}
