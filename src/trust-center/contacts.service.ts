import type { AppServices } from '../platform/app-services.ts';
import type { Actor, ActorContext } from '../platform/http/request-context.ts';
import { findTenantById } from '../accounts/tenants.repo.ts';
import { recordAudit, type AuditActor } from '../audit/audit.repo.ts';
import type { ContactDetail, CreateContact, GrantDocuments, MagicLink } from '../contracts/trust-center.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { auditAction, auditActor } from '../audit/audit-actor.ts';
import { AppError, appError, notFound } from '../platform/errors.ts';
import { issueMagicLink, type ContactIdentity, type PublicTenant } from './contact-access.ts';
import {
  deleteContact,
  documentIdsAtLevel,
  findContactByEmail,
  getContactDetail,
  grantDocuments,
  listContacts,
  revokeGrant,
  updateContact,
  upsertContact,
} from './contacts.repo.ts';
import { deliverMail, toOutboxMessage } from './mailer.ts';
import { findCustomDomain } from './trust-profile.repo.ts';
import { siteUrl } from './trust-profile.service.ts';

type Services = Pick<AppServices, 'db' | 'config' | 'logger'>;

/** The tenant as the public site and emails name it. */
export async function publicTenant(s: Services, tenantId: string): Promise<PublicTenant> {
  const tenant = await findTenantById(s.db, tenantId);
  if (!tenant) throw notFound('Tenant');
  const domain = await findCustomDomain(s.db, tenant.id);
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    siteUrl: siteUrl(s.config.publicUrl, tenant.slug, domain),
  };
}

/** Add a contact; an email already on file is a 409 so the admin sees the existing contact is reused. */
export async function createContact(ctx: ActorContext, input: CreateContact): Promise<ContactDetail> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    if (await findContactByEmail(trx, input.email))
      throw appError('contact_exists', 'A contact with this email already exists.');
    const { contact } = await upsertContact(trx, ctx.tenantId, input);
    await auditAction(trx, ctx, {
      action: 'contact.created',
      targetType: 'contact',
      targetId: contact.id,
      details: { email: contact.email },
    });
    return getContactDetail(trx, contact.id);
  });
}

export async function editContact(
  ctx: ActorContext,
  input: { id: string; name?: string | undefined; company?: string | undefined },
): Promise<ContactDetail> {
  const { id, ...fields } = input;
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    await updateContact(trx, id, fields);
    return getContactDetail(trx, id);
  });
}

/** Delete a contact with its grants, sessions and links (acceptances go too; the audit log keeps the history). */
export async function removeContact(ctx: ActorContext, input: { id: string }): Promise<void> {
  await withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const row = await deleteContact(trx, input.id);
    await auditAction(trx, ctx, {
      action: 'contact.deleted',
      targetType: 'contact',
      targetId: input.id,
      details: { email: row.email },
    });
  });
}

/**
 * Who grants documents or sends a link: a signed-in user, or the system applying an auto-approve rule to a
 * visitor's request (then no user is named and the audit log says so).
 */
export interface Granter {
  tenantId: string;
  userId: string | null;
  audit: AuditActor;
  ip: string;
  /** Whether answers may show a sign-in link (admins only: a link is a credential for the contact). */
  revealLinks: boolean;
}
export const granterOf = (actor: Actor, ip: string): Granter => ({
  tenantId: actor.tenantId,
  userId: actor.userId,
  audit: auditActor(actor),
  ip,
  revealLinks: actor.role === 'admin',
});

/** Grant inside an open tenant transaction (shared by the grant endpoint and request approval). */
export async function grantInTx(trx: Tx, by: Granter, contactId: string, input: GrantDocuments): Promise<string[]> {
  const requested = input.documentIds ?? (input.accessLevel ? await documentIdsAtLevel(trx, input.accessLevel) : []);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= new Date())
    throw appError('invalid_body', 'expiresAt: the expiry must be in the future.');
  const granted = await grantDocuments(trx, by.tenantId, {
    contactId,
    documentIds: requested,
    expiresAt,
    grantedBy: by.userId,
  });
  if (input.documentIds) {
    const refused = input.documentIds.filter((id) => !granted.includes(id));
    if (refused.length > 0) {
      throw new AppError({
        code: 'not_grantable',
        message: 'Only documents shared with contacts (with or without NDA) can be granted.',
        details: { documentIds: refused },
      });
    }
  }
  if (granted.length > 0) {
    await recordAudit(trx, {
      tenantId: by.tenantId,
      actor: by.audit,
      action: 'contact.granted',
      targetType: 'contact',
      targetId: contactId,
      details: {
        documentIds: granted,
        expiresAt: input.expiresAt ?? null,
        accessLevel: input.accessLevel ?? null,
      },
      ip: by.ip,
    });
  }
  return granted;
}

export async function grantToContact(
  ctx: ActorContext,
  input: GrantDocuments & { contactId: string },
): Promise<ContactDetail> {
  const { contactId, ...grant } = input;
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    await getContactDetail(trx, contactId);
    await grantInTx(trx, granterOf(ctx.actor, ctx.clientIp), contactId, grant);
    return getContactDetail(trx, contactId);
  });
}

export async function revokeFromContact(
  ctx: ActorContext,
  input: { contactId: string; grantId: string },
): Promise<ContactDetail> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const grant = await revokeGrant(trx, input.contactId, input.grantId);
    await auditAction(trx, ctx, {
      action: 'contact.grant_revoked',
      targetType: 'contact',
      targetId: input.contactId,
      details: { grantId: input.grantId, documentId: grant.document_id },
    });
    return getContactDetail(trx, input.contactId);
  });
}

/** Issue a magic link in an open transaction; deliver it with `deliverMagicLink` after commit. */
export async function magicLinkInTx(trx: Tx, by: Granter, tenant: PublicTenant, contact: ContactIdentity) {
  const issued = await issueMagicLink(trx, tenant, contact);
  await recordAudit(trx, {
    tenantId: tenant.id,
    actor: by.audit,
    action: 'contact.magic_link_sent',
    targetType: 'contact',
    targetId: contact.id,
    details: { outboxId: issued.message.id },
    ip: by.ip,
  });
  return issued;
}

/**
 * Send (or leave in the outbox) a magic link issued by `magicLinkInTx`. The answer shows the link itself
 * only to an admin: a content manager may send links, but must not be able to use one.
 */
export async function deliverMagicLink(
  s: Services,
  by: Granter,
  issued: Awaited<ReturnType<typeof magicLinkInTx>>,
): Promise<MagicLink> {
  const row = await deliverMail(
    s.db,
    by.tenantId,
    issued.message,
    { smtpUrl: s.config.SMTP_URL, from: s.config.MAIL_FROM },
    s.logger,
  );
  return {
    message: toOutboxMessage(row, { revealLink: by.revealLinks }),
    expiresAt: issued.expiresAt.toISOString(),
  };
}

export async function sendMagicLink(ctx: ActorContext, input: { contactId: string }): Promise<MagicLink> {
  const tenant = await publicTenant(ctx.s, ctx.tenantId);
  const by = granterOf(ctx.actor, ctx.clientIp);
  const issued = await withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const contact = await getContactDetail(trx, input.contactId);
    return magicLinkInTx(trx, by, tenant, contact);
  });
  return deliverMagicLink(ctx.s, by, issued);
}

/** One page of the workspace's contacts, filtered. */
export function listWorkspaceContacts(
  ctx: ActorContext,
  query: { q?: string | undefined; cursor?: string | undefined; limit: number },
) {
  return withTenant(ctx.s.db, ctx.tenantId, (trx) => listContacts(trx, query));
}

/** One contact with its grants and NDA acceptances. */
export function getContact(ctx: ActorContext, input: { id: string }): Promise<ContactDetail> {
  return withTenant(ctx.s.db, ctx.tenantId, (trx) => getContactDetail(trx, input.id));
}
