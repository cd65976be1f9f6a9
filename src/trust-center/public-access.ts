import { PUBLIC_AUDIT_ACTIONS } from '../contracts/trust-center.ts';
import { recordAudit, type AuditActor } from '../audit/audit.repo.ts';
import type { DocumentRow } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { notFound } from '../platform/errors.ts';
import { decideGate, type Gate, type GrantState } from './access-gate.ts';
import { resolveContactSession, type ContactSession } from './contact-access.ts';
import { grantsByDocument } from './contacts.repo.ts';
import { countAnonymousAccess } from './anonymous-activity.repo.ts';
import { currentNda, hasAccepted } from './nda.repo.ts';
import { UUID_PATTERN } from '../contracts/common.ts';

/** Who is looking at the public site and what they hold: everything a gate decision needs. */
export interface Viewer {
  session: ContactSession | undefined;
  grants: Map<string, GrantState>;
  nda: { id: string; version: number; body: string } | undefined;
  ndaAccepted: boolean;
}

/** Columns the public site may read; never the body of a document the caller cannot open. */
export type PublicDocument = Pick<
  DocumentRow,
  'id' | 'title' | 'kind' | 'access_level' | 'file_name' | 'file_content_type' | 'file_size' | 'updated_at' | 'source'
>;
const LISTED_COLUMNS = [
  'id',
  'title',
  'kind',
  'access_level',
  'file_name',
  'file_content_type',
  'file_size',
  'updated_at',
  'source',
] as const;

/** The listed columns of a document row (what a cached page keeps to record its views). */
export function toPublicDocument(row: DocumentRow): PublicDocument {
  return Object.fromEntries(LISTED_COLUMNS.map((k) => [k, row[k]])) as PublicDocument;
}

/** Resolve the contact cookie (if any) and load their grants and NDA state, inside the tenant scope. */
export async function loadViewer(trx: Tx, sessionToken: string | undefined): Promise<Viewer> {
  const session = sessionToken ? await resolveContactSession(trx, sessionToken) : undefined;
  const nda = await currentNda(trx);
  if (!session) return { session, grants: new Map(), nda, ndaAccepted: false };
  const [grants, ndaAccepted] = await Promise.all([
    grantsByDocument(trx, session.contact.id),
    nda ? hasAccepted(trx, session.contact.id, nda.id) : Promise.resolve(false),
  ]);
  return { session, grants, nda, ndaAccepted };
}

/** The gate for one document and this viewer. */
export function gateFor(viewer: Viewer, doc: Pick<DocumentRow, 'id' | 'access_level'>, now = new Date()): Gate {
  return decideGate({
    level: doc.access_level,
    grant: viewer.grants.get(doc.id),
    ndaPublished: viewer.nda !== undefined,
    ndaAccepted: viewer.ndaAccepted,
    now,
  });
}

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

/** The audit identity of a public-site viewer. */
export function viewerActor(viewer: Viewer): AuditActor {
  return viewer.session
    ? {
        type: 'contact',
        id: viewer.session.contact.id,
        label: viewer.session.contact.email,
      }
    : { type: 'visitor', id: null, label: 'anonymous visitor' };
}

/**
 * Record a view or download of an opened document: a contact's as an audit entry (who read what matters,
 * e.g. for an NDA), an anonymous visitor's as a per-day counter (see anonymous-activity.repo.ts).
 */
export async function recordPublicAccess(
  trx: Tx,
  tenantId: string,
  viewer: Viewer,
  doc: PublicDocument,
  kind: 'view' | 'download',
  ip: string,
  userAgent: string,
  /** What else the audit entry says, e.g. that a watermarked copy was served. */
  extra: Record<string, unknown> = {},
): Promise<void> {
  if (!viewer.session) {
    await countAnonymousAccess(trx, { tenantId, documentId: doc.id, kind, ip, userAgent });
    return;
  }
  await recordAudit(trx, {
    tenantId,
    actor: viewerActor(viewer),
    action: PUBLIC_AUDIT_ACTIONS[kind],
    targetType: 'document',
    targetId: doc.id,
    details: {
      title: doc.title,
      accessLevel: doc.access_level,
      userAgent: userAgent.slice(0, 300),
      ...extra,
    },
    ip,
  });
}
