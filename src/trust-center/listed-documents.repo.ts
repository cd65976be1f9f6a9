import { UUID_PATTERN } from '../contracts/common.ts';
import type { DocumentRow } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { notFound } from '../platform/errors.ts';

/** Columns the public site may read; never the body of a document the caller cannot open. */
export type PublicDocument = Pick<
  DocumentRow,
  | 'id'
  | 'title'
  | 'kind'
  | 'access_level'
  | 'file_name'
  | 'file_content_type'
  | 'file_size'
  | 'updated_at'
  | 'source'
  | 'view_only'
>;
export const LISTED_COLUMNS = [
  'id',
  'title',
  'kind',
  'access_level',
  'file_name',
  'file_content_type',
  'file_size',
  'updated_at',
  'source',
  'view_only',
] as const;

/** Every document the public site lists (internal ones are filtered in the query, not after it). */
export async function listListedDocuments(trx: Tx): Promise<PublicDocument[]> {
  return trx
    .selectFrom('documents')
    .select([...LISTED_COLUMNS])
    .where('access_level', '<>', 'internal')
    .orderBy('title')
    .orderBy('id')
    .execute();
}

/**
 * One listed document, or the same 404 for a malformed id, an unknown id, another tenant's id and an
 * internal document, so a guessed URL learns nothing.
 */
export async function getListedDocument(trx: Tx, id: string): Promise<DocumentRow> {
  if (!UUID_PATTERN.test(id)) throw notFound('Document');
  const row = await trx
    .selectFrom('documents')
    .selectAll()
    .where('id', '=', id)
    .where('access_level', '<>', 'internal')
    .executeTakeFirst();
  if (!row) throw notFound('Document');
  return row;
}
