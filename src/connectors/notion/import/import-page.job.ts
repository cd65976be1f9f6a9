import { z } from 'zod';
import type { AppServices } from '../../../platform/app-services.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import { isAppError } from '../../../platform/errors.ts';
import { isConnectionError } from '../../../platform/db/errors.ts';
import { defineJob, JOB_HEARTBEAT_SECONDS } from '../../../platform/jobs/queue.ts';
import { withNotion } from '../connection.ts';
import { importPage } from './import-page.ts';
import { claimItem, expireItemLease, findItemToImport, finishItem, touchItem } from './imports.repo.ts';
import { keepLeaseAlive } from '../lease.ts';
import type { AuditActor } from '../../../audit/audit.repo.ts';

/** Who the audit log and the history name for content a sync reads on its own. */
export const SYNC_ACTOR: AuditActor = {
  type: 'system',
  id: null,
  label: 'Notion sync',
};

export const ImportPagePayload = z.object({
  tenantId: z.uuid(),
  integrationId: z.uuid(),
  importId: z.uuid(),
  itemId: z.uuid(),
  pageId: z.string().min(1),
});

/**
 * Import one page of an import. The Notion gateway already retried each call (one retry layer), so a
 * Notion failure is final for this item and is shown with its reason. One item failing never touches the
 * others. A worker that dies is different: its item's heartbeat stops, and the reaper (reaper.ts) hands
 * the item to another worker; the document upsert makes a second run harmless.
 */
export const importPageJob = defineJob<z.infer<typeof ImportPagePayload>, AppServices>({
  id: 'notion.import-page',
  payload: ImportPagePayload,
  // Job retries cover only a handler that threw before it could record anything (the database away at the
  // claim), or a job whose fetch was lost with its connection (pg-boss's job heartbeat notices); every
  // Notion failure is recorded on the item, and a retry finds a claimed item and stops.
  queue: { retryLimit: 2, retryDelay: 5, heartbeatSeconds: JOB_HEARTBEAT_SECONDS },
  // Pages of a batch import side by side; the connection's rate limiter, not this number, paces Notion.
  concurrency: 4,
  async handle(p, s, { jobId }) {
    const attempt = await withTenant(s.db, p.tenantId, (trx) => claimItem(trx, p.itemId, jobId));
    if (attempt === null) return;
    // From here on every outcome is recorded on the item; an item left `running` by a dead worker is
    // re-queued by the reaper once its heartbeat is stale.
    const lease = keepLeaseAlive(s, 'import item', p.itemId, () =>
      withTenant(s.db, p.tenantId, (trx) => touchItem(trx, p.itemId, attempt)),
    );
    try {
      const imp = await withTenant(s.db, p.tenantId, (trx) => findItemToImport(trx, p.importId, p.itemId));
      const result = await withNotion(s, p.tenantId, (gateway) =>
        importPage(s, gateway, {
          tenantId: p.tenantId,
          pageId: p.pageId,
          accessLevel: imp.access_level,
          chosenLevel: imp.page_level,
          actor:
            imp.origin === 'sync'
              ? SYNC_ACTOR
              : {
                  type: 'user',
                  id: imp.requested_by,
                  label: imp.email ?? 'a removed user',
                },
        }),
      );
      await withTenant(s.db, p.tenantId, (trx) =>
        finishItem(trx, p.itemId, attempt, {
          status: 'succeeded',
          documentId: result.document.id,
          title: result.title,
          warnings: result.warnings,
          result: result.result,
        }),
      );
    } catch (err) {
      // A lost database connection says nothing about the page: the item goes back to the queue (the lease
      // expires now, or by itself if the database is still away) instead of failing.
      if (isConnectionError(err)) {
        s.logger.warn({ err, pageId: p.pageId, importId: p.importId }, 'page import lost its database connection');
        await expireItemLease(s.db, p.itemId).catch(() => undefined);
        return;
      }
      s.logger.warn({ err, pageId: p.pageId, importId: p.importId }, 'page import failed');
      const error = isAppError(err) ? err.message : 'Unexpected error while importing this page.';
      await withTenant(s.db, p.tenantId, (trx) =>
        finishItem(trx, p.itemId, attempt, { status: 'failed', error, warnings: [] }),
      );
    } finally {
      lease.stop();
    }
  },
  handBack: (p, s) => expireItemLease(s.db, p.itemId),
});
