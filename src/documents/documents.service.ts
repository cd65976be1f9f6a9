import { sniffStream } from '../platform/storage/sniff.ts';
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Db } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { AccessLevel, DocumentRow } from '../platform/db/schema.ts';
import type { Actor, ActorContext } from '../platform/http/request-context.ts';
import { requireRole } from '../platform/http/request-context.ts';
import { appError, notFound } from '../platform/errors.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import { auditAction, auditActor } from '../audit/audit-actor.ts';
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

export async function listTenantDocuments(deps: DocumentDeps, actor: Actor, filter: DocumentFilter) {
  return withTenant(deps.db, actor.tenantId, (trx) => listDocuments(trx, filter));
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

export async function getTenantDocument(deps: DocumentDeps, actor: Actor, id: string): Promise<DocumentRow> {
  return withTenant(deps.db, actor.tenantId, (trx) => getDocument(trx, id));
}

/** Create a Markdown document (new documents are internal unless a level is given). */
export async function createMarkdownDocument(
  deps: DocumentDeps,
  actor: Actor,
  input: {
    title: string;
    markdown: string;
    accessLevel?: AccessLevel | undefined;
    ip: string;
  },
) {
  return withTenant(deps.db, actor.tenantId, async (trx) => {
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
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: 'document.created',
      targetType: 'document',
      targetId: doc.id,
      details: { title: doc.title, accessLevel: doc.access_level },
      ip: input.ip,
    });
    return doc;
  });
}

/**
 * Create a file document from an upload stream. The file is written to storage first under a fresh key;
 * if the database insert then fails the stored object is removed, so nothing is left half-written.
 */
export async function createFileDocument(
  deps: DocumentDeps,
  actor: Actor,
  input: {
    title: string;
    fileName: string;
    /** The type the client declared; the stored type is sniffed from the bytes. */
    declaredType: string;
    body: Readable;
    maxBytes: number;
    accessLevel?: AccessLevel | undefined;
    ip: string;
  },
) {
  const key = `${actor.tenantId}/uploads/${crypto.randomUUID()}`;
  // The stored type is what the bytes show, as for imported files: the client's declaration only counts
  // for text-like formats that have no signature.
  const sniffed = await sniffStream(input.body, input.declaredType);
  const stored = await deps.storage.put(key, sniffed.stream, {
    contentType: sniffed.contentType,
    maxBytes: input.maxBytes,
  });
  try {
    return await withTenant(deps.db, actor.tenantId, async (trx) => {
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
      await recordAudit(trx, {
        tenantId: actor.tenantId,
        actor: auditActor(actor),
        action: 'document.created',
        targetType: 'document',
        targetId: doc.id,
        details: { title: doc.title, file: input.fileName, size: stored.size },
        ip: input.ip,
      });
      return doc;
    });
  } catch (err) {
    await deps.storage.delete(key);
    throw err;
  }
}

/** Edit title/body/access level. Access-level changes need content_manager and are audited. */
export async function editDocument(
  deps: DocumentDeps,
  actor: Actor,
  id: string,
  input: {
    title?: string | undefined;
    markdown?: string | undefined;
    accessLevel?: AccessLevel | undefined;
    ip: string;
  },
) {
  requireRole(actor, 'content_manager');
  return withTenant(deps.db, actor.tenantId, async (trx) => {
    const before = await getDocument(trx, id);
    if (input.markdown !== undefined && before.kind !== 'markdown') {
      throw appError('not_markdown', 'Only Markdown documents have a body to edit.');
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
    });
    if (input.accessLevel !== undefined && input.accessLevel !== before.access_level) {
      await recordAudit(trx, {
        tenantId: actor.tenantId,
        actor: auditActor(actor),
        action: 'document.access_level_changed',
        targetType: 'document',
        targetId: id,
        details: {
          from: before.access_level,
          to: input.accessLevel,
          title: doc.title,
        },
        ip: input.ip,
      });
    }
    if (doc.title !== before.title || doc.content_hash !== before.content_hash) {
      await recordPublishedVersion(trx, doc, { origin: 'manual', by: authorOf(actor) });
    }
    if (input.title !== undefined || input.markdown !== undefined) {
      await recordAudit(trx, {
        tenantId: actor.tenantId,
        actor: auditActor(actor),
        action: 'document.edited',
        targetType: 'document',
        targetId: id,
        details: { title: doc.title },
        ip: input.ip,
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
export async function removeDocument(deps: DocumentDeps, actor: Actor, id: string, ip: string): Promise<void> {
  requireRole(actor, 'admin');
  const doc = await withTenant(deps.db, actor.tenantId, async (trx) => {
    const row = await deleteDocument(trx, id);
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: 'document.deleted',
      targetType: 'document',
      targetId: id,
      details: { title: row.title },
      ip,
    });
    return row;
  });
  if (doc.file_key && doc.source === 'manual') await deps.storage.delete(doc.file_key);
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
