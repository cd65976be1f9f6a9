import { sql } from 'kysely';
import type {
  AccessRequest,
  AccessRequestDocument,
  AccessRequestList,
  AccessRequestStatus,
} from '../contracts/trust-center.ts';
import { afterTimestampCursor, cutPage, encodeCursor, timestampKey } from '../platform/db/keyset.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { isoOrNull } from '../platform/db/dates.ts';
import { notFound } from '../platform/errors.ts';

/** Requests and the documents each asks for: the only writer of access_requests and access_request_documents. */

const requestColumns = [
  'r.id',
  'r.name',
  'r.email',
  'r.company',
  'r.reason',
  'r.status',
  'r.decided_at',
  'r.created_at',
] as const;
type RequestRow = {
  id: string;
  name: string;
  email: string;
  company: string;
  reason: string;
  status: AccessRequestStatus;
  decided_at: Date | null;
  created_at: Date;
};

/** The documents and request-time NDA acceptance of these requests, joined onto them. */
async function present(trx: Tx, rows: RequestRow[]): Promise<AccessRequest[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [items, acceptances] = await Promise.all([
    trx
      .selectFrom('access_request_documents as i')
      .innerJoin('documents as d', 'd.id', 'i.document_id')
      .select(['i.request_id', 'i.document_id', 'i.status', 'd.title', 'd.access_level'])
      .where('i.request_id', 'in', ids)
      .orderBy('d.title')
      .execute(),
    trx
      .selectFrom('nda_acceptances as a')
      .innerJoin('nda_versions as v', 'v.id', 'a.nda_version_id')
      .select(['a.id', 'a.access_request_id', 'a.signature_name', 'a.accepted_at', 'v.version'])
      .where('a.access_request_id', 'in', ids)
      .execute(),
  ]);
  return rows.map((r) => {
    const acceptance = acceptances.find((a) => a.access_request_id === r.id);
    return {
      id: r.id,
      name: r.name,
      email: r.email,
      company: r.company,
      reason: r.reason,
      status: r.status,
      documents: items
        .filter((i) => i.request_id === r.id)
        .map((i): AccessRequestDocument => ({
          documentId: i.document_id,
          title: i.title,
          accessLevel: i.access_level,
          status: i.status,
        })),
      ndaAcceptance: acceptance
        ? {
            id: acceptance.id,
            version: acceptance.version,
            signatureName: acceptance.signature_name ?? '',
            acceptedAt: acceptance.accepted_at.toISOString(),
          }
        : null,
      decidedAt: isoOrNull(r.decided_at),
      createdAt: r.created_at.toISOString(),
    };
  });
}

/** One request with its documents; 404 when it is not this tenant's. */
export async function findAccessRequest(trx: Tx, id: string): Promise<AccessRequest> {
  const row = await trx
    .selectFrom('access_requests as r')
    .select(requestColumns)
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Access request');
  return (await present(trx, [row]))[0]!;
}

/** Requests newest first, one keyset page at a time. */
export async function listAccessRequests(
  trx: Tx,
  f: { status?: AccessRequestStatus | undefined; limit: number; cursor?: string | undefined },
): Promise<AccessRequestList> {
  let q = trx
    .selectFrom('access_requests as r')
    .select([...requestColumns, timestampKey('r.created_at').as('sort_key')])
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(f.limit + 1);
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.cursor) q = q.where(afterTimestampCursor('r.created_at', 'r.id', f.cursor));
  const { rows, nextCursor } = cutPage(await q.execute(), f.limit, (row) => encodeCursor(row.sort_key, row.id));
  return { items: await present(trx, rows), nextCursor };
}

/** Documents this email is already waiting for, and how many requests it has open. */
export async function pendingForEmail(trx: Tx, email: string) {
  const rows = await trx
    .selectFrom('access_requests as r')
    .innerJoin('access_request_documents as i', 'i.request_id', 'r.id')
    .select(['r.id', 'i.document_id'])
    .where(sql<string>`lower(r.email)`, '=', email.toLowerCase())
    .where('r.status', '=', 'pending')
    .where('i.status', '=', 'pending')
    .execute();
  return { documentIds: new Set(rows.map((r) => r.document_id)), requests: new Set(rows.map((r) => r.id)).size };
}

/** Requests sent from one address in the last hour (spam guard). */
export async function countRecentFromAddress(trx: Tx, ip: string): Promise<number> {
  const row = await trx
    .selectFrom('access_requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('ip', '=', ip)
    .where('created_at', '>', new Date(Date.now() - 3600_000))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertAccessRequest(
  trx: Tx,
  tenantId: string,
  input: {
    documentIds: string[];
    name: string;
    email: string;
    company: string;
    reason: string;
    ip: string;
    userAgent: string;
  },
): Promise<string> {
  const { id } = await trx
    .insertInto('access_requests')
    .values({
      tenant_id: tenantId,
      name: input.name,
      email: input.email,
      company: input.company,
      reason: input.reason,
      ip: input.ip,
      user_agent: input.userAgent.slice(0, 500),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('access_request_documents')
    .values(input.documentIds.map((documentId) => ({ request_id: id, tenant_id: tenantId, document_id: documentId })))
    .execute();
  return id;
}

/**
 * Decide some of a request's waiting documents. The request itself is decided once none waits any more:
 * approved when at least one document was granted, rejected when none was.
 */
export async function decideRequestDocuments(
  trx: Tx,
  id: string,
  input: { approve: string[]; reject: string[]; decidedBy: string | null },
): Promise<void> {
  for (const [status, documentIds] of [
    ['approved', input.approve],
    ['rejected', input.reject],
  ] as const) {
    if (documentIds.length === 0) continue;
    await trx
      .updateTable('access_request_documents')
      .set({ status })
      .where('request_id', '=', id)
      .where('document_id', 'in', documentIds)
      .where('status', '=', 'pending')
      .execute();
  }
  const items = await trx
    .selectFrom('access_request_documents')
    .select('status')
    .where('request_id', '=', id)
    .execute();
  if (items.some((i) => i.status === 'pending')) return;
  await trx
    .updateTable('access_requests')
    .set({
      status: items.some((i) => i.status === 'approved') ? 'approved' : 'rejected',
      decided_by: input.decidedBy,
      decided_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** The listed (non-internal) documents among these ids, with what a request needs to know of them. */
export async function findListedDocuments(trx: Tx, ids: string[]) {
  if (ids.length === 0) return [];
  return trx
    .selectFrom('documents')
    .select(['id', 'title', 'access_level'])
    .where('id', 'in', ids)
    .where('access_level', '<>', 'internal')
    .execute();
}
