import { z } from 'zod';
import { StartSyncBody, SyncRunsResponse } from '../../../contracts/integrations.ts';
import type { ApiRouter } from '../../../platform/http/api-router.ts';
import { listSyncRuns, startManualSync } from './start-sync.ts';

/** Syncing linked documents on demand, and the sync history. */
export function registerSyncRoutes(api: ApiRouter): void {
  api.route(
    {
      method: 'post',
      path: '/api/integrations/notion/sync',
      tag: 'sync',
      summary: 'Sync linked documents now',
      access: 'content_manager',
      body: StartSyncBody,
      status: 202,
      response: z.object({ syncRunId: z.uuid(), alreadyRunning: z.boolean() }),
    },
    async (c, { ctx, body }) => c.json(await startManualSync(ctx, body), 202),
  );

  api.route(
    {
      method: 'get',
      path: '/api/integrations/notion/sync-runs',
      tag: 'sync',
      summary: 'Sync history, newest first',
      access: 'viewer',
      query: z.strictObject({
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
      response: SyncRunsResponse,
    },
    async (c, { ctx, query }) => c.json({ items: await listSyncRuns(ctx, query) }),
  );
}
