import type { AppServices } from '../../platform/app-services.ts';
import { retryOnLostConnection } from '../../platform/db/tenant-scope.ts';
import { failExhaustedItems, requeueStaleItems } from './import/imports.repo.ts';
import { importPageJob } from './import/import-page.job.ts';
import { leaseTimings } from './lease.ts';
import { syncConnectionJob } from './sync/sync-connection.job.ts';
import { failStrandedSyncStates } from './sync/sync-states.repo.ts';
import {
  failExhaustedRuns,
  longQueuedRuns,
  requeueStaleRuns,
  setRunJob,
  type RequeuedRun,
} from './sync/sync-runs.repo.ts';

/**
 * The reaper: work whose worker went silent (killed, cut off, or shut down and handed back) goes back to
 * the queue, up to WORK_MAX_ATTEMPTS claims, then fails with its reason. Every worker process runs it a few
 * times per stale period; rows are taken with `for update skip locked` and re-queued together with their
 * new job in one transaction, so concurrent reapers never take the same work twice and a crash mid-reap
 * loses nothing. Re-running work is safe: documents are upserted by page id, and sync runs resume from
 * the checkpoint. Reads across tenants as the owner.
 */
export async function reapStaleWork(s: AppServices): Promise<void> {
  await reapStaleItems(s);
  await reapStaleRuns(s);
}

async function reapStaleItems(s: AppServices): Promise<void> {
  const cutoff = new Date(Date.now() - leaseTimings(s.config).staleMs);
  const requeued = await retryOnLostConnection(s.db, async (trx) => {
    const items = await requeueStaleItems(trx, cutoff, s.config.WORK_MAX_ATTEMPTS);
    // The silent attempt's job is cancelled so pg-boss does not keep it active until its expiry.
    await s.jobs.cancel(
      importPageJob,
      items.flatMap((i) => (i.staleJobId ? [i.staleJobId] : [])),
      trx,
    );
    for (const i of items) {
      await s.jobs.sendInTransaction(
        importPageJob,
        { tenantId: i.tenantId, integrationId: i.integrationId, importId: i.importId, itemId: i.id, pageId: i.pageId },
        trx,
      );
    }
    return items.length;
  });
  const failed = await failExhaustedItems(s.db, cutoff, s.config.WORK_MAX_ATTEMPTS);
  if (requeued || failed) s.logger.warn({ requeued, failed }, 'reaper handed back interrupted page imports');
}

/**
 * Hand back the sync runs whose worker went silent (of one connection when given, as "Sync now" does before
 * it looks for a running sync), and send the job of any run that has waited a stale period with none.
 */
export async function reapStaleRuns(s: AppServices, integrationId?: string): Promise<void> {
  const cutoff = new Date(Date.now() - leaseTimings(s.config).staleMs);
  const requeued = await retryOnLostConnection(s.db, async (trx) => {
    const runs = await requeueStaleRuns(trx, cutoff, s.config.WORK_MAX_ATTEMPTS, integrationId);
    for (const run of runs) await sendRunJob(s, trx, run);
    return runs.length;
  });
  let resent = 0;
  if (!integrationId) {
    for (const run of await longQueuedRuns(s.db, cutoff)) {
      if ((await s.jobs.pendingJobIds(syncConnectionJob, { runId: run.id })).length > 0) continue;
      await retryOnLostConnection(s.db, (trx) => sendRunJob(s, trx, run));
      resent += 1;
    }
  }
  const failed = await failExhaustedRuns(s.db, cutoff, s.config.WORK_MAX_ATTEMPTS);
  await failStrandedSyncStates(s.db);
  if (requeued || resent || failed) s.logger.warn({ requeued, resent, failed }, 'reaper handed back interrupted syncs');
}

/**
 * Cancel the silent attempt's job first: the sync queue holds one job per connection, and a job of a dead
 * worker stays active until pg-boss expires it, which would keep the new one out.
 */
async function sendRunJob(s: AppServices, trx: Parameters<typeof setRunJob>[0], run: RequeuedRun): Promise<void> {
  if (run.staleJobId) await s.jobs.cancel(syncConnectionJob, [run.staleJobId], trx);
  const jobId = await s.jobs.sendInTransaction(
    syncConnectionJob,
    { tenantId: run.tenantId, integrationId: run.integrationId, runId: run.id, reconcile: run.reconcile },
    trx,
    { singletonKey: run.integrationId },
  );
  await setRunJob(trx, run.id, jobId);
}
