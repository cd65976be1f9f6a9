import { UuidParam } from '../contracts/common.ts';
import { DocumentPreviewResponse } from '../contracts/trust-center.ts';
import { previewDocument } from './documents.service.ts';
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
    async (c, { ctx, params }) => c.json(await previewDocument(ctx, { documentId: params.id })),
  );
}
