import { stream } from 'hono/streaming';
import { UuidParam } from '../contracts/common.ts';
import {
  BulkAccessLevelBody,
  BulkDocumentsBody,
  BulkResultResponse,
  DocumentSchema,
  RevisionDetailSchema,
  RevisionDiffSchema,
  RevisionListResponse,
  RevisionParams,
} from '../contracts/documents.ts';
import type { RevisionRow } from '../platform/db/schema.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { toDocumentDto, toRevisionDto } from './document-dto.ts';
import { AssetParams, sendAsset, sendFile } from './document-files.ts';
import { renderMarkdownSafe } from './render-markdown.ts';
import {
  compareRevision,
  dismissRevision,
  documentHistory,
  documentRevision,
  openRevisionFile,
  publishPendingRevisions,
  publishRevision,
  versionAsDocument,
} from './revisions.ts';
import { setAccessLevels } from './documents.service.ts';

const base = (documentId: string, revisionId: string) => `/api/documents/${documentId}/revisions/${revisionId}`;
const fileUrlOf = (r: RevisionRow) => `${base(r.document_id, r.id)}/file`;
const documentFileUrl = (id: string) => `/api/documents/${id}/file`;

/**
 * A document's versions: the revision waiting for review, the published history, publish and dismiss; and the
 * library's bulk actions on documents (set the level, publish what waits for review).
 */
export function registerRevisionRoutes(api: ApiRouter): void {
  api.route(
    {
      method: 'get',
      path: '/api/documents/:id/revisions',
      tag: 'documents',
      summary: "A document's versions: the one waiting for review and every published one, newest first",
      access: 'viewer',
      params: UuidParam,
      response: RevisionListResponse,
    },
    async (c, { ctx, params }) => {
      const { revisions, currentId } = await documentHistory(ctx, { documentId: params.id });
      return c.json({ items: revisions.map((r) => toRevisionDto(r, currentId, fileUrlOf(r))) });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/documents/:id/revisions/:revisionId',
      tag: 'documents',
      summary: 'One version of a document, rendered',
      access: 'viewer',
      params: RevisionParams,
      response: RevisionDetailSchema,
    },
    async (c, { ctx, params }) => {
      const { revision, currentId } = await documentRevision(ctx, {
        documentId: params.id,
        revisionId: params.revisionId,
      });
      return c.json({
        ...toRevisionDto(revision, currentId, fileUrlOf(revision)),
        html:
          revision.body_markdown === null
            ? null
            : renderMarkdownSafe(revision.body_markdown, { assetBase: `${base(params.id, revision.id)}/assets` }),
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/documents/:id/revisions/:revisionId/diff',
      tag: 'documents',
      summary: 'A version compared with the published one: title, file, and each Markdown block rendered',
      access: 'viewer',
      params: RevisionParams,
      response: RevisionDiffSchema,
    },
    async (c, { ctx, params }) => {
      const cmp = await compareRevision(ctx, { documentId: params.id, revisionId: params.revisionId });
      const { document, revision } = cmp;
      // Each side's images come from its own version, so a removed image still shows in the removed block.
      const render = (md: string, added: boolean) =>
        renderMarkdownSafe(md, {
          assetBase: added ? `${base(params.id, revision.id)}/assets` : `/api/documents/${params.id}/assets`,
        });
      return c.json({
        revision: toRevisionDto(revision, cmp.currentId, fileUrlOf(revision)),
        published: {
          title: document.title,
          accessLevel: document.access_level,
          kind: document.kind,
          file: toDocumentDto(document, documentFileUrl(document.id)).file,
        },
        titleChanged: document.title !== revision.title,
        fileChanged:
          document.kind !== revision.kind ||
          (revision.kind === 'file' && document.file_sha256 !== revision.file_sha256),
        blocks: cmp.blocks?.map((b) => ({ op: b.op, html: render(b.markdown, b.op === 'added') })) ?? null,
        changes: cmp.changes,
      });
    },
  );

  for (const action of ['publish', 'dismiss'] as const) {
    api.route(
      {
        method: 'post',
        path: `/api/documents/:id/revisions/:revisionId/${action}`,
        tag: 'documents',
        summary:
          action === 'publish'
            ? 'Publish the revision waiting for review (the previous version stays in the history)'
            : 'Dismiss the revision waiting for review (the published version stays)',
        access: 'content_manager',
        params: RevisionParams,
        response: DocumentSchema,
      },
      async (c, { ctx, params }) => {
        const decide = action === 'publish' ? publishRevision : dismissRevision;
        const doc = await decide(ctx, { documentId: params.id, revisionId: params.revisionId });
        return c.json(toDocumentDto(doc, documentFileUrl(doc.id)));
      },
    );
  }

  api.route(
    {
      method: 'get',
      path: '/api/documents/:id/revisions/:revisionId/assets/:file',
      tag: 'documents',
      summary: 'An image or file of one version of a document',
      access: 'viewer',
      params: RevisionParams.extend({ file: AssetParams.shape.file }),
      responseContentType: 'application/octet-stream',
    },
    async (c, { ctx, params }) => {
      // The version's own Markdown must reference the asset, exactly as for the published document.
      const version = versionAsDocument(
        await documentRevision(ctx, { documentId: params.id, revisionId: params.revisionId }),
      );
      return sendAsset(c, ctx.s.storage, version, params.file, stream);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/documents/:id/revisions/:revisionId/file',
      tag: 'documents',
      summary: 'Download the file of one version of a file document',
      access: 'viewer',
      params: RevisionParams,
      responseContentType: 'application/octet-stream',
    },
    async (c, { ctx, params }) => {
      const { version, body } = await openRevisionFile(ctx, { documentId: params.id, revisionId: params.revisionId });
      return sendFile(c, version, body, stream);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/documents/bulk/publish-revisions',
      tag: 'documents',
      summary: 'Publish the revisions waiting for review of several documents',
      access: 'content_manager',
      body: BulkDocumentsBody,
      response: BulkResultResponse,
    },
    async (c, { ctx, body }) => c.json(await publishPendingRevisions(ctx, body)),
  );

  api.route(
    {
      method: 'post',
      path: '/api/documents/bulk/access-level',
      tag: 'documents',
      summary: 'Set the access level of several documents',
      access: 'content_manager',
      body: BulkAccessLevelBody,
      response: BulkResultResponse,
    },
    async (c, { ctx, body }) => c.json(await setAccessLevels(ctx, body)),
  );
}
