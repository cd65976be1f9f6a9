import { z } from 'zod';
import type { AppServices } from '../../../platform/app-services.ts';
import { defineJob } from '../../../platform/jobs/queue.ts';
import { nextRunAfter } from './schedule.ts';
import { reapStuckRuns } from './sync-runs.repo.ts';
import { reapStuckImportItems } from '../import/imports.repo.ts';
import { startSync } from './start-sync.ts';

const STUCK_AFTER_MS = 10 * 60_000;
// A page import makes a bounded number of calls, each with its own timeout; an hour is far beyond it.
const STUCK_IMPORT_AFTER_MS = 60 * 60_000;
export const SCHEDULE_CRON = '*/5 * * * *';

/**
 * The scheduler only fans out: every few minutes it frees stuck runs and import items, then enqueues one sync per
 * connection whose slot has come (slots are spread over the interval per connection, see schedule.ts).
 * Paused (needs_reauth) and disconnected connections are never picked. Reads across tenants as the owner.
 */
export const syncScheduleJob = defineJob<Record<string, never>, AppServices>({
  id: 'notion.sync-schedule',
  payload: z.object({}).strict() as z.ZodType<Record<string, never>>,
  queue: { policy: 'singleton', retryLimit: 0 },
  async handle(_p, s) {
    await reapStuckRuns(s.db, STUCK_AFTER_MS);
    await reapStuckImportItems(s.db, STUCK_IMPORT_AFTER_MS);
    const intervalMs = s.config.SYNC_INTERVAL_HOURS * 3600_000;
    const now = new Date();
    const due = await s.db
      .selectFrom('sync_states')
      .innerJoin('integrations', 'integrations.id', 'sync_states.integration_id')
      .select(['sync_states.integration_id', 'sync_states.tenant_id', 'sync_states.next_run_at'])
      .where('integrations.status', '=', 'connected')
      .where('sync_states.status', '<>', 'paused')
      .where('sync_states.next_run_at', '<=', now)
      .orderBy('sync_states.next_run_at')
      .limit(1000)
      .execute();
    for (const row of due) {
      await s.db
        .updateTable('sync_states')
        .set({ next_run_at: nextRunAfter(row.next_run_at, intervalMs, now) })
        .where('integration_id', '=', row.integration_id)
        .execute();
      try {
        await startSync(s, {
          tenantId: row.tenant_id,
          trigger: 'scheduled',
          reconcile: false,
          actor: { type: 'system', id: null, label: 'scheduler' },
        });
      } catch (err) {
        s.logger.warn({ err, integrationId: row.integration_id }, 'could not schedule a sync');
      }
    }
  },
});
