import { sql } from 'kysely';
import type { Tx } from '../platform/db/tenant-scope.ts';
import type { AccessLevel, DocumentRow, DocumentUpdate, NewDocument, SourceStatus } from '../platform/db/schema.ts';
import { notFound } from '../platform/errors.ts';
import { renderPublicDocumentHtml } from './render-markdown.ts';
import { assetRefsIn } from './asset-refs.ts';
import { afterTimestampCursor, cutPage, encodeCursor, timestampKey } from '../platform/db/keyset.ts';

export interface DocumentFilter {
  source?: 'manual' | 'notion' | undefined;
  accessLevel?: AccessLevel | undefined;
  sourceStatus?: DocumentRow['source_status'] | undefined;
  updateAvailable?: boolean | undefined;
  /** Only documents with (true) or without (false) a revision waiting for review. */
  pendingRevision?: boolean | undefined;
  q?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** List the tenant's documents, recently updated first (RLS scopes the rows; filters narrow them). */
export async function listDocuments(
  trx: Tx,
  f: DocumentFilter,
): Promise<{ rows: DocumentRow[]; nextCursor: string | null }> {
  let q = trx.selectFrom('documents');
  if (f.source) q = q.where('source', '=', f.source);
  if (f.accessLevel) q = q.where('access_level', '=', f.accessLevel);
  if (f.sourceStatus) q = q.where('source_status', '=', f.sourceStatus);
  if (f.updateAvailable !== undefined) q = q.where('update_available', '=', f.updateAvailable);
  if (f.pendingRevision !== undefined) {
    q = q.where('pending_revision_id', f.pendingRevision ? 'is not' : 'is', null);
  }
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('title', 'ilike', pattern), eb('body_markdown', 'ilike', pattern)]));
  }
  if (f.cursor) q = q.where(afterTimestampCursor('updated_at', 'id', f.cursor));
  const rows = await q
    .selectAll()
    .select(timestampKey('updated_at').as('sort_key'))
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = cutPage(rows, f.limit, (r) => encodeCursor(r.sort_key, r.id));
  return { rows: page.rows.map(({ sort_key: _, ...row }) => row), nextCursor: page.nextCursor };
}

/** Fetch one document; another tenant's id is indistinguishable from an unknown one (404). */
export async function getDocument(trx: Tx, id: string): Promise<DocumentRow> {
  const row = await trx.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Document');
  return row;
}

/**
 * The public-site HTML of a body being written: rendered here, once, instead of on every page view. The
 * slug comes from the tenant, or through the document for an update.
 */
async function publicHtml(
  trx: Tx,
  owner: { tenantId: string } | { documentId: string },
  documentId: string,
  markdown: string,
): Promise<string | null> {
  const tenant =
    'tenantId' in owner
      ? await trx.selectFrom('tenants').select('slug').where('id', '=', owner.tenantId).executeTakeFirst()
      : await trx
          .selectFrom('documents')
          .innerJoin('tenants', 'tenants.id', 'documents.tenant_id')
          .select('tenants.slug')
          .where('documents.id', '=', owner.documentId)
          .executeTakeFirst();
  // No tenant or document found: the insert or update below fails on its own terms.
  return tenant ? renderPublicDocumentHtml(markdown, { base: `/t/${tenant.slug}`, documentId }) : null;
}

/** Whenever a body is written, the asset references parsed from it are written with it (never passed in). */
function withAssetRefs<T extends { body_markdown?: string | null | undefined }>(values: T) {
  if (values.body_markdown === undefined) return values;
  return { ...values, asset_refs: values.body_markdown === null ? [] : assetRefsIn(values.body_markdown) };
}

export async function insertDocument(trx: Tx, values: Omit<NewDocument, 'asset_refs'>): Promise<DocumentRow> {
  const id = values.id ?? crypto.randomUUID();
  const markdown = values.body_markdown;
  const body_html =
    typeof markdown === 'string' ? await publicHtml(trx, { tenantId: values.tenant_id }, id, markdown) : null;
  return trx
    .insertInto('documents')
    .values({ ...withAssetRefs(values), id, body_html })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateDocument(
  trx: Tx,
  id: string,
  values: Omit<DocumentUpdate, 'asset_refs'>,
): Promise<DocumentRow> {
  const markdown = values.body_markdown;
  const html =
    markdown === undefined
      ? {}
      : {
          body_html: markdown === null ? null : await publicHtml(trx, { documentId: id }, id, markdown),
        };
  const row = await trx
    .updateTable('documents')
    .set({ ...withAssetRefs(values), ...html, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('Document');
  return row;
}

export async function deleteDocument(trx: Tx, id: string): Promise<DocumentRow> {
  const row = await trx.deleteFrom('documents').where('id', '=', id).returningAll().executeTakeFirst();
  if (!row) throw notFound('Document');
  return row;
}

/** Find the document linked to a source item, if any (unique per tenant, source and source id). */
export async function findBySource(trx: Tx, source: 'notion', sourceId: string): Promise<DocumentRow | undefined> {
  return trx
    .selectFrom('documents')
    .selectAll()
    .where('source', '=', source)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
}

/** Map source ids to document ids, for "already imported" badges in browse results. */
export async function documentIdsBySource(
  trx: Tx,
  source: 'notion',
  sourceIds: string[],
): Promise<Map<string, string>> {
  if (sourceIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('documents')
    .select(['id', 'source_id'])
    .where('source', '=', source)
    .where('source_id', 'in', sourceIds)
    .execute();
  return new Map(rows.map((r) => [r.source_id!, r.id]));
}

/** Documents imported from these Notion pages, with what a link to them needs. */
export async function findLinkTargets(
  trx: Tx,
  pageIds: string[],
): Promise<Map<string, Pick<DocumentRow, 'id' | 'access_level'>>> {
  if (pageIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('documents')
    .select(['id', 'source_id', 'access_level'])
    .where('source', '=', 'notion')
    .where('source_id', 'in', pageIds)
    .execute();
  return new Map(rows.map((r) => [r.source_id!, { id: r.id, access_level: r.access_level }]));
}

/**
 * Record what a sync saw of a document's source. `fields` (when something visible changed) replace the source
 * metadata; `update_available` is raised in SQL against the row as it is now, so a re-import that committed
 * while the sync waited on its source is not undone.
 */
export async function recordSourceReading(
  trx: Tx,
  id: string,
  reading: { fields: DocumentUpdate | null; editedAt: Date },
): Promise<void> {
  await trx
    .updateTable('documents')
    .set({
      ...(reading.fields ? { ...reading.fields, updated_at: sql`now()` } : {}),
      update_available: sql`update_available or (content_last_edited_time is not null and content_last_edited_time < ${reading.editedAt})`,
      synced_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Record that a document's source could not be read; `status` null when it was already marked so. */
export async function recordSourceMissing(trx: Tx, id: string, status: SourceStatus | null): Promise<void> {
  await trx
    .updateTable('documents')
    .set(status ? { source_status: status, synced_at: sql`now()`, updated_at: sql`now()` } : { synced_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** A source was disconnected: its linked documents stay, marked so (and are linked again on reconnect). */
export async function markSourceDisconnected(trx: Tx, source: 'notion', disconnected: boolean): Promise<void> {
  await trx
    .updateTable('documents')
    .set(disconnected ? { source_status: 'disconnected', updated_at: sql`now()` } : { source_status: 'ok' })
    .where('source', '=', source)
    .where('source_status', '=', disconnected ? 'ok' : 'disconnected')
    .execute();
}

/** The storage a tenant's documents use: their files' keys and the asset file names their bodies reference. */
export async function documentStorageUse(trx: Tx): Promise<{ file_key: string | null; asset_refs: string[] }[]> {
  return trx.selectFrom('documents').select(['file_key', 'asset_refs']).execute();
}

/** The tenant's documents with these ids; every id must be one of them (else 404, and nothing is changed). */
export async function getDocuments(trx: Tx, ids: string[]): Promise<DocumentRow[]> {
  const rows = await trx.selectFrom('documents').selectAll().where('id', 'in', ids).execute();
  if (rows.length !== ids.length) throw notFound('Document');
  return rows;
}
