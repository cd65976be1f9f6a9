import { sniffStream } from '../platform/storage/sniff.ts';
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Db } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { AccessLevel, DocumentRow } from '../platform/db/schema.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import { requireRole } from '../platform/http/request-context.ts';
import { appError, notFound } from '../platform/errors.ts';
import { auditAction } from '../audit/audit-actor.ts';
import type { FileStorage } from '../platform/storage/storage.ts';
import type { DocumentFilter } from './documents.repo.ts';
import {
  deleteDocument,
  findLinkTargets,
  getDocument,
  getDocuments,
  insertDocument,
  listDocuments,
  updateDocument,
} from './documents.repo.ts';
import { linkedPageIds, rewritePageLinks } from './page-links.ts';
import { renderMarkdownSafe } from './render-markdown.ts';
import { authorOf, recordPublishedVersion } from './revisions.ts';

export interface DocumentDeps {
  db: Db;
  storage: FileStorage;
}

/** Hash of the content that defines a document's body, to tell real changes from no-ops. */
export function hashMarkdown(markdown: string): string {
  return crypto.createHash('sha256').update(markdown).digest('hex');
}

export async function listTenantDocuments(ctx: ActorContext, filter: DocumentFilter) {
  return withTenant(ctx.s.db, ctx.tenantId, (trx) => listDocuments(trx, filter));
}

/**
 * A Markdown document as the trust center renders it; links to other imported Notion pages open those
 * documents in the admin panel, links to pages not imported stay Notion links marked as leading outside.
 */
export async function previewDocument(ctx: ActorContext, input: { documentId: string }): Promise<{ html: string }> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const doc = await getDocument(trx, input.documentId);
    if (doc.kind !== 'markdown' || doc.body_markdown === null)
      throw appError('not_markdown', 'Only Markdown documents have a preview.');
    const html = renderMarkdownSafe(doc.body_markdown, { assetBase: `/api/documents/${doc.id}/assets` });
    const targets = await findLinkTargets(trx, linkedPageIds(html));
    return {
      html: rewritePageLinks(html, (pageId) => {
        const target = targets.get(pageId);
        return target ? { href: `/admin/documents/${target.id}` } : null;
      }),
    };
  });
}

export async function getTenantDocument(ctx: ActorContext, input: { id: string }): Promise<DocumentRow> {
  return withTenant(ctx.s.db, ctx.tenantId, (trx) => getDocument(trx, input.id));
}

/** Create a Markdown document (new documents are internal unless a level is given). */
export async function createMarkdownDocument(
  ctx: ActorContext,
  input: { title: string; markdown: string; accessLevel?: AccessLevel | undefined },
) {
  const { actor } = ctx;
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const doc = await insertDocument(trx, {
      tenant_id: actor.tenantId,
      title: input.title,
      kind: 'markdown',
      body_markdown: input.markdown,
      access_level: input.accessLevel ?? 'internal',
      content_hash: hashMarkdown(input.markdown),
      created_by: actor.userId,
    });
    await recordPublishedVersion(trx, doc, { origin: 'manual', by: authorOf(actor) });
    await auditAction(trx, ctx, {
      action: 'document.created',
      targetType: 'document',
      targetId: doc.id,
      details: { title: doc.title, accessLevel: doc.access_level },
    });
    return doc;
  });
}

/**
 * Create a file document from an upload stream. The file is written to storage first under a fresh key;
 * if the database insert then fails the stored object is removed, so nothing is left half-written.
 */
export async function createFileDocument(
  ctx: ActorContext,
  input: {
    title: string;
    fileName: string;
    /** The type the client declared; the stored type is sniffed from the bytes. */
    declaredType: string;
    body: Readable;
    maxBytes: number;
    accessLevel?: AccessLevel | undefined;
  },
) {
  const { actor, s } = ctx;
  const key = `${actor.tenantId}/uploads/${crypto.randomUUID()}`;
  // The stored type is what the bytes show, as for imported files: the client's declaration only counts
  // for text-like formats that have no signature.
  const sniffed = await sniffStream(input.body, input.declaredType);
  const stored = await s.storage.put(key, sniffed.stream, {
    contentType: sniffed.contentType,
    maxBytes: input.maxBytes,
  });
  try {
    return await withTenant(s.db, actor.tenantId, async (trx) => {
      const doc = await insertDocument(trx, {
        tenant_id: actor.tenantId,
        title: input.title,
        kind: 'file',
        body_markdown: null,
        file_key: key,
        file_name: input.fileName,
        file_content_type: sniffed.contentType,
        file_size: stored.size,
        file_sha256: stored.sha256,
        access_level: input.accessLevel ?? 'internal',
        content_hash: stored.sha256,
        created_by: actor.userId,
      });
      await recordPublishedVersion(trx, doc, { origin: 'manual', by: authorOf(actor) });
      await auditAction(trx, ctx, {
        action: 'document.created',
        targetType: 'document',
        targetId: doc.id,
        details: { title: doc.title, file: input.fileName, size: stored.size },
      });
      return doc;
    });
  } catch (err) {
    await s.storage.delete(key);
    throw err;
  }
}

/** Edit title/body/access level/view only. Needs content_manager; access and view-only changes are audited. */
export async function editDocument(
  ctx: ActorContext,
  input: {
    id: string;
    title?: string | undefined;
    markdown?: string | undefined;
    accessLevel?: AccessLevel | undefined;
    viewOnly?: boolean | undefined;
  },
) {
  const { actor } = ctx;
  const { id } = input;
  requireRole(actor, 'content_manager');
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const before = await getDocument(trx, id);
    if (input.markdown !== undefined && before.kind !== 'markdown') {
      throw appError('not_markdown', 'Only Markdown documents have a body to edit.');
    }
    // Our viewer shows PDFs only; any other file would be offered by the browser as a download anyway.
    if (input.viewOnly && before.file_content_type !== 'application/pdf') {
      throw appError('not_pdf', 'Only PDF files can be set to view only.');
    }
    const doc = await updateDocument(trx, id, {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.markdown !== undefined
        ? {
            body_markdown: input.markdown,
            content_hash: hashMarkdown(input.markdown),
          }
        : {}),
      ...(input.accessLevel !== undefined ? { access_level: input.accessLevel } : {}),
      ...(input.viewOnly !== undefined ? { view_only: input.viewOnly } : {}),
    });
    if (input.accessLevel !== undefined && input.accessLevel !== before.access_level) {
      await auditAction(trx, ctx, {
        action: 'document.access_level_changed',
        targetType: 'document',
        targetId: id,
        details: {
          from: before.access_level,
          to: input.accessLevel,
          title: doc.title,
        },
      });
    }
    if (doc.view_only !== before.view_only) {
      await auditAction(trx, ctx, {
        action: 'document.view_only_changed',
        targetType: 'document',
        targetId: id,
        details: { viewOnly: doc.view_only, title: doc.title },
      });
    }
    if (doc.title !== before.title || doc.content_hash !== before.content_hash) {
      await recordPublishedVersion(trx, doc, { origin: 'manual', by: authorOf(actor) });
    }
    if (input.title !== undefined || input.markdown !== undefined) {
      await auditAction(trx, ctx, {
        action: 'document.edited',
        targetType: 'document',
        targetId: id,
        details: { title: doc.title },
      });
    }
    return doc;
  });
}

/**
 * Delete a document (admin). An uploaded file has a key of its own and is removed after the row is gone.
 * Files imported from Notion are content-addressed and may be shared with other documents (or be in the
 * middle of being attached to a new one), so they are left for a storage sweep rather than deleted here.
 */
export async function removeDocument(ctx: ActorContext, input: { id: string }): Promise<void> {
  requireRole(ctx.actor, 'admin');
  const doc = await withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const row = await deleteDocument(trx, input.id);
    await auditAction(trx, ctx, {
      action: 'document.deleted',
      targetType: 'document',
      targetId: input.id,
      details: { title: row.title },
    });
    return row;
  });
  if (doc.file_key && doc.source === 'manual') await ctx.s.storage.delete(doc.file_key);
}

/** Open a document's stored file for streaming. */
export async function openDocumentFile(deps: DocumentDeps, doc: DocumentRow): Promise<Readable> {
  if (doc.kind !== 'file' || !doc.file_key) {
    throw notFound('File');
  }
  return deps.storage.get(doc.file_key);
}

/** Set the access level of several documents at once (content manager); each change is audited. */
export async function setAccessLevels(
  ctx: ActorContext,
  input: { documentIds: string[]; accessLevel: AccessLevel },
): Promise<{ changed: number; unchanged: number }> {
  requireRole(ctx.actor, 'content_manager');
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const docs = await getDocuments(trx, input.documentIds);
    let changed = 0;
    for (const doc of docs) {
      if (doc.access_level === input.accessLevel) continue;
      await updateDocument(trx, doc.id, { access_level: input.accessLevel });
      await auditAction(trx, ctx, {
        action: 'document.access_level_changed',
        targetType: 'document',
        targetId: doc.id,
        details: { from: doc.access_level, to: input.accessLevel, title: doc.title, bulk: true },
      });
      changed += 1;
    }
    return { changed, unchanged: docs.length - changed };
  });
}
