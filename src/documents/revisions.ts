import type { Readable } from 'node:stream';
import type { Actor, ActorContext } from '../platform/http/request-context.ts';
import { requireRole } from '../platform/http/request-context.ts';
import { findTenantById } from '../accounts/tenants.repo.ts';
import { recordAudit, type AuditActor } from '../audit/audit.repo.ts';
import { auditActor } from '../audit/audit-actor.ts';
import type { Db, Tx } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { AccessLevel, DocumentRow, DocumentUpdate, RevisionRow } from '../platform/db/schema.ts';
import { appError, notFound } from '../platform/errors.ts';
import { findBySource, getDocument, getDocuments, insertDocument, updateDocument } from './documents.repo.ts';
import { diffMarkdown, summarizeDiff, type DiffBlock, type DiffSummary } from './markdown-diff.ts';
import {
  contentColumns,
  currentRevisionId,
  decideRevision,
  deletePendingRevision,
  getRevision,
  insertRevision,
  listRevisions,
  lockForTransaction,
  type DocumentContent,
} from './revisions.repo.ts';

/** Who wrote or decided a version: the audit identity, and the user id when it is a person. */
export interface VersionAuthor {
  audit: AuditActor;
  userId: string | null;
}

export const authorOf = (actor: Actor): VersionAuthor => ({ audit: auditActor(actor), userId: actor.userId });

/**
 * Start or continue a document's published history with the content it has now (a new document, an edit
 * in the admin panel, a published revision). Runs inside the caller's transaction.
 */
export async function recordPublishedVersion(
  trx: Tx,
  doc: DocumentRow,
  input: { origin: 'notion' | 'manual'; by: VersionAuthor; sourceLastEditedTime?: string | null },
): Promise<RevisionRow> {
  return insertRevision(trx, {
    tenant_id: doc.tenant_id,
    document_id: doc.id,
    status: 'published',
    origin: input.origin,
    ...contentColumns(doc),
    source_last_edited_time: input.sourceLastEditedTime ?? null,
    created_by_label: input.by.audit.label,
    decided_by: input.by.userId,
    decided_by_label: input.by.audit.label,
    decided_at: new Date(),
  });
}

const sameContent = (a: { content_hash: string | null; title: string }, b: DocumentContent) =>
  a.content_hash === b.content_hash && a.title === b.title;

export type SaveOutcome = 'created' | 'unchanged' | 'pending' | 'published';

export interface SavedSourceContent {
  document: DocumentRow;
  outcome: SaveOutcome;
  /** The revision waiting for review (outcome `pending`) or just published (`published`). */
  revision: RevisionRow | null;
  /** How the Markdown differs from what was published before (null for new documents and files). */
  changes: DiffSummary | null;
}

/**
 * Save content read from a source page (Notion) for the document linked to it. A new page becomes a
 * document with its first published version. For a linked document the published copy is never replaced
 * here: newer content becomes the one pending revision (replacing an older pending one), unless the tenant
 * publishes source changes automatically, in which case it is published at once and still recorded in the
 * history. Content equal to what is published drops a pending revision, which Notion has since undone.
 * The source metadata (URL, timestamps, icon, status) is refreshed in every case.
 */
export async function saveSourceContent(
  db: Db,
  input: {
    tenantId: string;
    source: 'notion';
    sourceId: string;
    content: DocumentContent;
    /** The source's metadata columns, refreshed on every save. */
    sourceFields: DocumentUpdate;
    /** The source edit the content was read from. */
    sourceLastEditedTime: string;
    /** Level of a new document (an existing one keeps its own unless `sourceAccessLevel` changes it). */
    accessLevel: AccessLevel | undefined;
    /**
     * The level the source itself gives the page now (a mapped Notion property); null: it gives none. Left
     * out when the tenant maps no property.
     */
    sourceAccessLevel?: AccessLevel | null | undefined;
    /** Apply a source level that makes the document more public without review. */
    publishMorePublic?: boolean | undefined;
    by: VersionAuthor;
  },
): Promise<SavedSourceContent> {
  const tenant = await findTenantById(db, input.tenantId);
  const autoPublish = tenant?.auto_reimport === true;
  return withTenant(db, input.tenantId, async (trx) => {
    // Two saves of the same new page (a double submit) would both miss the row and race on the unique key;
    // the lock makes the second wait and then see what the first wrote. It also orders a save against a
    // publish or dismiss of the same document, which lock the same key.
    await lockSource(trx, input.tenantId, input.sourceId);
    const existing = await findBySource(trx, input.source, input.sourceId);
    const tracking = {
      ...input.sourceFields,
      content_last_edited_time: input.sourceLastEditedTime,
      update_available: false,
      synced_at: new Date(),
    };
    if (!existing) {
      const document = await insertDocument(trx, {
        tenant_id: input.tenantId,
        ...contentColumns(input.content),
        ...tracking,
        access_level: input.accessLevel ?? 'internal',
        source_access_level: input.sourceAccessLevel ?? null,
        source: input.source,
        source_id: input.sourceId,
      });
      await recordPublishedVersion(trx, document, {
        origin: 'notion',
        by: input.by,
        sourceLastEditedTime: input.sourceLastEditedTime,
      });
      await audit(trx, input.by, document, 'document.imported', { sourceId: input.sourceId, kind: document.kind });
      return { document, outcome: 'created', revision: null, changes: null };
    }
    const pending = existing.pending_revision_id
      ? await getRevision(trx, existing.id, existing.pending_revision_id)
      : null;
    const level = levelFromSource(existing, input.sourceAccessLevel, input.publishMorePublic === true);
    if (level) {
      Object.assign(tracking, {
        source_access_level: level.read,
        ...(level.apply ? { access_level: level.apply } : {}),
      });
      if (level.apply) {
        await audit(trx, input.by, existing, 'document.access_level_changed', {
          from: existing.access_level,
          to: level.apply,
          fromSource: input.source,
        });
      }
    }
    // A level waiting for review stays with the pending revision until the source changes the level again.
    const heldLevel = level ? level.hold : (pending?.access_level ?? null);
    if (sameContent(existing, input.content) && heldLevel === null) {
      if (pending) await deletePendingRevision(trx, pending.id);
      const unchanged =
        !pending &&
        !level &&
        existing.source_status === 'ok' &&
        !existing.update_available &&
        existing.source_last_edited_time?.getTime() === Date.parse(input.sourceLastEditedTime);
      const document = unchanged
        ? existing
        : await updateDocument(trx, existing.id, { ...tracking, pending_revision_id: null });
      return { document, outcome: 'unchanged', revision: null, changes: null };
    }
    const changes = markdownChanges(existing, input.content);
    if (pending && sameContent(pending, input.content) && pending.access_level === heldLevel) {
      const document = await updateDocument(trx, existing.id, tracking);
      return { document, outcome: 'pending', revision: pending, changes };
    }
    if (pending) await deletePendingRevision(trx, pending.id);
    const revision = await insertRevision(trx, {
      tenant_id: input.tenantId,
      document_id: existing.id,
      status: 'pending',
      origin: 'notion',
      ...contentColumns(input.content),
      access_level: heldLevel,
      source_last_edited_time: input.sourceLastEditedTime,
      created_by_label: input.by.audit.label,
    });
    let document = await updateDocument(trx, existing.id, { ...tracking, pending_revision_id: revision.id });
    await audit(trx, input.by, document, 'document.revision_fetched', {
      revisionId: revision.id,
      sourceId: input.sourceId,
      ...(heldLevel ? { accessLevel: heldLevel } : {}),
    });
    // Automatic publishing covers content only: making a document more public always needs its own consent.
    if (!autoPublish || heldLevel) return { document, outcome: 'pending', revision, changes };
    document = await applyRevision(trx, document, revision, input.by);
    return { document, outcome: 'published', revision, changes };
  });
}

/** Most public first, as in ACCESS_LEVELS. */
const OPENNESS: AccessLevel[] = ['public', 'contacts_nda', 'contacts', 'internal'];
const morePublic = (a: AccessLevel, b: AccessLevel) => OPENNESS.indexOf(a) < OPENNESS.indexOf(b);

/**
 * What a level read from the source does to a linked document. Only a change of the source's level since the
 * last reading counts, so a level set by hand in the admin panel stays until someone changes it in the
 * source. A page that lost its level keeps the one it has. A change to a more public level is held for
 * review (carried by the pending revision) unless the tenant publishes such changes at once; any other
 * change applies. Returns null when the source's level did not change (or is not read at all).
 */
function levelFromSource(
  doc: DocumentRow,
  read: AccessLevel | null | undefined,
  publishMorePublic: boolean,
): { read: AccessLevel | null; apply: AccessLevel | null; hold: AccessLevel | null } | null {
  if (read === undefined || read === doc.source_access_level) return null;
  if (read === null || read === doc.access_level) return { read, apply: null, hold: null };
  if (morePublic(read, doc.access_level) && !publishMorePublic) return { read, apply: null, hold: read };
  return { read, apply: read, hold: null };
}

function markdownChanges(published: DocumentRow, next: DocumentContent): DiffSummary | null {
  if (published.kind !== 'markdown' || next.kind !== 'markdown') return null;
  return summarizeDiff(diffMarkdown(published.body_markdown ?? '', next.body_markdown ?? ''));
}

const lockSource = (trx: Tx, tenantId: string, sourceId: string) =>
  lockForTransaction(trx, `notion-document:${tenantId}:${sourceId}`);

/** Lock a document against a concurrent save of its source, then read it as it is now. */
async function lockDocument(trx: Tx, tenantId: string, documentId: string): Promise<DocumentRow> {
  const doc = await getDocument(trx, documentId);
  if (doc.source_id) await lockSource(trx, tenantId, doc.source_id);
  return getDocument(trx, documentId);
}

/** Publish a pending revision: its content becomes the document's, and the decision enters the history. */
async function applyRevision(trx: Tx, doc: DocumentRow, revision: RevisionRow, by: VersionAuthor, ip?: string) {
  if (!(await decideRevision(trx, revision.id, { status: 'published', by: by.userId, byLabel: by.audit.label }))) {
    throw appError('already_decided', 'This revision was already published or dismissed.');
  }
  const document = await updateDocument(trx, doc.id, {
    ...contentColumns(revision),
    ...(revision.access_level ? { access_level: revision.access_level } : {}),
    pending_revision_id: null,
  });
  await audit(
    trx,
    by,
    document,
    'document.revision_published',
    {
      revisionId: revision.id,
      ...(doc.title !== revision.title ? { previousTitle: doc.title } : {}),
      ...(revision.access_level && revision.access_level !== doc.access_level
        ? { accessLevel: { from: doc.access_level, to: revision.access_level } }
        : {}),
    },
    ip,
  );
  return document;
}

async function audit(
  trx: Tx,
  by: VersionAuthor,
  doc: DocumentRow,
  action: string,
  details: Record<string, unknown>,
  ip?: string,
): Promise<void> {
  await recordAudit(trx, {
    tenantId: doc.tenant_id,
    actor: by.audit,
    action,
    targetType: 'document',
    targetId: doc.id,
    details: { title: doc.title, ...details },
    ip: ip ?? null,
  });
}

/** Decide on the document's pending revision, with the document locked against a save of its source. */
async function decidePending<T>(
  ctx: ActorContext,
  input: { documentId: string; revisionId: string },
  decide: (trx: Tx, doc: DocumentRow, revision: RevisionRow) => Promise<T>,
): Promise<T> {
  requireRole(ctx.actor, 'content_manager');
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const doc = await lockDocument(trx, ctx.tenantId, input.documentId);
    const revision = await getRevision(trx, doc.id, input.revisionId);
    if (revision.status !== 'pending') {
      throw appError('already_decided', 'This revision was already published or dismissed.');
    }
    return decide(trx, doc, revision);
  });
}

/** Publish the document's pending revision (content manager); the previous version stays in the history. */
export async function publishRevision(
  ctx: ActorContext,
  input: { documentId: string; revisionId: string },
): Promise<DocumentRow> {
  return decidePending(ctx, input, (trx, doc, revision) =>
    applyRevision(trx, doc, revision, authorOf(ctx.actor), ctx.clientIp),
  );
}

/** Dismiss the document's pending revision (content manager): the published version stays as it is. */
export async function dismissRevision(
  ctx: ActorContext,
  input: { documentId: string; revisionId: string },
): Promise<DocumentRow> {
  return decidePending(ctx, input, async (trx, doc, revision) => {
    const by = authorOf(ctx.actor);
    await decideRevision(trx, revision.id, { status: 'dismissed', by: by.userId, byLabel: by.audit.label });
    const document = await updateDocument(trx, doc.id, { pending_revision_id: null });
    await audit(trx, by, document, 'document.revision_dismissed', { revisionId: revision.id }, ctx.clientIp);
    return document;
  });
}

/** The document's pending revision and published history, newest first, and which version is live. */
export async function documentHistory(
  ctx: ActorContext,
  input: { documentId: string },
): Promise<{ revisions: RevisionRow[]; currentId: string | null }> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    await getDocument(trx, input.documentId);
    return {
      revisions: await listRevisions(trx, input.documentId, 200),
      currentId: await currentRevisionId(trx, input.documentId),
    };
  });
}

export interface DocumentVersion {
  document: DocumentRow;
  revision: RevisionRow;
  /** The live version's revision id. */
  currentId: string | null;
}

/** One revision of a document, with the document it belongs to. */
export async function documentRevision(
  ctx: ActorContext,
  input: { documentId: string; revisionId: string },
): Promise<DocumentVersion> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => ({
    document: await getDocument(trx, input.documentId),
    revision: await getRevision(trx, input.documentId, input.revisionId),
    currentId: await currentRevisionId(trx, input.documentId),
  }));
}

/**
 * A version's content in the shape of its document (same id, access and download rules), for serving its
 * file or assets.
 */
export function versionAsDocument(version: DocumentVersion): DocumentRow {
  return {
    ...version.document,
    ...contentColumns(version.revision),
    file_size: version.revision.file_size,
    warnings: [],
  };
}

/** Open the file of one version of a file document. */
export async function openRevisionFile(
  ctx: ActorContext,
  input: { documentId: string; revisionId: string },
): Promise<{ version: DocumentRow; body: Readable }> {
  const version = versionAsDocument(await documentRevision(ctx, input));
  if (version.kind !== 'file' || !version.file_key) throw notFound('File');
  return { version, body: await ctx.s.storage.get(version.file_key) };
}

export interface RevisionComparison extends DocumentVersion {
  blocks: DiffBlock[] | null;
  changes: DiffSummary | null;
}

/** Compare a revision with the document's published version (block by block when both are Markdown). */
export async function compareRevision(
  ctx: ActorContext,
  input: { documentId: string; revisionId: string },
): Promise<RevisionComparison> {
  const version = await documentRevision(ctx, input);
  const { document, revision } = version;
  if (document.kind !== 'markdown' || revision.kind !== 'markdown') return { ...version, blocks: null, changes: null };
  const blocks = diffMarkdown(document.body_markdown ?? '', revision.body_markdown ?? '');
  return { ...version, blocks, changes: summarizeDiff(blocks) };
}

/**
 * Publish the pending revisions of several documents (content manager); documents with nothing waiting are
 * left as they are. Each publish is audited like a single one.
 */
export async function publishPendingRevisions(
  ctx: ActorContext,
  input: { documentIds: string[] },
): Promise<{ changed: number; unchanged: number }> {
  requireRole(ctx.actor, 'content_manager');
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const by = authorOf(ctx.actor);
    let changed = 0;
    // Sorted, so two bulk publishes lock documents in the same order.
    for (const doc of (await getDocuments(trx, input.documentIds)).sort((a, b) => a.id.localeCompare(b.id))) {
      const locked = await lockDocument(trx, ctx.tenantId, doc.id);
      if (!locked.pending_revision_id) continue;
      const revision = await getRevision(trx, locked.id, locked.pending_revision_id);
      await applyRevision(trx, locked, revision, by, ctx.clientIp);
      changed += 1;
    }
    return { changed, unchanged: input.documentIds.length - changed };
  });
}
