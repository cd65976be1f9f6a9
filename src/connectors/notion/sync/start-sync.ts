import type { AppServices } from '../../../platform/app-services.ts';
import type { AuditActor } from '../../../audit/audit.repo.ts';
import { recordAudit } from '../../../audit/audit.repo.ts';
import { auditActor } from '../../../audit/audit-actor.ts';
import type { ActorContext } from '../../../platform/http/request-context.ts';
import { leaveTenantScope, withTenant, type Tx } from '../../../platform/db/tenant-scope.ts';
import type { IntegrationRow } from '../../../platform/db/schema.ts';
import { requireConnectedIntegration } from '../connection.ts';
import { reapStaleRuns } from '../reaper.ts';
import { syncConnectionJob } from './sync-connection.job.ts';
import { findActiveRun, insertRun, listRuns, setRunJob } from './sync-runs.repo.ts';
import { isUniqueViolation } from '../../../platform/db/errors.ts';

export interface SyncRequest {
  tenantId: string;
  trigger: 'manual' | 'scheduled';
  reconcile: boolean;
  actor: AuditActor;
}

/**
 * Queue a sync run of the tenant's connection. A connection never runs two syncs at once: when one is
 * already queued or running (manual or scheduled), its id is returned instead of starting another. A run
 * whose worker died is handed back to the queue first, so a dead run is never what "Sync now" waits on.
 */
export async function startSync(
  s: AppServices,
  input: SyncRequest,
): Promise<{ syncRunId: string; alreadyRunning: boolean }> {
  const integration = await requireConnectedIntegration(s, input.tenantId);
  await reapStaleRuns(s, integration.id);
  const begin = () => withTenant(s.db, input.tenantId, (trx) => beginRun(s, trx, integration, input));
  // Two requests at the same instant both see no active run; the unique index lets one insert, and the
  // other then finds that run.
  const { run, active } = await begin().catch(async (err: unknown) => {
    if (!isUniqueViolation(err, 'sync_runs_one_active')) throw err;
    return begin();
  });
  return { syncRunId: run.id, alreadyRunning: active };
}

/**
 * Inside the caller's tenant transaction: the active run of the connection, or a new queued run with its
 * job, enqueued in the same transaction (a run never exists without the job that runs it, and a crash
 * cannot leave one behind). The job's singleton key (the connection) keeps one job per connection across
 * processes; if an earlier job still holds it (a run cancelled by a disconnect that has not noticed yet),
 * the run stays queued and the reaper sends its job once that slot is free.
 */
export async function beginRun(
  s: AppServices,
  trx: Tx,
  integration: Pick<IntegrationRow, 'id'>,
  input: SyncRequest,
): Promise<{ run: { id: string }; active: boolean }> {
  const current = await findActiveRun(trx, integration.id);
  if (current) return { run: current, active: true };
  const run = await insertRun(trx, {
    tenantId: input.tenantId,
    integrationId: integration.id,
    trigger: input.trigger,
    mode: input.reconcile ? 'reconcile' : 'delta',
  });
  await recordAudit(trx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: 'sync.started',
    targetType: 'sync_run',
    targetId: run.id,
    details: { trigger: input.trigger, reconcile: input.reconcile },
  });
  await leaveTenantScope(trx);
  const jobId = await s.jobs.sendInTransaction(
    syncConnectionJob,
    { tenantId: input.tenantId, integrationId: integration.id, runId: run.id, reconcile: input.reconcile },
    trx,
    { singletonKey: integration.id },
  );
  await setRunJob(trx, run.id, jobId);
  return { run, active: false };
}

/** "Sync now" from the Integrations page. */
export function startManualSync(ctx: ActorContext, input: { reconcile?: boolean | undefined }) {
  return startSync(ctx.s, {
    tenantId: ctx.tenantId,
    trigger: 'manual',
    reconcile: input.reconcile ?? false,
    actor: auditActor(ctx.actor),
  });
}

/** The connection's sync history, newest first. */
export function listSyncRuns(ctx: ActorContext, input: { limit: number }) {
  return withTenant(ctx.s.db, ctx.tenantId, (trx) => listRuns(trx, input.limit));
}
