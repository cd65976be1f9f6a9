import { z } from 'zod';
import type { AppServices } from '../../../platform/app-services.ts';
import { defineJob } from '../../../platform/jobs/queue.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import { nextRunAfter } from './schedule.ts';
import { beginRun } from './start-sync.ts';
import { dueSyncStates, setNextRunAt } from './sync-states.repo.ts';

export const SCHEDULE_CRON = '*/5 * * * *';

/**
 * The scheduler only fans out: every few minutes it enqueues one sync per connection whose slot has come
 * (slots are spread over the interval per connection, see schedule.ts). Paused (needs_reauth) and
 * disconnected connections are never picked. No slot is lost: the run, its job and the move to the next
 * slot commit together, and a connection whose sync is still queued or running keeps its slot due, so the
 * next tick starts it once that sync is over (its changes since then are not skipped). Freeing stuck work
 * is the reaper's job (reaper.ts), which runs far more often. Reads across tenants as the owner.
 */
export const syncScheduleJob = defineJob<Record<string, never>, AppServices>({
  id: 'notion.sync-schedule',
  payload: z.object({}).strict() as z.ZodType<Record<string, never>>,
  queue: { policy: 'singleton', retryLimit: 0 },
  async handle(_p, s) {
    const intervalMs = s.config.SYNC_INTERVAL_HOURS * 3600_000;
    const now = new Date();
    const due = await dueSyncStates(s.db, now);
    for (const row of due) {
      try {
        await withTenant(s.db, row.tenant_id, async (trx) => {
          const { active } = await beginRun(
            s,
            trx,
            { id: row.integration_id },
            {
              tenantId: row.tenant_id,
              trigger: 'scheduled',
              reconcile: false,
              actor: { type: 'system', id: null, label: 'scheduler' },
            },
          );
          if (active) return;
          await setNextRunAt(trx, row.integration_id, nextRunAfter(row.next_run_at, intervalMs, now));
        });
      } catch (err) {
        s.logger.warn({ err, integrationId: row.integration_id }, 'could not schedule a sync');
      }
    }
  },
});
