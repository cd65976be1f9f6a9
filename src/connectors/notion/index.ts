import type { AppServices } from '../../platform/app-services.ts';
import type { JobDefinition } from '../../platform/jobs/queue.ts';
import type { ApiRouter } from '../../platform/http/api-router.ts';
import type { ConnectorHooks } from '../../integrations/connector-hooks.ts';
import { notionConnectorHooks } from './hooks.ts';
import { importPageJob } from './import/import-page.job.ts';
import { registerNotionRoutes } from './notion.routes.ts';
import { registerSyncRoutes } from './sync/sync.routes.ts';
import { syncConnectionJob } from './sync/sync-connection.job.ts';
import { refreshPageJob } from './sync/refresh-page.job.ts';
import { SCHEDULE_CRON, syncScheduleJob } from './sync/sync-schedule.job.ts';
import { leaseTimings } from './lease.ts';
import { reapStaleWork } from './reaper.ts';

export { runNotionExport, type WithDb } from './export/export-command.ts';

/** A connector as the composition root sees it: everything it registers, and nothing of its insides. */
export interface Connector {
  registerRoutes(api: ApiRouter, s: AppServices): void;
  hooks(s: AppServices): ConnectorHooks;
  jobs: JobDefinition<unknown, AppServices>[];
  schedules: { job: JobDefinition<Record<string, never>, AppServices>; cron: string }[];
  /** Upkeep every worker process runs every `intervalMs` (safe to run in several processes at once). */
  maintenance: { intervalMs(s: AppServices): number; run(s: AppServices): Promise<void> };
}

/** The Notion connector: browsing, import, sync and its part in connecting and disconnecting. */
export const notionConnector: Connector = {
  registerRoutes(api) {
    registerNotionRoutes(api);
    registerSyncRoutes(api);
  },
  hooks: notionConnectorHooks,
  jobs: [importPageJob, syncConnectionJob, syncScheduleJob, refreshPageJob] as JobDefinition<unknown, AppServices>[],
  schedules: [{ job: syncScheduleJob, cron: SCHEDULE_CRON }],
  // The reaper hands back work whose worker went silent, several times per stale period.
  maintenance: { intervalMs: (s) => leaseTimings(s.config).heartbeatMs, run: reapStaleWork },
};
