import { z } from 'zod';
import type { AppServices } from '../../../platform/app-services.ts';
import { defineJob } from '../../../platform/jobs/queue.ts';
import { runSync } from './run-sync.ts';

export const SyncConnectionPayload = z.object({
  tenantId: z.uuid(),
  integrationId: z.uuid(),
  runId: z.uuid(),
  reconcile: z.boolean(),
});

/**
 * One sync run. `exclusive` + the connection id as singleton key: at most one queued or active run per
 * connection. No job retries: failures end the run with its reason and the next run resumes from the
 * checkpoint (the Notion gateway is the one retry layer).
 */
export const syncConnectionJob = defineJob<z.infer<typeof SyncConnectionPayload>, AppServices>({
  id: 'notion.sync-connection',
  payload: SyncConnectionPayload,
  queue: { policy: 'exclusive', retryLimit: 0 },
  handle: (p, s) => runSync(s, p),
});
