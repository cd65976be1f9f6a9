import { sql } from 'kysely';
import type { Tx } from '../platform/db/tenant-scope.ts';
import type { DocumentRow, NewRevision, RevisionRow } from '../platform/db/schema.ts';
import { notFound } from '../platform/errors.ts';

/** The content columns a document and its revisions share. */
export type DocumentContent = Pick<
  DocumentRow,
  'title' | 'kind' | 'body_markdown' | 'file_key' | 'file_name' | 'file_content_type' | 'file_sha256' | 'content_hash'
> & { file_size: number | null; warnings: unknown[] };

/** The content columns of a row, in the shape inserts and updates take. */
export function contentColumns(row: DocumentContent | DocumentRow | RevisionRow) {
  return {
    title: row.title,
    kind: row.kind,
    body_markdown: row.body_markdown,
    file_key: row.file_key,
    file_name: row.file_name,
    file_content_type: row.file_content_type,
    file_size: row.file_size === null ? null : Number(row.file_size),
    file_sha256: row.file_sha256,
    content_hash: row.content_hash,
    warnings: JSON.stringify(row.warnings ?? []),
  };
}

export async function insertRevision(trx: Tx, values: NewRevision): Promise<RevisionRow> {
  return trx.insertInto('document_revisions').values(values).returningAll().executeTakeFirstOrThrow();
}

/** A revision of the given document; another document's (or tenant's) revision is a 404. */
export async function getRevision(trx: Tx, documentId: string, revisionId: string): Promise<RevisionRow> {
  const row = await trx
    .selectFrom('document_revisions')
    .selectAll()
    .where('id', '=', revisionId)
    .where('document_id', '=', documentId)
    .executeTakeFirst();
  if (!row) throw notFound('Revision');
  return row;
}

/** The document's revisions, newest first (the pending one, then the published history, then dismissed). */
export async function listRevisions(trx: Tx, documentId: string, limit: number): Promise<RevisionRow[]> {
  return trx
    .selectFrom('document_revisions')
    .selectAll()
    .where('document_id', '=', documentId)
    .orderBy(sql`coalesce(decided_at, created_at)`, 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Record the decision on a pending revision; false when it was no longer pending. */
export async function decideRevision(
  trx: Tx,
  revisionId: string,
  decision: { status: 'published' | 'dismissed'; by: string | null; byLabel: string },
): Promise<boolean> {
  const res = await trx
    .updateTable('document_revisions')
    .set({
      status: decision.status,
      decided_by: decision.by,
      decided_by_label: decision.byLabel,
      decided_at: sql`now()`,
    })
    .where('id', '=', revisionId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** A pending revision replaced by newer content before anyone decided on it was never public: it goes. */
export async function deletePendingRevision(trx: Tx, revisionId: string): Promise<void> {
  await trx.deleteFrom('document_revisions').where('id', '=', revisionId).where('status', '=', 'pending').execute();
}

/** The published version the document shows now: the one published last. */
export async function currentRevisionId(trx: Tx, documentId: string): Promise<string | null> {
  const row = await trx
    .selectFrom('document_revisions')
    .select('id')
    .where('document_id', '=', documentId)
    .where('status', '=', 'published')
    .orderBy('decided_at', 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Every version's file key and Markdown (pending, published or dismissed: any of them can still be opened). */
export async function revisionStorageUse(
  trx: Tx,
): Promise<{ file_key: string | null; body_markdown: string | null }[]> {
  return trx.selectFrom('document_revisions').select(['file_key', 'body_markdown']).execute();
}

/** Hold a transaction-scoped advisory lock on `key`: saves of the same source wait for each other. */
export async function lockForTransaction(trx: Tx, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}
