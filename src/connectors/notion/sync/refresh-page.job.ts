import { z } from 'zod';
import type { AppServices } from '../../../platform/app-services.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import { defineJob } from '../../../platform/jobs/queue.ts';
import { findNotionIntegration } from '../../../integrations/connections.repo.ts';
import { gatewayForIntegration, markNeedsReauthOn } from '../connection.ts';
import { applyPageReading, readLinkedPage } from './apply-page.ts';
import { linkedDocuments } from './linked-documents.repo.ts';
import { reimportChanged } from './run-sync.ts';

/**
 * How long a live update waits before reading the page. Notion sends several events for one edit (content,
 * then properties) and repeats them; every event within this window lands on the one queued job.
 */
export const REFRESH_PAGE_DELAY_SECONDS = 1;

export const RefreshPagePayload = z.object({
  tenantId: z.uuid(),
  integrationId: z.uuid(),
  pageId: z.string().min(1).max(64),
});

/**
 * Re-read one linked page after Notion said it changed, and apply it exactly as a sync does. `stately` with
 * the page as singleton key: at most one queued and one running refresh per page, so a burst of events is
 * one Notion call, and an edit made while a refresh runs still gets its own. No job retries: the gateway is
 * the one retry layer, and the scheduled sync is the safety net for a refresh that failed.
 */
export const refreshPageJob = defineJob<z.infer<typeof RefreshPagePayload>, AppServices>({
  id: 'notion.refresh-page',
  payload: RefreshPagePayload,
  queue: { policy: 'stately', retryLimit: 0 },
  concurrency: 2,
  async handle(p, s) {
    const target = await withTenant(s.db, p.tenantId, async (trx) => {
      const integration = await findNotionIntegration(trx);
      if (!integration || integration.id !== p.integrationId || integration.status !== 'connected') return null;
      const doc = (await linkedDocuments(trx, [p.pageId])).get(p.pageId);
      return doc ? { integration, doc } : null;
    });
    if (!target) return;
    const reading = await readLinkedPage(gatewayForIntegration(s, target.integration), p.pageId).catch(
      async (err: unknown) => {
        await markNeedsReauthOn(s, p.tenantId, target.integration, err);
        s.logger.warn({ err, pageId: p.pageId }, 'live update could not read the Notion page');
        return null;
      },
    );
    if (!reading) return;
    // The row is re-read in the writing transaction: an import may have committed while Notion answered.
    const changed = await withTenant(s.db, p.tenantId, async (trx) => {
      const doc = (await linkedDocuments(trx, [p.pageId])).get(p.pageId);
      return doc ? applyPageReading(trx, doc, reading) : false;
    });
    if (changed) await reimportChanged(s, p.tenantId);
  },
});
