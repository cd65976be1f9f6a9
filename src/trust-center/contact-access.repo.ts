import { sql } from 'kysely';
import type { Tx } from '../platform/db/tenant-scope.ts';

/** How contacts get in: magic links, contact sessions and visitor passes (the only writer of those tables). */

export async function insertMagicLink(
  trx: Tx,
  row: { tokenHash: string; tenantId: string; contactId: string; expiresAt: Date },
): Promise<void> {
  await trx
    .insertInto('magic_links')
    .values({
      token_hash: row.tokenHash,
      tenant_id: row.tenantId,
      contact_id: row.contactId,
      expires_at: row.expiresAt,
    })
    .execute();
}

/** Mark a live link used and return its contact; the update is the single-use check (see redeemMagicLink). */
export async function useMagicLink(trx: Tx, tokenHash: string): Promise<string | undefined> {
  const used = await trx
    .updateTable('magic_links')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('contact_id')
    .executeTakeFirst();
  return used?.contact_id;
}

export async function magicLinkIsLive(trx: Tx, tokenHash: string): Promise<boolean> {
  const row = await trx
    .selectFrom('magic_links')
    .select('token_hash')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether a link was issued to the contact since `since` (self-service throttle). */
export async function magicLinkIssuedSince(trx: Tx, contactId: string, since: Date): Promise<boolean> {
  const row = await trx
    .selectFrom('magic_links')
    .select('token_hash')
    .where('contact_id', '=', contactId)
    .where('created_at', '>', since)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertContactSession(
  trx: Tx,
  row: { tokenHash: string; tenantId: string; contactId: string; csrfToken: string; expiresAt: Date },
): Promise<void> {
  await trx
    .insertInto('contact_sessions')
    .values({
      token_hash: row.tokenHash,
      tenant_id: row.tenantId,
      contact_id: row.contactId,
      csrf_token: row.csrfToken,
      expires_at: row.expiresAt,
    })
    .execute();
}

export async function findContactSession(trx: Tx, tokenHash: string) {
  return trx
    .selectFrom('contact_sessions as s')
    .innerJoin('contacts as c', 'c.id', 's.contact_id')
    .select(['c.id', 'c.email', 'c.name', 'c.company', 's.csrf_token'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', new Date())
    .executeTakeFirst();
}

export async function deleteContactSession(trx: Tx, tokenHash: string): Promise<void> {
  await trx.deleteFrom('contact_sessions').where('token_hash', '=', tokenHash).execute();
}

/** Tie a browser's pass to a contact (who opened a sign-in link) or to a request it sent. */
export async function insertVisitorPass(
  trx: Tx,
  row: { tenantId: string; tokenHash: string; contactId?: string; accessRequestId?: string },
): Promise<void> {
  await trx
    .insertInto('visitor_passes')
    .values({
      tenant_id: row.tenantId,
      token_hash: row.tokenHash,
      contact_id: row.contactId ?? null,
      access_request_id: row.accessRequestId ?? null,
    })
    .execute();
}

/**
 * Whether the holder of this pass is a contact with a live grant for the document: one who opened a sign-in
 * link in this browser, or whose request from this browser an admin approved for it. A request alone (its
 * email is only typed) never counts, so the page cannot be used to learn who has access.
 */
export async function passHolderHoldsGrant(trx: Tx, tokenHash: string, documentId: string): Promise<boolean> {
  const now = new Date();
  const row = await trx
    .selectFrom('visitor_passes as p')
    .leftJoin('access_request_documents as i', (j) =>
      j
        .onRef('i.request_id', '=', 'p.access_request_id')
        .on('i.document_id', '=', documentId)
        .on('i.status', '=', 'approved'),
    )
    .leftJoin('access_requests as r', 'r.id', 'i.request_id')
    .innerJoin('contacts as c', (j) =>
      j.on((eb) =>
        eb.or([
          eb('c.id', '=', eb.ref('p.contact_id')),
          eb(sql<string>`lower(c.email)`, '=', sql<string>`lower(r.email)`),
        ]),
      ),
    )
    .innerJoin('contact_grants as g', 'g.contact_id', 'c.id')
    .select('g.id')
    .where('p.token_hash', '=', tokenHash)
    .where('g.document_id', '=', documentId)
    .where('g.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('g.expires_at', 'is', null), eb('g.expires_at', '>', now)]))
    .executeTakeFirst();
  return row !== undefined;
}
