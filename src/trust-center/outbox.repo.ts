import type { Tx } from '../platform/db/tenant-scope.ts';
import { afterTimestampCursor, cutPage, encodeCursor, timestampKey } from '../platform/db/keyset.ts';

/** The outbox table, written only here (through the mailer). */

const COLUMNS = [
  'o.id',
  'o.to_email',
  'o.subject',
  'o.body',
  'o.link',
  'o.sent_at',
  'o.error',
  'o.created_at',
] as const;
export type OutboxRow = {
  id: string;
  to_email: string;
  subject: string;
  body: string;
  link: string | null;
  sent_at: Date | null;
  error: string | null;
  created_at: Date;
};
const RETURNED = ['id', 'to_email', 'subject', 'body', 'link', 'sent_at', 'error', 'created_at'] as const;

export async function insertOutboxMessage(
  trx: Tx,
  tenantId: string,
  mail: { to: string; subject: string; body: string; link: string | null },
): Promise<OutboxRow> {
  return trx
    .insertInto('outbox')
    .values({ tenant_id: tenantId, to_email: mail.to, subject: mail.subject, body: mail.body, link: mail.link })
    .returning(RETURNED)
    .executeTakeFirstOrThrow();
}

/** Record a delivery (or its failure) on the row. */
export async function updateOutboxMessage(
  trx: Tx,
  id: string,
  update: { sent_at: Date; link: null; body: string } | { error: string },
): Promise<OutboxRow> {
  return trx.updateTable('outbox').set(update).where('id', '=', id).returning(RETURNED).executeTakeFirstOrThrow();
}

/** Remove a link from every copy of it in the outbox, replacing it in the text with `replacement`. */
export async function scrubOutboxLink(trx: Tx, link: string, replacement: string): Promise<void> {
  const rows = await trx.selectFrom('outbox').select(['id', 'body']).where('link', '=', link).execute();
  for (const row of rows) {
    await trx
      .updateTable('outbox')
      .set({ link: null, body: row.body.replaceAll(link, replacement) })
      .where('id', '=', row.id)
      .execute();
  }
}

/** The outbox newest first, one keyset page at a time. */
export async function listOutboxRows(trx: Tx, page: { limit: number; cursor?: string | undefined }) {
  let q = trx
    .selectFrom('outbox as o')
    .select([...COLUMNS, timestampKey('o.created_at').as('sort_key')])
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(page.limit + 1);
  if (page.cursor) q = q.where(afterTimestampCursor('o.created_at', 'o.id', page.cursor));
  return cutPage(await q.execute(), page.limit, (row) => encodeCursor(row.sort_key, row.id));
}
