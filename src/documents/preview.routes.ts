import { UuidParam } from '../contracts/common.ts';
import { DocumentPreviewResponse } from '../contracts/trust-center.ts';
import { getTenantDocument } from './documents.service.ts';
import { renderMarkdownSafe } from './render-markdown.ts';
import { appError } from '../platform/errors.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';

/** How a document will look on the trust center. */
export function registerPreviewRoutes(api: ApiRouter): void {
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
    async (c, { ctx, params }) => {
      const doc = await getTenantDocument(ctx, params);
      if (doc.kind !== 'markdown' || doc.body_markdown === null)
        throw appError('not_markdown', 'Only Markdown documents have a preview.');
      return c.json({
        html: renderMarkdownSafe(doc.body_markdown, {
          assetBase: `/api/documents/${doc.id}/assets`,
        }),
      });
    },
  );
}
