import { UuidParam } from '../contracts/common.ts';
import { ActivityQuery, ActivityResponse } from '../contracts/trust-center.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { listContactActivity, listDocumentActivity } from './activity.ts';

/** Who looked at what on the trust center: per document and per contact. */
export function registerActivityRoutes(api: ApiRouter): void {
  api.route(
    {
      method: 'get',
      path: '/api/documents/:id/activity',
      tag: 'documents',
      summary: 'Views and downloads of a document by contacts and visitors',
      access: 'content_manager',
      params: UuidParam,
      query: ActivityQuery,
      response: ActivityResponse,
    },
    async (c, { ctx, params, query }) =>
      c.json({ items: await listDocumentActivity(ctx, { documentId: params.id, limit: query.limit }) }),
  );
  api.route(
    {
      method: 'get',
      path: '/api/contacts/:id/activity',
      tag: 'contacts',
      summary: "A contact's views, downloads and NDA acceptances",
      access: 'content_manager',
      params: UuidParam,
      query: ActivityQuery,
      response: ActivityResponse,
    },
    async (c, { ctx, params, query }) =>
      c.json({ items: await listContactActivity(ctx, { contactId: params.id, limit: query.limit }) }),
  );
}
