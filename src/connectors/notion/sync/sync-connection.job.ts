import { z } from 'zod';
import type { AppServices } from '../../../platform/app-services.ts';
import { defineJob, JOB_HEARTBEAT_SECONDS } from '../../../platform/jobs/queue.ts';
import { runSync } from './run-sync.ts';
import { expireRunLease } from './sync-runs.repo.ts';

export const SyncConnectionPayload = z.object({
  tenantId: z.uuid(),
  integrationId: z.uuid(),
  runId: z.uuid(),
  reconcile: z.boolean(),
});

/**
 * One sync run. `exclusive` + the connection id as singleton key: at most one queued or active run per
 * connection. Notion failures end the run with its reason and the next run resumes from the checkpoint
 * (the Notion gateway is the one retry layer). The job's own retries cover only a handler that threw
 * before it could record anything (the database away at the claim) or whose fetch was lost with its
 * connection (pg-boss's job heartbeat notices); a retry finds a claimed run and stops.
 */
export const syncConnectionJob = defineJob<z.infer<typeof SyncConnectionPayload>, AppServices>({
  id: 'notion.sync-connection',
  payload: SyncConnectionPayload,
  queue: { policy: 'exclusive', retryLimit: 2, retryDelay: 5, heartbeatSeconds: JOB_HEARTBEAT_SECONDS },
  handle: (p, s, { jobId }) => runSync(s, { ...p, jobId }),
  handBack: (p, s) => expireRunLease(s.db, p.runId),
});
