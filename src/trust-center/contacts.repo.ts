import { sql } from 'kysely';
import type { Contact, ContactDetail, ContactGrant } from '../contracts/trust-center.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { notFound } from '../platform/errors.ts';
import { grantIsActive } from './access-gate.ts';
import { isoOrNull } from '../platform/db/dates.ts';
import { afterTimestampCursor, cutPage, encodeCursor, timestampKey } from '../platform/db/keyset.ts';
import type { CursorPage } from '../contracts/paging.ts';

/** Contact columns plus the aggregates the admin list shows (RLS scopes every subquery to the tenant). */
function contactQuery(trx: Tx) {
  return trx
    .selectFrom('contacts as c')
    .select([
      'c.id',
      'c.email',
      'c.name',
      'c.company',
      'c.created_at',
      sql<string>`(select count(*) from contact_grants g where g.contact_id = c.id and g.revoked_at is null and (g.expires_at is null or g.expires_at > now()))`.as(
        'active_grants',
      ),
      sql<
        number | null
      >`(select max(v.version) from nda_acceptances a join nda_versions v on v.id = a.nda_version_id where a.contact_id = c.id)`.as(
        'nda_version',
      ),
      sql<Date | null>`(select max(m.created_at) from magic_links m where m.contact_id = c.id)`.as('last_link_at'),
    ]);
}
type ContactQueryRow = Awaited<ReturnType<ReturnType<typeof contactQuery>['executeTakeFirstOrThrow']>>;

function toContact(r: ContactQueryRow): Contact {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    company: r.company,
    createdAt: r.created_at.toISOString(),
    activeGrants: Number(r.active_grants),
    ndaAcceptedVersion: r.nda_version === null ? null : Number(r.nda_version),
    lastMagicLinkAt: r.last_link_at ? new Date(r.last_link_at).toISOString() : null,
  };
}

/** List contacts, newest first, optionally filtered by a text match on email, name or company. */
export async function listContacts(
  trx: Tx,
  f: { q?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<CursorPage<Contact>> {
  let list = contactQuery(trx).select(timestampKey('c.created_at').as('sort_key'));
  if (f.q) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    list = list.where((eb) =>
      eb.or([eb('c.email', 'ilike', pattern), eb('c.name', 'ilike', pattern), eb('c.company', 'ilike', pattern)]),
    );
  }
  if (f.cursor) list = list.where(afterTimestampCursor('c.created_at', 'c.id', f.cursor));
  const rows = await list
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = cutPage(rows, f.limit, (r) => encodeCursor(r.sort_key, r.id));
  return { items: page.rows.map(toContact), nextCursor: page.nextCursor };
}

/** One contact with every grant (active, expired and revoked) and NDA acceptance. */
export async function getContactDetail(trx: Tx, id: string): Promise<ContactDetail> {
  const row = await contactQuery(trx).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Contact');
  const now = new Date();
  const [grants, acceptances] = await Promise.all([
    trx
      .selectFrom('contact_grants as g')
      .innerJoin('documents as d', 'd.id', 'g.document_id')
      .select(['g.id', 'g.document_id', 'g.expires_at', 'g.revoked_at', 'g.created_at', 'd.title', 'd.access_level'])
      .where('g.contact_id', '=', id)
      .orderBy('d.title')
      .execute(),
    trx
      .selectFrom('nda_acceptances as a')
      .innerJoin('nda_versions as v', 'v.id', 'a.nda_version_id')
      .select(['a.id', 'v.version', 'a.accepted_at', 'a.ip', 'a.user_agent', 'a.signature_name', 'a.certificate_key'])
      .where('a.contact_id', '=', id)
      .orderBy('a.accepted_at', 'desc')
      .execute(),
  ]);
  return {
    ...toContact(row),
    grants: grants.map((g): ContactGrant => ({
      id: g.id,
      documentId: g.document_id,
      documentTitle: g.title,
      accessLevel: g.access_level,
      status: g.revoked_at
        ? 'revoked'
        : grantIsActive({ expiresAt: g.expires_at, revokedAt: null }, now)
          ? 'active'
          : 'expired',
      expiresAt: isoOrNull(g.expires_at),
      revokedAt: isoOrNull(g.revoked_at),
      createdAt: g.created_at.toISOString(),
    })),
    ndaAcceptances: acceptances.map((a) => ({
      id: a.id,
      version: a.version,
      signatureName: a.signature_name,
      hasCertificate: a.certificate_key !== null,
      acceptedAt: a.accepted_at.toISOString(),
      ip: a.ip,
      userAgent: a.user_agent,
    })),
  };
}

/** Find a contact by email (case-insensitive). */
export async function findContactByEmail(trx: Tx, email: string) {
  return trx
    .selectFrom('contacts')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

/** Create a contact, or return the existing one with that email (filling in a missing name or company). */
export async function upsertContact(
  trx: Tx,
  tenantId: string,
  input: {
    email: string;
    name?: string | undefined;
    company?: string | undefined;
  },
) {
  const existing = await findContactByEmail(trx, input.email);
  if (existing) {
    const name = existing.name || input.name || '';
    const company = existing.company || input.company || '';
    if (name === existing.name && company === existing.company) return { contact: existing, created: false };
    const contact = await trx
      .updateTable('contacts')
      .set({ name, company })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { contact, created: false };
  }
  const contact = await trx
    .insertInto('contacts')
    .values({
      tenant_id: tenantId,
      email: input.email.trim(),
      name: input.name ?? '',
      company: input.company ?? '',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { contact, created: true };
}

export async function updateContact(
  trx: Tx,
  id: string,
  input: { name?: string | undefined; company?: string | undefined },
) {
  const values = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.company !== undefined ? { company: input.company } : {}),
  };
  const q =
    Object.keys(values).length > 0
      ? trx.updateTable('contacts').set(values).where('id', '=', id).returningAll()
      : trx.selectFrom('contacts').selectAll().where('id', '=', id);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('Contact');
  return row;
}

export async function deleteContact(trx: Tx, id: string) {
  const row = await trx.deleteFrom('contacts').where('id', '=', id).returningAll().executeTakeFirst();
  if (!row) throw notFound('Contact');
  return row;
}

/**
 * Grant documents to a contact. Granting again renews: the expiry is replaced and a revocation lifted.
 * Returns the ids actually granted; public and internal documents are never granted (public needs no
 * grant, internal must never leave the building).
 */
export async function grantDocuments(
  trx: Tx,
  tenantId: string,
  input: {
    contactId: string;
    documentIds: string[];
    expiresAt: Date | null;
    grantedBy: string | null;
  },
): Promise<string[]> {
  if (input.documentIds.length === 0) return [];
  const docs = await trx
    .selectFrom('documents')
    .select('id')
    .where('id', 'in', input.documentIds)
    .where('access_level', 'in', ['contacts', 'contacts_nda'])
    .execute();
  if (docs.length === 0) return [];
  await trx
    .insertInto('contact_grants')
    .values(
      docs.map((d) => ({
        tenant_id: tenantId,
        contact_id: input.contactId,
        document_id: d.id,
        expires_at: input.expiresAt,
        granted_by: input.grantedBy,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['contact_id', 'document_id']).doUpdateSet({
        expires_at: input.expiresAt,
        revoked_at: null,
        granted_by: input.grantedBy,
        created_at: sql`now()`,
      }),
    )
    .execute();
  return docs.map((d) => d.id);
}

/** Ids of every grantable document of a level, for "grant all documents of this level". */
export async function documentIdsAtLevel(trx: Tx, level: 'contacts' | 'contacts_nda'): Promise<string[]> {
  const rows = await trx.selectFrom('documents').select('id').where('access_level', '=', level).execute();
  return rows.map((r) => r.id);
}

/** Mark a grant revoked (kept for the record). */
export async function revokeGrant(trx: Tx, contactId: string, grantId: string) {
  const row = await trx
    .updateTable('contact_grants')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('id', '=', grantId)
    .where('contact_id', '=', contactId)
    .returning(['id', 'document_id'])
    .executeTakeFirst();
  if (!row) throw notFound('Grant');
  return row;
}

/** A contact's grants keyed by document id, for the public site's gate. */
export async function grantsByDocument(trx: Tx, contactId: string) {
  const rows = await trx
    .selectFrom('contact_grants')
    .select(['document_id', 'expires_at', 'revoked_at'])
    .where('contact_id', '=', contactId)
    .execute();
  return new Map(rows.map((r) => [r.document_id, { expiresAt: r.expires_at, revokedAt: r.revoked_at }]));
}

/** A contact's email, for naming them in the audit log. */
export async function contactEmail(trx: Tx, id: string): Promise<string> {
  const row = await trx.selectFrom('contacts').select('email').where('id', '=', id).executeTakeFirstOrThrow();
  return row.email;
}

/** Whether the contact holds at least one grant that is neither revoked nor expired. */
export async function hasActiveGrant(trx: Tx, contactId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('contact_grants')
    .select('id')
    .where('contact_id', '=', contactId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
    .executeTakeFirst();
  return row !== undefined;
}
