import { stream } from 'hono/streaming';
import type { AppServices } from '../platform/app-services.ts';
import { AccessLevelSchema, UuidParam } from '../contracts/common.ts';
import {
  CreateMarkdownDocumentBody,
  DocumentListResponse,
  DocumentSchema,
  ListDocumentsQuery,
  UpdateDocumentBody,
} from '../contracts/documents.ts';
import { toDocumentDto, toDocumentSummary } from './document-dto.ts';
import {
  createFileDocument,
  createMarkdownDocument,
  editDocument,
  getTenantDocument,
  listTenantDocuments,
  openDocumentFile,
  removeDocument,
} from './documents.service.ts';
import { appError } from '../platform/errors.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { readFileUpload } from '../platform/http/multipart.ts';
import { isMultipart } from '../platform/http/body-limits.ts';
import { parseInput, readJsonBody } from '../platform/http/validation.ts';
import { AssetParams, sendAsset, sendFile } from './document-files.ts';

const fileUrl = (id: string) => `/api/documents/${id}/file`;
/** Markdown bodies may hold up to 2,000,000 characters (4 bytes each at worst in UTF-8) plus the envelope. */
const MARKDOWN_BODY_MAX = 8 * 1024 * 1024 + 64 * 1024;

/** The tenant's document library. */
export function registerDocumentRoutes(api: ApiRouter, s: AppServices): void {
  api.route(
    {
      method: 'get',
      path: '/api/documents',
      tag: 'documents',
      summary: 'List documents (filters, text search, paging)',
      access: 'viewer',
      query: ListDocumentsQuery,
      response: DocumentListResponse,
    },
    async (c, { ctx, query }) => {
      const { rows, nextCursor } = await listTenantDocuments(ctx, query);
      return c.json({ items: rows.map((r) => toDocumentSummary(r, fileUrl(r.id))), nextCursor });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/documents/:id',
      tag: 'documents',
      summary: 'Get a document',
      access: 'viewer',
      params: UuidParam,
      response: DocumentSchema,
    },
    async (c, { ctx, params }) => c.json(toDocumentDto(await getTenantDocument(ctx, params), fileUrl(params.id))),
  );

  api.route(
    {
      method: 'post',
      path: '/api/documents',
      tag: 'documents',
      summary: 'Create a Markdown document (JSON) or upload a file (multipart: title, accessLevel, file)',
      access: 'content_manager',
      response: DocumentSchema,
      status: 201,
      rawBody: {
        contentType: 'application/json or multipart/form-data',
        description: 'JSON {title, markdown, accessLevel?} or multipart fields title, accessLevel, then file',
        upload: true,
      },
      maxBodyBytes: MARKDOWN_BODY_MAX,
    },
    async (c, { ctx }) => {
      if (isMultipart(c)) {
        const upload = await readFileUpload(c);
        const accessLevel = upload.fields.accessLevel
          ? parseInput(AccessLevelSchema, upload.fields.accessLevel, 'invalid_body')
          : undefined;
        const title = (upload.fields.title ?? upload.fileName).trim().slice(0, 500);
        if (!title) throw appError('invalid_body', 'title: a document needs a title.');
        const doc = await createFileDocument(ctx, {
          title,
          fileName: upload.fileName,
          declaredType: upload.contentType,
          body: upload.stream,
          maxBytes: s.config.UPLOAD_MAX_BYTES,
          accessLevel,
        });
        return c.json(toDocumentDto(doc, fileUrl(doc.id)), 201);
      }
      const body = await readJsonBody(c, CreateMarkdownDocumentBody);
      const doc = await createMarkdownDocument(ctx, body);
      return c.json(toDocumentDto(doc, fileUrl(doc.id)), 201);
    },
  );

  api.route(
    {
      method: 'patch',
      path: '/api/documents/:id',
      tag: 'documents',
      summary: 'Edit title, Markdown, access level or view only (PDF files)',
      access: 'content_manager',
      params: UuidParam,
      body: UpdateDocumentBody,
      maxBodyBytes: MARKDOWN_BODY_MAX,
      response: DocumentSchema,
    },
    async (c, { ctx, params, body }) => {
      const doc = await editDocument(ctx, { ...body, id: params.id });
      return c.json(toDocumentDto(doc, fileUrl(doc.id)));
    },
  );

  api.route(
    {
      method: 'delete',
      path: '/api/documents/:id',
      tag: 'documents',
      summary: 'Delete a document',
      access: 'admin',
      params: UuidParam,
    },
    async (c, { ctx, params }) => {
      await removeDocument(ctx, params);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/documents/:id/assets/:file',
      tag: 'documents',
      summary: "An image or file re-hosted from the document's Notion page",
      access: 'viewer',
      params: AssetParams,
      responseContentType: 'application/octet-stream',
    },
    async (c, { ctx, params }) => {
      const doc = await getTenantDocument(ctx, params);
      return sendAsset(c, s.storage, doc, params.file, stream);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/documents/:id/file',
      tag: 'documents',
      summary: "Download a file document's file",
      access: 'viewer',
      params: UuidParam,
      responseContentType: 'application/octet-stream',
    },
    async (c, { ctx, params }) => {
      const doc = await getTenantDocument(ctx, params);
      return sendFile(c, doc, await openDocumentFile(s, doc), stream);
    },
  );
}
