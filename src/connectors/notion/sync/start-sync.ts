import type { AppServices } from '../../../platform/app-services.ts';
import type { AuditActor } from '../../../audit/audit.repo.ts';
import { recordAudit } from '../../../audit/audit.repo.ts';
import { auditActor } from '../../../audit/audit-actor.ts';
import type { ActorContext } from '../../../platform/http/request-context.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import { requireConnectedIntegration } from '../connection.ts';
import { syncConnectionJob } from './sync-connection.job.ts';
import { findActiveRun, finishRun, insertRun, listRuns } from './sync-runs.repo.ts';
import { isUniqueViolation } from '../../../platform/db/errors.ts';

/**
 * Queue a sync run of the tenant's connection. A connection never runs two syncs at once: when one is
 * already queued or running (manual or scheduled), its id is returned instead of starting another, and
 * the queue's singleton key enforces the same across processes.
 */
export async function startSync(
  s: AppServices,
  input: {
    tenantId: string;
    trigger: 'manual' | 'scheduled';
    reconcile: boolean;
    actor: AuditActor;
  },
): Promise<{ syncRunId: string; alreadyRunning: boolean }> {
  const integration = await requireConnectedIntegration(s, input.tenantId);
  const begin = () =>
    withTenant(s.db, input.tenantId, async (trx) => {
      const current = await findActiveRun(trx, integration.id);
      if (current) return { run: current, active: true };
      const created = await insertRun(trx, {
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
        targetId: created.id,
        details: { trigger: input.trigger, reconcile: input.reconcile },
      });
      return { run: created, active: false };
    });
  // Two requests at the same instant both see no active run; the unique index lets one insert, and the
  // other then finds that run.
  const { run, active } = await begin().catch(async (err: unknown) => {
    if (!isUniqueViolation(err, 'sync_runs_one_active')) throw err;
    return begin();
  });
  if (active) return { syncRunId: run.id, alreadyRunning: true };
  const jobId = await s.jobs.send(
    syncConnectionJob,
    {
      tenantId: input.tenantId,
      integrationId: integration.id,
      runId: run.id,
      reconcile: input.reconcile,
    },
    { singletonKey: integration.id },
  );
  if (!jobId) {
    await withTenant(s.db, input.tenantId, (trx) =>
      finishRun(trx, run.id, {
        status: 'cancelled',
        error: 'Another sync of this connection is in progress.',
        counts: {
          pagesChecked: 0,
          pagesChanged: 0,
          pagesMissing: 0,
          notionCalls: 0,
        },
      }),
    );
  }
  return { syncRunId: run.id, alreadyRunning: false };
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
