import type { AppServices } from '../platform/app-services.ts';
import type { Actor, ActorContext } from '../platform/http/request-context.ts';
import { findTenantById } from '../accounts/tenants.repo.ts';
import { recordAudit, type AuditActor } from '../audit/audit.repo.ts';
import type { ContactDetail, CreateContact, GrantDocuments, MagicLink } from '../contracts/trust-center.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { auditActor } from '../audit/audit-actor.ts';
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
export async function createContact(
  s: Services,
  actor: Actor,
  input: CreateContact,
  ip: string,
): Promise<ContactDetail> {
  return withTenant(s.db, actor.tenantId, async (trx) => {
    if (await findContactByEmail(trx, input.email))
      throw appError('contact_exists', 'A contact with this email already exists.');
    const { contact } = await upsertContact(trx, actor.tenantId, input);
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: 'contact.created',
      targetType: 'contact',
      targetId: contact.id,
      details: { email: contact.email },
      ip,
    });
    return getContactDetail(trx, contact.id);
  });
}

export async function editContact(
  s: Services,
  actor: Actor,
  id: string,
  input: { name?: string | undefined; company?: string | undefined },
): Promise<ContactDetail> {
  return withTenant(s.db, actor.tenantId, async (trx) => {
    await updateContact(trx, id, input);
    return getContactDetail(trx, id);
  });
}

/** Delete a contact with its grants, sessions and links (acceptances go too; the audit log keeps the history). */
export async function removeContact(s: Services, actor: Actor, id: string, ip: string): Promise<void> {
  await withTenant(s.db, actor.tenantId, async (trx) => {
    const row = await deleteContact(trx, id);
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: 'contact.deleted',
      targetType: 'contact',
      targetId: id,
      details: { email: row.email },
      ip,
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
  s: Services,
  actor: Actor,
  contactId: string,
  input: GrantDocuments,
  ip: string,
): Promise<ContactDetail> {
  return withTenant(s.db, actor.tenantId, async (trx) => {
    await getContactDetail(trx, contactId);
    await grantInTx(trx, granterOf(actor, ip), contactId, input);
    return getContactDetail(trx, contactId);
  });
}

export async function revokeFromContact(
  s: Services,
  actor: Actor,
  contactId: string,
  grantId: string,
  ip: string,
): Promise<ContactDetail> {
  return withTenant(s.db, actor.tenantId, async (trx) => {
    const grant = await revokeGrant(trx, contactId, grantId);
    await recordAudit(trx, {
      tenantId: actor.tenantId,
      actor: auditActor(actor),
      action: 'contact.grant_revoked',
      targetType: 'contact',
      targetId: contactId,
      details: { grantId, documentId: grant.document_id },
      ip,
    });
    return getContactDetail(trx, contactId);
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

export async function sendMagicLink(s: Services, actor: Actor, contactId: string, ip: string): Promise<MagicLink> {
  const tenant = await publicTenant(s, actor.tenantId);
  const by = granterOf(actor, ip);
  const issued = await withTenant(s.db, actor.tenantId, async (trx) => {
    const contact = await getContactDetail(trx, contactId);
    return magicLinkInTx(trx, by, tenant, contact);
  });
  return deliverMagicLink(s, by, issued);
}

/** The workspace's contacts, filtered, with the page it asked for. */
export async function listWorkspaceContacts(
  ctx: ActorContext,
  query: { q?: string | undefined; limit: number; offset: number },
) {
  const page = await withTenant(ctx.s.db, ctx.tenantId, (trx) => listContacts(trx, query));
  return { ...page, limit: query.limit, offset: query.offset };
}

/** One contact with its grants and NDA acceptances. */
export function getContact(ctx: ActorContext, input: { id: string }): Promise<ContactDetail> {
  return withTenant(ctx.s.db, ctx.tenantId, (trx) => getContactDetail(trx, input.id));
}
