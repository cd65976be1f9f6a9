import { z } from 'zod';
import type { AppServices } from '../../../platform/app-services.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import { isAppError } from '../../../platform/errors.ts';
import { defineJob } from '../../../platform/jobs/queue.ts';
import { withNotion } from '../connection.ts';
import { importPage } from './import-page.ts';
import { claimItem, finishItem } from './imports.repo.ts';
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
 * Import one page of an import. No job-level retries: the Notion gateway already retried each call
 * (one retry layer), so a failure here is final for this item and is shown with its reason. One item
 * failing never touches the others.
 */
export const importPageJob = defineJob<z.infer<typeof ImportPagePayload>, AppServices>({
  id: 'notion.import-page',
  payload: ImportPagePayload,
  queue: { retryLimit: 0 },
  // Pages of a batch import side by side; the connection's rate limiter, not this number, paces Notion.
  concurrency: 4,
  async handle(p, s) {
    const claimed = await withTenant(s.db, p.tenantId, (trx) => claimItem(trx, p.itemId));
    if (!claimed) return;
    // From here on every outcome is recorded on the item; an item left `running` by a dead worker is
    // failed by the scheduler's reaper.
    try {
      const imp = await withTenant(s.db, p.tenantId, (trx) =>
        trx
          .selectFrom('imports')
          .leftJoin('users', 'users.id', 'imports.requested_by')
          .select(['imports.access_level', 'imports.requested_by', 'imports.origin', 'users.email'])
          .where('imports.id', '=', p.importId)
          .executeTakeFirstOrThrow(),
      );
      const result = await withNotion(s, p.tenantId, (gateway) =>
        importPage(s, gateway, {
          tenantId: p.tenantId,
          pageId: p.pageId,
          accessLevel: imp.access_level,
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
        finishItem(trx, p.itemId, {
          status: 'succeeded',
          documentId: result.document.id,
          title: result.title,
          warnings: result.warnings,
        }),
      );
    } catch (err) {
      s.logger.warn({ err, pageId: p.pageId, importId: p.importId }, 'page import failed');
      const error = isAppError(err) ? err.message : 'Unexpected error while importing this page.';
      await withTenant(s.db, p.tenantId, (trx) => finishItem(trx, p.itemId, { status: 'failed', error, warnings: [] }));
    }
  },
});
