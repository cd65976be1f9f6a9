import crypto from 'node:crypto';
import { hashToken, newToken } from '../accounts/secrets.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import { PUBLIC_AUDIT_ACTIONS } from '../contracts/trust-center.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { enqueueMail, forgetUsedLink } from './mailer.ts';
import { contactEmail, findContactByEmail, hasActiveGrant } from './contacts.repo.ts';
import {
  deleteContactSession,
  findContactSession,
  insertContactSession,
  insertMagicLink,
  insertVisitorPass,
  magicLinkIsLive,
  magicLinkIssuedSince,
  passHolderHoldsGrant,
  useMagicLink,
} from './contact-access.repo.ts';
import { AppError } from '../platform/errors.ts';

/** Long enough for the email to be read after a weekend, short enough that a leaked mailbox ages out. */
export const MAGIC_LINK_TTL_MS = 7 * 24 * 3600_000;
export const CONTACT_SESSION_TTL_MS = 7 * 24 * 3600_000;
export const CONTACT_COOKIE = 'tc_contact';

export interface PublicTenant {
  id: string;
  slug: string;
  name: string;
  /** Where visitors reach this trust center (custom domain or slug URL under PUBLIC_URL), no trailing slash. */
  siteUrl: string;
}
export interface ContactIdentity {
  id: string;
  email: string;
  name: string;
  company: string;
}
export interface ContactSession {
  contact: ContactIdentity;
  csrfToken: string;
}

/** The public URL of a magic link: on the address visitors use, so the session cookie lands there. */
export function magicLinkUrl(tenant: PublicTenant, token: string): string {
  return `${tenant.siteUrl}/access/${token}`;
}

/**
 * Create a single-use sign-in link for a contact and queue the email carrying it. Only the token's hash
 * is stored in magic_links; the raw link lives in the outbox until it is sent or used.
 */
export async function issueMagicLink(trx: Tx, tenant: PublicTenant, contact: ContactIdentity) {
  const token = newToken('tcm');
  const expiresAt = new Date(Date.now() + MAGIC_LINK_TTL_MS);
  await insertMagicLink(trx, { tokenHash: hashToken(token), tenantId: tenant.id, contactId: contact.id, expiresAt });
  const link = magicLinkUrl(tenant, token);
  const greeting = contact.name ? `Hello ${contact.name},` : 'Hello,';
  const body = [
    greeting,
    '',
    `${tenant.name} has shared security and compliance documents with you. Open this link to view them:`,
    '',
    link,
    '',
    `The link works once and expires on ${expiresAt.toUTCString()}. If it has expired, ask for a new one on the trust center.`,
  ].join('\n');
  const message = await enqueueMail(trx, tenant.id, {
    to: contact.email,
    subject: `Your access to the ${tenant.name} trust center`,
    body,
    link,
  });
  return { message, expiresAt };
}

/**
 * Exchange a magic link for a contact session. The update is the single-use check: of two concurrent
 * redemptions only one sees `used_at is null`. The link is also removed from the outbox copy.
 */
export async function redeemMagicLink(trx: Tx, tenant: PublicTenant, token: string) {
  const contactId = await useMagicLink(trx, hashToken(token));
  if (!contactId) return null;
  await forgetUsedLink(trx, magicLinkUrl(tenant, token));
  const sessionToken = newToken('tcc');
  const csrfToken = newToken('csrf');
  const expiresAt = new Date(Date.now() + CONTACT_SESSION_TTL_MS);
  await insertContactSession(trx, {
    tokenHash: hashToken(sessionToken),
    tenantId: tenant.id,
    contactId,
    csrfToken,
    expiresAt,
  });
  return { contactId, sessionToken, expiresAt };
}

/** Whether an unused, unexpired link exists (read-only, for the confirmation page). */
export async function magicLinkIsUsable(trx: Tx, token: string): Promise<boolean> {
  return magicLinkIsLive(trx, hashToken(token));
}

/** The contact behind a session cookie in this tenant, if the session is live. */
export async function resolveContactSession(trx: Tx, token: string): Promise<ContactSession | undefined> {
  const row = await findContactSession(trx, hashToken(token));
  if (!row) return undefined;
  return {
    contact: {
      id: row.id,
      email: row.email,
      name: row.name,
      company: row.company,
    },
    csrfToken: row.csrf_token,
  };
}

export async function endContactSession(trx: Tx, token: string): Promise<void> {
  await deleteContactSession(trx, hashToken(token));
}

/** Constant-time comparison of a submitted form token with the session's. */
export function csrfMatches(session: ContactSession, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  // Compare bytes, not characters: non-ASCII input of the same length in characters is longer in bytes.
  const given = Buffer.from(submitted);
  const expected = Buffer.from(session.csrfToken);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** The refusal of a contact's form whose session token is missing or stale (a form from another site). */
export function staleFormToken(): AppError {
  return new AppError({
    code: 'csrf_failed',
    message: 'Your session token is missing or stale. Go back, reload the page and try again.',
  });
}

/** At most one self-service link per contact in this window, so the form cannot be used to flood a mailbox. */
export const SELF_SERVICE_LINK_INTERVAL_MS = 5 * 60_000;

/**
 * A contact asks for a fresh link from the public site. Only contacts that still hold an active grant get
 * one, and the caller answers the same way whatever happens, so the form reveals nothing about who is a
 * contact. Returns the queued message to deliver after commit, or null.
 */
export async function requestSelfServiceLink(trx: Tx, tenant: PublicTenant, email: string, ip: string) {
  const contact = await findContactByEmail(trx, email.trim());
  if (!contact) return null;
  const active = await hasActiveGrant(trx, contact.id);
  const recent = await magicLinkIssuedSince(trx, contact.id, new Date(Date.now() - SELF_SERVICE_LINK_INTERVAL_MS));
  if (!active || recent) return null;
  const issued = await issueMagicLink(trx, tenant, contact);
  await recordAudit(trx, {
    tenantId: tenant.id,
    actor: { type: 'contact', id: contact.id, label: contact.email },
    action: PUBLIC_AUDIT_ACTIONS.linkRequest,
    targetType: 'contact',
    targetId: contact.id,
    ip,
  });
  return issued.message;
}

/**
 * Redeem a magic link and record that the contact opened it; null when the link is used up or expired. The
 * browser's visitor pass is tied to the contact, so once signed out it is offered "sign in to view".
 */
export async function openMagicLink(
  trx: Tx,
  input: { tenant: PublicTenant; token: string; ip: string; passToken: string | undefined },
) {
  const redeemed = await redeemMagicLink(trx, input.tenant, input.token);
  if (!redeemed) return null;
  await recordAudit(trx, {
    tenantId: input.tenant.id,
    actor: { type: 'contact', id: redeemed.contactId, label: await contactEmail(trx, redeemed.contactId) },
    action: PUBLIC_AUDIT_ACTIONS.magicLinkOpen,
    targetType: 'contact',
    targetId: redeemed.contactId,
    ip: input.ip,
  });
  const passToken = await recordVisitorPass(trx, {
    tenantId: input.tenant.id,
    token: input.passToken,
    contactId: redeemed.contactId,
  });
  return { ...redeemed, passToken };
}

/** Name of the cookie holding a browser's visitor pass (see migration 070). */
export const VISITOR_PASS_COOKIE = 'tc_pass';
/** A pass outlives sessions on purpose: it only decides which form a returning visitor is offered. */
export const VISITOR_PASS_TTL_MS = 365 * 24 * 3600_000;

/**
 * Tie this browser's pass to a contact or to a request it sent; returns the pass token to set as the cookie
 * (the one the browser already holds, or a new one).
 */
export async function recordVisitorPass(
  trx: Tx,
  input: { tenantId: string; token: string | undefined; contactId?: string; accessRequestId?: string },
): Promise<string> {
  const token = input.token && /^tcp_[A-Za-z0-9_-]{43}$/.test(input.token) ? input.token : newToken('tcp');
  await insertVisitorPass(trx, { ...input, tokenHash: hashToken(token) });
  return token;
}

/** True when this browser belongs to a contact who may open the document after signing in. */
export function passHolderMayOpen(trx: Tx, token: string | undefined, documentId: string): Promise<boolean> {
  return token ? passHolderHoldsGrant(trx, hashToken(token), documentId) : Promise.resolve(false);
}
