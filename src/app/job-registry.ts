import type { AppServices } from '../platform/app-services.ts';
import type { JobDefinition } from '../platform/jobs/queue.ts';
import { importPageJob } from '../connectors/notion/import/import-page.job.ts';
import { syncConnectionJob } from '../connectors/notion/sync/sync-connection.job.ts';
import { syncScheduleJob } from '../connectors/notion/sync/sync-schedule.job.ts';
import { refreshPageJob } from '../connectors/notion/sync/refresh-page.job.ts';

/** Every declared job; queues are created for all of them at start. */
export const jobDefinitions = [importPageJob, syncConnectionJob, syncScheduleJob, refreshPageJob] as JobDefinition<
  unknown,
  AppServices
>[];
