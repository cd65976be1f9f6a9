import crypto from 'node:crypto';
import { sql } from 'kysely';
import { hashToken, newToken } from '../accounts/secrets.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import { PUBLIC_AUDIT_ACTIONS } from '../contracts/trust-center.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { AppError } from '../platform/errors.ts';
import { enqueueMail } from './mailer.ts';
import { contactEmail } from './contacts.repo.ts';

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
  await trx
    .insertInto('magic_links')
    .values({
      token_hash: hashToken(token),
      tenant_id: tenant.id,
      contact_id: contact.id,
      expires_at: expiresAt,
    })
    .execute();
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
  const used = await trx
    .updateTable('magic_links')
    .set({ used_at: new Date() })
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('contact_id')
    .executeTakeFirst();
  if (!used) return null;
  const link = magicLinkUrl(tenant, token);
  const outboxRows = await trx.selectFrom('outbox').select(['id', 'body']).where('link', '=', link).execute();
  for (const row of outboxRows) {
    await trx
      .updateTable('outbox')
      .set({ link: null, body: row.body.replace(link, '[link used]') })
      .where('id', '=', row.id)
      .execute();
  }
  const sessionToken = newToken('tcc');
  const csrfToken = newToken('csrf');
  const expiresAt = new Date(Date.now() + CONTACT_SESSION_TTL_MS);
  await trx
    .insertInto('contact_sessions')
    .values({
      token_hash: hashToken(sessionToken),
      tenant_id: tenant.id,
      contact_id: used.contact_id,
      csrf_token: csrfToken,
      expires_at: expiresAt,
    })
    .execute();
  return { contactId: used.contact_id, sessionToken, expiresAt };
}

/** Whether an unused, unexpired link exists (read-only, for the confirmation page). */
export async function magicLinkIsUsable(trx: Tx, token: string): Promise<boolean> {
  const row = await trx
    .selectFrom('magic_links')
    .select('token_hash')
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return row !== undefined;
}

/** The contact behind a session cookie in this tenant, if the session is live. */
export async function resolveContactSession(trx: Tx, token: string): Promise<ContactSession | undefined> {
  const row = await trx
    .selectFrom('contact_sessions as s')
    .innerJoin('contacts as c', 'c.id', 's.contact_id')
    .select(['c.id', 'c.email', 'c.name', 'c.company', 's.csrf_token'])
    .where('s.token_hash', '=', hashToken(token))
    .where('s.expires_at', '>', new Date())
    .executeTakeFirst();
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
  await trx.deleteFrom('contact_sessions').where('token_hash', '=', hashToken(token)).execute();
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
  const contact = await trx
    .selectFrom('contacts')
    .select(['id', 'email', 'name', 'company'])
    .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
  if (!contact) return null;
  const now = new Date();
  const active = await trx
    .selectFrom('contact_grants')
    .select('id')
    .where('contact_id', '=', contact.id)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirst();
  const recent = await trx
    .selectFrom('magic_links')
    .select('token_hash')
    .where('contact_id', '=', contact.id)
    .where('created_at', '>', new Date(now.getTime() - SELF_SERVICE_LINK_INTERVAL_MS))
    .executeTakeFirst();
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

/** Redeem a magic link and record that the contact opened it; null when the link is used up or expired. */
export async function openMagicLink(trx: Tx, input: { tenant: PublicTenant; token: string; ip: string }) {
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
  return redeemed;
}
