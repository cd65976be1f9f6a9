import { z } from 'zod';
import { UuidParam } from '../../contracts/common.ts';
import {
  AccessMappingResponse,
  DataSourcePropertiesResponse,
  ImportStatusResponse,
  NotionPageIdSchema,
  NotionSearchQuery,
  NotionSearchResponse,
  SaveAccessMappingBody,
  StartImportBody,
  StartImportResponse,
} from '../../contracts/integrations.ts';
import { dataSourceProperties, listDatabasePages, searchNotion } from './browse.ts';
import { getAccessMapping, saveAccessMapping } from './access-mapping.ts';
import {
  cancelTenantImport,
  importStatus,
  reimportDocument,
  reimportDocuments,
  startImport,
} from './import/imports.service.ts';
import { BulkDocumentsBody } from '../../contracts/documents.ts';
import type { ApiRouter } from '../../platform/http/api-router.ts';

// Pages, databases and data sources share Notion's id form: one schema checks them all.
const NotionObjectId = z.object({ id: NotionPageIdSchema });

/** Browsing Notion and importing pages into the library. */
export function registerNotionRoutes(api: ApiRouter): void {
  api.route(
    {
      method: 'get',
      path: '/api/notion/search',
      tag: 'notion',
      summary: 'Search Notion pages and databases the connection can see',
      access: 'content_manager',
      query: NotionSearchQuery,
      response: NotionSearchResponse,
    },
    async (c, { ctx, query }) => c.json(await searchNotion(ctx, query)),
  );

  api.route(
    {
      method: 'get',
      path: '/api/notion/databases/:id/pages',
      tag: 'notion',
      summary: "List a database's pages",
      access: 'content_manager',
      params: NotionObjectId,
      query: z.strictObject({ cursor: z.string().max(500).optional() }),
      response: NotionSearchResponse,
    },
    async (c, { ctx, params, query }) =>
      c.json(await listDatabasePages(ctx, { databaseId: params.id, cursor: query.cursor })),
  );

  api.route(
    {
      method: 'post',
      path: '/api/notion/imports',
      tag: 'notion',
      summary: 'Import pages (one job per page)',
      access: 'content_manager',
      body: StartImportBody,
      status: 202,
      response: StartImportResponse,
    },
    async (c, { ctx, body }) => c.json(await startImport(ctx, body), 202),
  );

  api.route(
    {
      method: 'get',
      path: '/api/notion/imports/:id',
      tag: 'notion',
      summary: 'Progress and per-page results of an import',
      access: 'content_manager',
      params: UuidParam,
      response: ImportStatusResponse,
    },
    async (c, { ctx, params }) => c.json(await importStatus(ctx, { importId: params.id })),
  );

  api.route(
    {
      method: 'post',
      path: '/api/notion/imports/:id/cancel',
      tag: 'notion',
      summary: 'Cancel the pages of an import that have not started',
      access: 'content_manager',
      params: UuidParam,
      response: z.object({ cancelled: z.number() }),
    },
    async (c, { ctx, params }) => c.json(await cancelTenantImport(ctx, { importId: params.id })),
  );

  // Before the single re-import, whose `:id` would otherwise take "bulk".
  api.route(
    {
      method: 'post',
      path: '/api/documents/bulk/reimport',
      tag: 'documents',
      summary: 'Re-import several Notion documents (changes wait for review as usual)',
      access: 'content_manager',
      body: BulkDocumentsBody,
      status: 202,
      response: StartImportResponse,
    },
    async (c, { ctx, body }) => c.json(await reimportDocuments(ctx, body), 202),
  );

  api.route(
    {
      method: 'post',
      path: '/api/documents/:id/reimport',
      tag: 'documents',
      summary: 'Re-import a Notion document',
      access: 'content_manager',
      params: UuidParam,
      status: 202,
      response: StartImportResponse,
    },
    async (c, { ctx, params }) => c.json(await reimportDocument(ctx, { documentId: params.id }), 202),
  );

  api.route(
    {
      method: 'get',
      path: '/api/notion/access-mapping',
      tag: 'notion',
      summary: 'Which access level each option of a Notion property means',
      access: 'viewer',
      response: AccessMappingResponse,
    },
    async (c, { ctx }) => c.json(await getAccessMapping(ctx)),
  );

  api.route(
    {
      method: 'put',
      path: '/api/notion/access-mapping',
      tag: 'notion',
      summary: 'Set or remove the access-level mapping',
      access: 'admin',
      body: SaveAccessMappingBody,
      response: AccessMappingResponse,
    },
    async (c, { ctx, body }) => c.json(await saveAccessMapping(ctx, body)),
  );

  api.route(
    {
      method: 'get',
      path: '/api/notion/data-sources/:id/properties',
      tag: 'notion',
      summary: "A data source's select and status properties with their options",
      access: 'admin',
      params: NotionObjectId,
      response: DataSourcePropertiesResponse,
    },
    async (c, { ctx, params }) => c.json(await dataSourceProperties(ctx, { dataSourceId: params.id })),
  );
}
