import { sql } from 'kysely';
import type { AppServices } from '../platform/app-services.ts';
import type { Actor, ActorContext } from '../platform/http/request-context.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import type { AccessRequest, AccessRequestStatus, ApproveAccessRequestResult } from '../contracts/trust-center.ts';
import { PUBLIC_AUDIT_ACTIONS } from '../contracts/trust-center.ts';
import type { DocumentRow } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { AppError, appError, notFound } from '../platform/errors.ts';
import { getContactDetail, upsertContact } from './contacts.repo.ts';
import { deliverMagicLink, grantInTx, magicLinkInTx, publicTenant } from './contacts.service.ts';
import { gateFor, getListedDocument, withVisit, type VisitorContext } from './public-access.ts';

/** Spam guard: pending requests one email may have open, and requests one address may send per hour. */
export const MAX_PENDING_PER_EMAIL = 3;
export const MAX_REQUESTS_PER_IP_PER_HOUR = 20;

function requestQuery(trx: Tx) {
  return trx
    .selectFrom('access_requests as r')
    .innerJoin('documents as d', 'd.id', 'r.document_id')
    .select([
      'r.id',
      'r.document_id',
      'r.name',
      'r.email',
      'r.company',
      'r.reason',
      'r.status',
      'r.decided_at',
      'r.created_at',
      'd.title',
      'd.access_level',
    ]);
}
type RequestRow = Awaited<ReturnType<ReturnType<typeof requestQuery>['executeTakeFirstOrThrow']>>;
const toRequest = (r: RequestRow): AccessRequest => ({
  id: r.id,
  documentId: r.document_id,
  documentTitle: r.title,
  documentAccessLevel: r.access_level,
  name: r.name,
  email: r.email,
  company: r.company,
  reason: r.reason,
  status: r.status,
  decidedAt: r.decided_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

export type NewRequestOutcome = 'created' | 'already_pending';

/**
 * Record a visitor's request for a locked document. A repeat for the same email and document while one is
 * pending is absorbed; too many open requests per email, or too many per address, are refused (429).
 */
async function createAccessRequest(
  trx: Tx,
  tenantId: string,
  input: {
    documentId: string;
    name: string;
    email: string;
    company: string;
    reason: string;
    ip: string;
    userAgent: string;
  },
): Promise<NewRequestOutcome> {
  const email = input.email.trim();
  const pending = await trx
    .selectFrom('access_requests')
    .select(['document_id'])
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('status', '=', 'pending')
    .execute();
  if (pending.some((p) => p.document_id === input.documentId)) return 'already_pending';
  const recentFromIp = await trx
    .selectFrom('access_requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('ip', '=', input.ip)
    .where('created_at', '>', new Date(Date.now() - 3600_000))
    .executeTakeFirstOrThrow();
  if (pending.length >= MAX_PENDING_PER_EMAIL || Number(recentFromIp.n) >= MAX_REQUESTS_PER_IP_PER_HOUR) {
    throw new AppError({
      code: 'too_many_requests',
      message: 'You have several requests waiting already. We will get back to you soon.',
    });
  }
  const row = await trx
    .insertInto('access_requests')
    .values({
      tenant_id: tenantId,
      document_id: input.documentId,
      name: input.name,
      email,
      company: input.company,
      reason: input.reason,
      ip: input.ip,
      user_agent: input.userAgent.slice(0, 500),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    tenantId,
    actor: { type: 'visitor', id: null, label: email },
    action: PUBLIC_AUDIT_ACTIONS.accessRequest,
    targetType: 'document',
    targetId: input.documentId,
    details: { requestId: row.id, company: input.company },
    ip: input.ip,
  });
  return 'created';
}

/** What a visitor's request form carries once it is valid. */
export interface AccessRequestDetails {
  name: string;
  email: string;
  company: string;
  reason: string;
}

/**
 * A visitor asks for a locked document from its page. `details` is null when the form did not validate, and
 * `bot` is true when the honeypot field was filled: a bot gets the same answer as a person, and nothing is
 * stored. A document the viewer can already open (or that needs only the NDA) takes no request.
 */
export function requestAccessFromSite(
  ctx: VisitorContext,
  input: { documentId: string; bot: boolean; details: AccessRequestDetails | null },
): Promise<{ doc: DocumentRow; outcome: 'not_locked' | 'invalid' | 'received' }> {
  return withVisit(ctx, async (trx, { viewer }) => {
    const doc = await getListedDocument(trx, input.documentId);
    if (gateFor(viewer, doc) !== 'locked') return { doc, outcome: 'not_locked' };
    if (input.bot) return { doc, outcome: 'received' };
    if (!input.details) return { doc, outcome: 'invalid' };
    await createAccessRequest(trx, ctx.site.id, {
      documentId: doc.id,
      ...input.details,
      ip: ctx.clientIp,
      userAgent: ctx.userAgent,
    });
    return { doc, outcome: 'received' };
  });
}

export async function listAccessRequests(
  trx: Tx,
  f: {
    status?: AccessRequestStatus | undefined;
    limit: number;
    offset: number;
  },
) {
  let list = requestQuery(trx);
  let count = trx.selectFrom('access_requests').select((eb) => eb.fn.countAll<string>().as('n'));
  if (f.status) {
    list = list.where('r.status', '=', f.status);
    count = count.where('status', '=', f.status);
  }
  const [rows, total] = await Promise.all([
    list.orderBy('r.created_at', 'desc').orderBy('r.id').limit(f.limit).offset(f.offset).execute(),
    count.executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toRequest), total: Number(total.n) };
}

async function pendingRequest(trx: Tx, id: string): Promise<RequestRow> {
  const row = await requestQuery(trx).where('r.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Access request');
  if (row.status !== 'pending') throw appError('already_decided', `This request was already ${row.status}.`);
  return row;
}

async function decide(trx: Tx, actor: Actor, id: string, status: 'approved' | 'rejected'): Promise<AccessRequest> {
  await trx
    .updateTable('access_requests')
    .set({ status, decided_by: actor.userId, decided_at: new Date() })
    .where('id', '=', id)
    .execute();
  return toRequest(await requestQuery(trx).where('r.id', '=', id).executeTakeFirstOrThrow());
}

/**
 * Approve: create the contact if needed, grant the requested document, and send the magic link. A
 * document made public or internal since the request was filed is refused by the grant itself.
 */
export async function approveAccessRequest(
  s: Pick<AppServices, 'db' | 'config' | 'logger'>,
  actor: Actor,
  id: string,
  expiresAt: string | null | undefined,
  ip: string,
): Promise<ApproveAccessRequestResult> {
  const tenant = await publicTenant(s, actor.tenantId);
  const { request, contactId, issued } = await withTenant(s.db, actor.tenantId, async (trx) => {
    const row = await pendingRequest(trx, id);
    const { contact, created } = await upsertContact(trx, actor.tenantId, {
      email: row.email,
      name: row.name,
      company: row.company,
    });
    if (created) {
      await recordAudit(trx, {
        tenantId: actor.tenantId,
        actor: auditActor(actor),
        action: 'contact.created',
        targetType: 'contact',
        targetId: contact.id,
        details: { email: contact.email, accessRequestId: id },
        ip,
      });
    }
    await grantInTx(trx, actor, contact.id, { documentIds: [row.document_id], expiresAt }, ip);
    const decided = await decide(trx, actor, id, 'approved');
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: 'access_request.approved',
      targetType: 'access_request',
      targetId: id,
      details: { contactId: contact.id, documentId: row.document_id },
      ip,
    });
    return {
      request: decided,
      contactId: contact.id,
      issued: await magicLinkInTx(trx, actor, tenant, contact, ip),
    };
  });
  const link = await deliverMagicLink(s, actor, issued);
  const contact = await withTenant(s.db, actor.tenantId, (trx) => getContactDetail(trx, contactId));
  return { request, contact, message: link.message };
}

export async function rejectAccessRequest(
  s: Pick<AppServices, 'db'>,
  actor: Actor,
  id: string,
  ip: string,
): Promise<AccessRequest> {
  return withTenant(s.db, actor.tenantId, async (trx) => {
    await pendingRequest(trx, id);
    const decided = await decide(trx, actor, id, 'rejected');
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: 'access_request.rejected',
      targetType: 'access_request',
      targetId: id,
      details: { email: decided.email, documentId: decided.documentId },
      ip,
    });
    return decided;
  });
}

/** The workspace's access requests, newest first, with the page it asked for. */
export async function listWorkspaceAccessRequests(
  ctx: ActorContext,
  query: Parameters<typeof listAccessRequests>[1] & { limit: number; offset: number },
) {
  const page = await withTenant(ctx.s.db, ctx.tenantId, (trx) => listAccessRequests(trx, query));
  return { ...page, limit: query.limit, offset: query.offset };
}
