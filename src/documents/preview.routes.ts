import type { AppServices } from '../platform/app-services.ts';
import { UuidParam } from '../contracts/common.ts';
import { ActivityQuery, ActivityResponse, DocumentPreviewResponse } from '../contracts/trust-center.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { getTenantDocument } from './documents.service.ts';
import { getDocument } from './documents.repo.ts';
import { renderMarkdownSafe } from './render-markdown.ts';
import { appError } from '../platform/errors.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { listPublicActivity } from '../trust-center/activity.ts';
import { listDailyActivity } from '../trust-center/anonymous-activity.repo.ts';

/** How a document will look on the trust center, and who looked at it there. */
export function registerPreviewRoutes(api: ApiRouter, s: AppServices): void {
  api.route(
    {
      method: 'get',
      path: '/api/documents/:id/preview',
      tag: 'documents',
      summary: 'Sanitized HTML of a Markdown document, as the trust center renders it',
      access: 'viewer',
      params: UuidParam,
      response: DocumentPreviewResponse,
    },
    async (c, { actor, params }) => {
      const doc = await getTenantDocument(s, actor, params.id);
      if (doc.kind !== 'markdown' || doc.body_markdown === null)
        throw appError('not_markdown', 'Only Markdown documents have a preview.');
      return c.json({
        html: renderMarkdownSafe(doc.body_markdown, {
          assetBase: `/api/documents/${doc.id}/assets`,
        }),
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/documents/:id/activity',
      tag: 'documents',
      summary: "Views and downloads of a document: contacts' one by one, anonymous visitors' counted per day",
      access: 'content_manager',
      params: UuidParam,
      query: ActivityQuery,
      response: ActivityResponse,
    },
    async (c, { actor, params, query }) =>
      c.json(
        await withTenant(s.db, actor.tenantId, async (trx) => {
          await getDocument(trx, params.id);
          return {
            items: await listPublicActivity(trx, { documentId: params.id, limit: query.limit }),
            daily: await listDailyActivity(trx, params.id),
          };
        }),
      ),
  );
}
