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

/**
 * queued → running under job `jobId`; returns the attempt number (the worker's fencing token for
 * checkpoints and the outcome), or null when the run was cancelled or taken meanwhile.
 */
export async function markRunning(trx: Tx, runId: string, jobId: string): Promise<number | null> {
  const row = await trx
    .updateTable('sync_runs')
    .set({
      status: 'running',
      started_at: sql`coalesce(started_at, now())`,
      heartbeat_at: sql`now()`,
      attempts: sql`attempts + 1`,
      job_id: jobId,
    })
    .where('id', '=', runId)
    .where('status', '=', 'queued')
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts ?? null;
}

/**
 * Progress and liveness, written with every checkpoint. False when this attempt no longer holds the run (a
 * disconnect cancelled it, or the reaper handed it on): its checkpoint must then not be kept.
 */
export async function recordProgress(trx: Tx, runId: string, attempt: number, counts: RunCounts): Promise<boolean> {
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
    .where('attempts', '=', attempt)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Liveness only, between checkpoints; false when this attempt no longer holds the run. */
export async function touchRun(trx: Tx, runId: string, attempt: number): Promise<boolean> {
  const res = await trx
    .updateTable('sync_runs')
    .set({ heartbeat_at: sql`now()` })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .where('attempts', '=', attempt)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Give a running run back at shutdown: its lease expires now, so a reaper re-queues it at once. */
export async function expireRunLease(db: Db, runId: string): Promise<void> {
  await db
    .updateTable('sync_runs')
    .set({ heartbeat_at: new Date(0) })
    .where('id', '=', runId)
    .where('status', '=', 'running')
    .execute();
}

/** Remember the job that will run a queued run (the reaper checks it is still pending). */
export async function setRunJob(trx: Tx, runId: string, jobId: string | null): Promise<void> {
  await trx.updateTable('sync_runs').set({ job_id: jobId }).where('id', '=', runId).execute();
}

/** End a queued or running run; with `attempt`, only while that attempt still holds it. */
export async function finishRun(
  trx: Tx,
  runId: string,
  attempt: number | null,
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
    .where((eb) => (attempt === null ? eb.lit(true) : eb('attempts', '=', attempt)))
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

/** A run the reaper put back in the queue, with what its new job needs. */
export interface RequeuedRun {
  id: string;
  tenantId: string;
  integrationId: string;
  reconcile: boolean;
  /** The job of the attempt that went silent (cancelled, so the connection's singleton slot is free). */
  staleJobId: string | null;
}

/** Only runs that still have a connection are selected, so the id is there. */
const toRequeuedRun = (r: {
  id: string;
  tenant_id: string;
  integration_id: string | null;
  mode: string;
  job_id: string | null;
}): RequeuedRun => ({
  id: r.id,
  tenantId: r.tenant_id,
  integrationId: r.integration_id!,
  reconcile: r.mode === 'reconcile',
  staleJobId: r.job_id,
});

/**
 * Reaper, part one: running runs whose heartbeat is older than `cutoff` lost their worker. With attempts
 * left they go back to `queued` (the checkpoint on the sync state makes the next attempt resume, not start
 * over); the caller sends their jobs in the same transaction. Limited to one connection when given.
 */
export async function requeueStaleRuns(
  trx: Tx,
  cutoff: Date,
  maxAttempts: number,
  integrationId?: string,
): Promise<RequeuedRun[]> {
  let query = trx
    .selectFrom('sync_runs')
    .select(['id', 'tenant_id', 'integration_id', 'mode', 'job_id'])
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', cutoff)
    .where('attempts', '<', maxAttempts)
    .where('integration_id', 'is not', null);
  if (integrationId) query = query.where('integration_id', '=', integrationId);
  const stale = await query.forUpdate().skipLocked().limit(200).execute();
  if (stale.length === 0) return [];
  await trx
    .updateTable('sync_runs')
    .set({ status: 'queued', job_id: null, heartbeat_at: sql`now()` })
    .where(
      'id',
      'in',
      stale.map((r) => r.id),
    )
    .execute();
  return stale.map(toRequeuedRun);
}

/**
 * Queued runs waiting longer than `cutoff` (queued-since is kept in heartbeat_at, else created_at), for the
 * reaper to check that a job still exists for each: a job can fail before it claims its run.
 */
export async function longQueuedRuns(db: Db, cutoff: Date): Promise<RequeuedRun[]> {
  const rows = await db
    .selectFrom('sync_runs')
    .select(['id', 'tenant_id', 'integration_id', 'mode', 'job_id'])
    .where('status', '=', 'queued')
    .where('integration_id', 'is not', null)
    .where(sql<boolean>`coalesce(heartbeat_at, created_at) < ${cutoff}`)
    .limit(200)
    .execute();
  return rows.map(toRequeuedRun);
}

/** Reaper, part two: stale runs out of attempts fail (their checkpoint stays, so the next run resumes). */
export async function failExhaustedRuns(db: Db, cutoff: Date, maxAttempts: number): Promise<number> {
  const res = await db
    .updateTable('sync_runs')
    .set({
      status: 'failed',
      finished_at: sql`now()`,
      error: 'The sync was interrupted; the next run resumes from its checkpoint.',
    })
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', cutoff)
    .where((eb) => eb.or([eb('attempts', '>=', maxAttempts), eb('integration_id', 'is', null)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
