import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { auditAction } from '../audit/audit-actor.ts';
import { recordAudit, type AuditActor } from '../audit/audit.repo.ts';
import type {
  AccessRequest,
  AccessRequestList,
  AccessRequestStatus,
  ApproveAccessRequestResult,
} from '../contracts/trust-center.ts';
import { MAX_DOCUMENTS_PER_REQUEST, PUBLIC_AUDIT_ACTIONS } from '../contracts/trust-center.ts';
import { UUID_PATTERN } from '../contracts/common.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { AppError, appError, isAppError, type ErrorCode } from '../platform/errors.ts';
import type { ActorContext, PublicContext } from '../platform/http/request-context.ts';
import { gateFor, withVisit, type VisitorContext } from './public-access.ts';
import { listListedDocuments } from './listed-documents.repo.ts';
import { findAutoApproveRule } from './auto-approve.repo.ts';
import {
  countRecentFromAddress,
  decideRequestDocuments,
  findAccessRequest,
  findListedDocuments,
  insertAccessRequest,
  listAccessRequests,
  pendingForEmail,
} from './access-requests.repo.ts';
import { passHolderMayOpen, recordVisitorPass, type PublicTenant } from './contact-access.ts';
import { getContactDetail, upsertContact } from './contacts.repo.ts';
import {
  deliverMagicLink,
  grantInTx,
  granterOf,
  magicLinkInTx,
  publicTenant,
  type Granter,
} from './contacts.service.ts';
import { renderNdaCertificate } from './nda-certificate.ts';
import { attachRequestAcceptance, currentNda, recordRequestAcceptance } from './nda.repo.ts';
import { announceAccessRequest } from './request-notifications.ts';

/** Spam guard: pending requests one email may have open, and requests one address may send per hour. */
export const MAX_PENDING_PER_EMAIL = 3;
export const MAX_REQUESTS_PER_IP_PER_HOUR = 20;

/** SHA-256 of an NDA text, as certificates and acceptance records name the exact version signed. */
export const ndaTextSha256 = (body: string) => crypto.createHash('sha256').update(body, 'utf8').digest('hex');

/** What a visitor's request form carries once it is valid. */
export interface AccessRequestDetails {
  name: string;
  email: string;
  company: string;
  reason: string;
}

/** A request as the site hands it over: who asks (once), for which documents, and the NDA signature. */
interface NewAccessRequest extends AccessRequestDetails {
  tenant: PublicTenant;
  documentIds: string[];
  /** The NDA as signed on the request form: the version shown and the full name typed as signature. */
  nda: { versionId: string; signatureName: string } | null;
  /** The browser's visitor pass, if it has one (see contact-access.ts). */
  passToken: string | undefined;
  userAgent: string;
}

/**
 * Which documents of a request can be asked for. Unknown ids, other tenants' ids and internal documents get
 * the same answer (a guessed id learns nothing); public documents need no request.
 */
async function requestedDocuments(trx: Tx, documentIds: string[]) {
  const ids = [...new Set(documentIds)];
  if (ids.length === 0) throw appError('invalid_input', 'Choose at least one document to request.');
  if (ids.length > MAX_DOCUMENTS_PER_REQUEST)
    throw appError('too_many_documents', `One request can ask for at most ${MAX_DOCUMENTS_PER_REQUEST} documents.`);
  const docs = ids.every((id) => UUID_PATTERN.test(id)) ? await findListedDocuments(trx, ids) : [];
  if (docs.length !== ids.length)
    throw appError(
      'not_requestable',
      'Some of the chosen documents do not exist here. Reload the page and choose again.',
    );
  if (docs.some((d) => d.access_level === 'public'))
    throw appError('not_requestable', 'Public documents can be opened without a request; leave them out.');
  return docs;
}

/**
 * Record a visitor's request for one or more locked documents, signing the NDA in the same step when one of
 * them needs it. Documents this email already waits for are left out (a repeat is absorbed); too many open
 * requests per email, or too many per address, are refused (429). When the email's domain has an
 * auto-approve rule, the documents it covers are granted at once and one sign-in link is issued (deliver
 * it after commit).
 */
async function createAccessRequest(trx: Tx, ctx: PublicContext, input: NewAccessRequest) {
  const { tenant } = input;
  const email = input.email.trim();
  const ip = ctx.clientIp;
  const docs = await requestedDocuments(trx, input.documentIds);
  const nda = docs.some((d) => d.access_level === 'contacts_nda') ? await currentNda(trx) : undefined;
  if (nda) {
    if (!input.nda?.signatureName.trim())
      throw appError(
        'signature_required',
        'To request a document under NDA, type your full name and tick the box to sign the agreement.',
      );
    if (input.nda.versionId !== nda.id)
      throw appError('nda_changed', 'The agreement was updated while you were reading. Please review the new version.');
  }
  const pending = await pendingForEmail(trx, email);
  const fresh = docs.filter((d) => !pending.documentIds.has(d.id));
  if (fresh.length === 0) return { status: 'already_pending' as const, passToken: null, issued: null };
  const recent = await countRecentFromAddress(trx, ip);
  if (pending.requests >= MAX_PENDING_PER_EMAIL || recent >= MAX_REQUESTS_PER_IP_PER_HOUR) {
    throw new AppError({
      code: 'too_many_requests',
      message: 'You have several requests waiting already. We will get back to you soon.',
    });
  }
  const requestId = await insertAccessRequest(trx, tenant.id, {
    documentIds: fresh.map((d) => d.id),
    name: input.name,
    email,
    company: input.company,
    reason: input.reason,
    ip,
    userAgent: input.userAgent,
  });
  const visitor: AuditActor = { type: 'visitor', id: null, label: email };
  // One entry per document, so each document's activity shows who asked for it.
  for (const doc of fresh) {
    await recordAudit(trx, {
      tenantId: tenant.id,
      actor: visitor,
      action: PUBLIC_AUDIT_ACTIONS.accessRequest,
      targetType: 'document',
      targetId: doc.id,
      details: { requestId, company: input.company, documents: fresh.length },
      ip,
    });
  }
  if (nda && input.nda) {
    await signNdaWithRequest(ctx, trx, {
      tenant,
      requestId,
      nda,
      signatureName: input.nda.signatureName.trim(),
      email,
      company: input.company,
      userAgent: input.userAgent,
    });
  }
  const passToken = await recordVisitorPass(trx, {
    tenantId: tenant.id,
    token: input.passToken,
    accessRequestId: requestId,
  });
  const issued = await autoApprove(trx, ip, tenant, requestId, email, fresh);
  // Announced even when approved by a rule: the notice job mails only about requests still waiting.
  await announceAccessRequest(trx, tenant.id, requestId);
  return { status: issued ? ('auto_approved' as const) : ('created' as const), passToken, issued };
}

/** How a request from the site ended: taken (maybe approved at once), or refused with the reason to show. */
export type SiteRequestOutcome =
  | { outcome: 'received' | 'approved'; passToken: string | null }
  | { outcome: 'refused'; code: ErrorCode; error: string; status: 400 | 409 };

/**
 * A visitor sends the request form (one document from its page, or several from the request page). A
 * filled honeypot (`bot`) gets the same answer as a person and nothing is stored. Input the form cannot
 * fix by itself (unknown documents, a missing signature, a changed NDA) comes back as `refused` with the
 * reason; an approval by rule mails the sign-in link once the request is stored.
 */
export async function requestAccessFromSite(
  ctx: VisitorContext,
  input: {
    documentIds: string[];
    bot: boolean;
    details: AccessRequestDetails;
    nda: { versionId: string; signatureName: string } | null;
    passToken: string | undefined;
  },
): Promise<SiteRequestOutcome> {
  if (input.bot) return { outcome: 'received', passToken: null };
  try {
    const result = await withVisit(ctx, (trx, { tenant }) =>
      createAccessRequest(trx, ctx, { tenant, ...input, ...input.details, userAgent: ctx.userAgent }),
    );
    if (result.issued) await deliverMagicLink(ctx.s, result.issued.by, result.issued.link);
    return { outcome: result.issued ? 'approved' : 'received', passToken: result.passToken };
  } catch (err) {
    if (isAppError(err) && (err.status === 400 || err.status === 409))
      return { outcome: 'refused', code: err.code, error: err.message, status: err.status };
    throw err;
  }
}

/** The request page: every document this viewer can ask for, and the NDA a chosen NDA document needs. */
export function readRequestPage(ctx: VisitorContext) {
  return withVisit(ctx, async (trx, { viewer }) => ({
    documents: (await listListedDocuments(trx)).filter((doc) => gateFor(viewer, doc) === 'locked'),
    nda: viewer.nda ?? null,
    viewer,
  }));
}

/**
 * What a locked document's page offers: "sign in to view" to a signed-out contact this browser belongs to
 * who holds a grant for it (see visitor passes), the request form to everyone else.
 */
export function lockedDocumentOffer(
  ctx: VisitorContext,
  input: { documentId: string; passToken: string | undefined },
): Promise<'sign_in' | 'request'> {
  return withVisit(ctx, async (trx, { viewer }) => {
    if (viewer.session) return 'request';
    return (await passHolderMayOpen(trx, input.passToken, input.documentId)) ? 'sign_in' : 'request';
  });
}

/** Store the acceptance signed on the request form, with its PDF certificate, and audit it. */
async function signNdaWithRequest(
  ctx: PublicContext,
  trx: Tx,
  input: {
    tenant: PublicTenant;
    requestId: string;
    nda: { id: string; version: number; body: string };
    signatureName: string;
    email: string;
    company: string;
    userAgent: string;
  },
): Promise<void> {
  const id = crypto.randomUUID();
  const acceptedAt = new Date();
  const ndaSha256 = ndaTextSha256(input.nda.body);
  const pdf = await renderNdaCertificate({
    companyName: input.tenant.name,
    signatureName: input.signatureName,
    email: input.email,
    company: input.company,
    ndaVersion: input.nda.version,
    ndaSha256,
    acceptedAt,
    ip: ctx.clientIp,
    userAgent: input.userAgent,
    accessRequestId: input.requestId,
    acceptanceId: id,
    siteUrl: input.tenant.siteUrl,
  });
  const certificateKey = `${input.tenant.id}/nda-certificates/${id}.pdf`;
  await ctx.s.storage.put(certificateKey, Readable.from(Buffer.from(pdf)), {
    contentType: 'application/pdf',
    maxBytes: pdf.length,
  });
  await recordRequestAcceptance(trx, input.tenant.id, {
    id,
    accessRequestId: input.requestId,
    ndaVersionId: input.nda.id,
    signatureName: input.signatureName,
    ndaSha256,
    acceptedAt,
    ip: ctx.clientIp,
    userAgent: input.userAgent,
    certificateKey,
    certificateSha256: crypto.createHash('sha256').update(pdf).digest('hex'),
  });
  await recordAudit(trx, {
    tenantId: input.tenant.id,
    actor: { type: 'visitor', id: null, label: input.email },
    action: PUBLIC_AUDIT_ACTIONS.ndaAccept,
    targetType: 'nda',
    targetId: input.nda.id,
    details: {
      version: input.nda.version,
      requestId: input.requestId,
      signatureName: input.signatureName,
      userAgent: input.userAgent.slice(0, 300),
    },
    ip: ctx.clientIp,
  });
}

/**
 * Apply the email domain's auto-approve rule, if there is one: grant what it covers (all documents, or only
 * those shared with contacts without NDA) and issue the sign-in link. The rest waits for an admin.
 */
async function autoApprove(
  trx: Tx,
  ip: string,
  tenant: PublicTenant,
  requestId: string,
  email: string,
  docs: { id: string; access_level: string }[],
) {
  const rule = await findAutoApproveRule(trx, email);
  if (!rule) return null;
  const covered = docs.filter((d) => rule.scope === 'all' || d.access_level === 'contacts').map((d) => d.id);
  if (covered.length === 0) return null;
  const by: Granter = {
    tenantId: tenant.id,
    userId: null,
    audit: { type: 'system', id: null, label: `auto-approve rule for ${rule.domain}` },
    ip,
    revealLinks: false,
  };
  const request = await findAccessRequest(trx, requestId);
  const { link } = await approveInTx(trx, by, tenant, request, { approve: covered, reject: [], expiresAt: null });
  return { by, link };
}

/**
 * Approve some of a request's waiting documents inside the caller's transaction: create or reuse the contact,
 * grant, decide the documents, attach the NDA signed with the request, and issue one sign-in link.
 */
async function approveInTx(
  trx: Tx,
  by: Granter,
  tenant: PublicTenant,
  request: AccessRequest,
  decision: { approve: string[]; reject: string[]; expiresAt: string | null | undefined },
) {
  const { contact, created } = await upsertContact(trx, by.tenantId, {
    email: request.email,
    name: request.name,
    company: request.company,
  });
  if (created) {
    await recordAudit(trx, {
      tenantId: by.tenantId,
      actor: by.audit,
      action: 'contact.created',
      targetType: 'contact',
      targetId: contact.id,
      details: { email: contact.email, accessRequestId: request.id },
      ip: by.ip,
    });
  }
  await grantInTx(trx, by, contact.id, { documentIds: decision.approve, expiresAt: decision.expiresAt });
  await decideRequestDocuments(trx, request.id, { ...decision, decidedBy: by.userId });
  await attachRequestAcceptance(trx, request.id, contact.id);
  await recordAudit(trx, {
    tenantId: by.tenantId,
    actor: by.audit,
    action: 'access_request.approved',
    targetType: 'access_request',
    targetId: request.id,
    details: { contactId: contact.id, documentIds: decision.approve, declined: decision.reject },
    ip: by.ip,
  });
  return { contactId: contact.id, link: await magicLinkInTx(trx, by, tenant, contact) };
}

/** The request's documents still waiting for a decision; a request with none is decided already (409). */
function waitingDocuments(request: AccessRequest): string[] {
  const waiting = request.documents.filter((d) => d.status === 'pending').map((d) => d.documentId);
  if (request.status !== 'pending' || waiting.length === 0)
    throw appError('already_decided', `This request was already ${request.status}.`);
  return waiting;
}

/**
 * Approve a request once: grant every waiting document (or only `documentIds`; the others are declined) and
 * send one sign-in link. A document made public or internal since the request was filed is refused by the
 * grant itself.
 */
export async function approveAccessRequest(
  ctx: ActorContext,
  input: { id: string; expiresAt?: string | null | undefined; documentIds?: string[] | undefined },
): Promise<ApproveAccessRequestResult> {
  const tenant = await publicTenant(ctx.s, ctx.tenantId);
  const by = granterOf(ctx.actor, ctx.clientIp);
  const { contactId, link } = await withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const request = await findAccessRequest(trx, input.id);
    const waiting = waitingDocuments(request);
    const chosen = input.documentIds ? [...new Set(input.documentIds)] : waiting;
    const foreign = chosen.filter((id) => !waiting.includes(id));
    if (foreign.length > 0)
      throw appError('invalid_body', 'documentIds: choose among the documents this request is waiting for.', {
        documentIds: foreign,
      });
    const reject = waiting.filter((id) => !chosen.includes(id));
    return approveInTx(trx, by, tenant, request, { approve: chosen, reject, expiresAt: input.expiresAt });
  });
  const mail = await deliverMagicLink(ctx.s, by, link);
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => ({
    request: await findAccessRequest(trx, input.id),
    contact: await getContactDetail(trx, contactId),
    message: mail.message,
  }));
}

/** Decline every document a request still waits for; nothing is mailed. */
export function rejectAccessRequest(ctx: ActorContext, input: { id: string }): Promise<AccessRequest> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const request = await findAccessRequest(trx, input.id);
    const waiting = waitingDocuments(request);
    await decideRequestDocuments(trx, input.id, { approve: [], reject: waiting, decidedBy: ctx.actor.userId });
    const decided = await findAccessRequest(trx, input.id);
    await auditAction(trx, ctx, {
      action: 'access_request.rejected',
      targetType: 'access_request',
      targetId: input.id,
      details: { email: decided.email, documentIds: waiting },
    });
    return decided;
  });
}

/** The workspace's access requests, newest first, one page at a time. */
export function readAccessRequests(
  ctx: ActorContext,
  query: { status?: AccessRequestStatus | undefined; limit: number; cursor?: string | undefined },
): Promise<AccessRequestList> {
  return withTenant(ctx.s.db, ctx.tenantId, (trx) => listAccessRequests(trx, query));
}
