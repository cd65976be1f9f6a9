import { sql, type Selectable, type UpdateObject } from 'kysely';
import type { Db, Tx } from '../../../platform/db/tenant-scope.ts';
import type { Database, SyncStatesTable } from '../../../platform/db/schema.ts';

/** The one writer of `sync_states`: each connection's sync checkpoint, health and next scheduled slot. */

type SyncStateRow = Selectable<SyncStatesTable>;
type SyncStateUpdate = UpdateObject<Database, 'sync_states'>;

/** Give a newly connected integration its sync state, unless it already has one; true when created. */
export async function createSyncStateIfMissing(
  trx: Tx,
  state: { integrationId: string; tenantId: string; nextRunAt: Date },
): Promise<boolean> {
  const existing = await trx
    .selectFrom('sync_states')
    .select('integration_id')
    .where('integration_id', '=', state.integrationId)
    .executeTakeFirst();
  if (existing) return false;
  await trx
    .insertInto('sync_states')
    .values({ integration_id: state.integrationId, tenant_id: state.tenantId, next_run_at: state.nextRunAt })
    .execute();
  return true;
}

/** Forget all progress: the next run starts from scratch. */
export async function restartSyncState(trx: Tx, integrationId: string): Promise<void> {
  await setSyncState(trx, integrationId, {
    stage: 'idle',
    high_water_mark: null,
    pending_high_water_mark: null,
    cursor: null,
    failure_count: 0,
    status: 'ok',
  });
}

/** End a pause (after re-authorisation); any other status and all progress are kept. */
export async function unpauseSyncState(trx: Tx, integrationId: string): Promise<void> {
  await setSyncState(trx, integrationId, { status: sql`case when status = 'paused' then 'ok' else status end` });
}

export async function setSyncState(trx: Tx, integrationId: string, values: SyncStateUpdate): Promise<void> {
  await trx
    .updateTable('sync_states')
    .set({ ...values, updated_at: sql`now()` })
    .where('integration_id', '=', integrationId)
    .execute();
}

/** A run finished: back to idle and healthy, with the time of the success (and of the reconcile, if it ran one). */
export async function recordSyncSuccess(trx: Tx, integrationId: string, run: { reconciled: boolean }): Promise<void> {
  await setSyncState(trx, integrationId, {
    stage: 'idle',
    status: 'ok',
    cursor: null,
    failure_count: 0,
    last_success_at: sql`now()`,
    ...(run.reconciled ? { last_reconcile_at: sql`now()` } : {}),
  });
}

/** A run failed: paused (until reconnected) or failing once more; `dropCheckpoint` restarts the pass. */
export async function recordSyncFailure(
  trx: Tx,
  integrationId: string,
  failure: { paused: boolean; dropCheckpoint: boolean },
): Promise<void> {
  await setSyncState(trx, integrationId, {
    ...(failure.paused ? { status: 'paused' } : { status: 'failing', failure_count: sql`failure_count + 1` }),
    ...(failure.dropCheckpoint ? { stage: 'idle', cursor: null, pending_high_water_mark: null } : {}),
  });
}

export async function getSyncState(trx: Tx, integrationId: string): Promise<SyncStateRow> {
  return trx
    .selectFrom('sync_states')
    .selectAll()
    .where('integration_id', '=', integrationId)
    .executeTakeFirstOrThrow();
}

/** Connections whose scheduled slot has come, across tenants (read as the owner); paused ones never are. */
export async function dueSyncStates(db: Db, now: Date) {
  return db
    .selectFrom('sync_states')
    .innerJoin('integrations', 'integrations.id', 'sync_states.integration_id')
    .select(['sync_states.integration_id', 'sync_states.tenant_id', 'sync_states.next_run_at'])
    .where('integrations.status', '=', 'connected')
    .where('sync_states.status', '<>', 'paused')
    .where('sync_states.next_run_at', '<=', now)
    .orderBy('sync_states.next_run_at')
    .limit(1000)
    .execute();
}

export async function setNextRunAt(trx: Tx, integrationId: string, nextRunAt: Date): Promise<void> {
  await trx
    .updateTable('sync_states')
    .set({ next_run_at: nextRunAt })
    .where('integration_id', '=', integrationId)
    .execute();
}

/** Sync states left `running` with no queued or running run are shown as failing (reaper, as the owner). */
export async function failStrandedSyncStates(db: Db): Promise<void> {
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
            .where('sync_runs.status', 'in', ['queued', 'running']),
        ),
      ),
    )
    .execute();
}
