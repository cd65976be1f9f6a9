import { UuidParam } from '../contracts/common.ts';
import {
  OverviewItemBody,
  OverviewItemSchema,
  OverviewKindParams,
  OverviewSectionsSchema,
  PutOverviewLayoutBody,
  PutOverviewOrderBody,
} from '../contracts/overview-sections.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import {
  arrangeOverviewSections,
  createOverviewItem,
  editOverviewItem,
  getOverviewSections,
  removeOverviewItem,
  reorderOverviewItems,
} from './overview-sections.service.ts';

/** Sections of the public overview: everyone reads them, content managers edit them (live at once). */
export function registerOverviewSectionRoutes(api: ApiRouter): void {
  const tag = 'trust center overview';
  api.route(
    {
      method: 'get',
      path: '/api/overview-sections',
      tag,
      summary:
        'The overview sections in order (certifications, subprocessors, FAQ, security updates) with their entries',
      access: 'viewer',
      response: OverviewSectionsSchema,
    },
    async (c, { ctx }) => c.json(await getOverviewSections(ctx)),
  );

  api.route(
    {
      method: 'put',
      path: '/api/overview-sections/layout',
      tag,
      summary: 'Choose the order of the sections and which are shown',
      access: 'content_manager',
      body: PutOverviewLayoutBody,
      response: OverviewSectionsSchema,
    },
    async (c, { ctx, body }) => c.json(await arrangeOverviewSections(ctx, body)),
  );

  api.route(
    {
      method: 'post',
      path: '/api/overview-sections/items',
      tag,
      summary: 'Add an entry to a section (at its end)',
      access: 'content_manager',
      body: OverviewItemBody,
      response: OverviewItemSchema,
      status: 201,
    },
    async (c, { ctx, body }) => c.json(await createOverviewItem(ctx, body), 201),
  );

  api.route(
    {
      method: 'put',
      path: '/api/overview-sections/items/:id',
      tag,
      summary: 'Replace an entry (same kind)',
      access: 'content_manager',
      params: UuidParam,
      body: OverviewItemBody,
      response: OverviewItemSchema,
    },
    async (c, { ctx, params, body }) => c.json(await editOverviewItem(ctx, { id: params.id, item: body })),
  );

  api.route(
    {
      method: 'delete',
      path: '/api/overview-sections/items/:id',
      tag,
      summary: 'Remove an entry',
      access: 'content_manager',
      params: UuidParam,
      status: 204,
    },
    async (c, { ctx, params }) => {
      await removeOverviewItem(ctx, params);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: 'put',
      path: '/api/overview-sections/:kind/order',
      tag,
      summary: "Put a section's entries in a new order (security updates are listed by date instead)",
      access: 'content_manager',
      params: OverviewKindParams,
      body: PutOverviewOrderBody,
      response: OverviewSectionsSchema,
    },
    async (c, { ctx, params, body }) => c.json(await reorderOverviewItems(ctx, { kind: params.kind, ids: body.ids })),
  );
}
