import { createTransport } from 'nodemailer';
import type { OutboxList, OutboxMessage } from '../contracts/trust-center.ts';
import type { Db, Tx } from '../platform/db/tenant-scope.ts';
import {
  insertOutboxMessage,
  listOutboxRows,
  scrubOutboxLink,
  updateOutboxMessage,
  type OutboxRow,
} from './outbox.repo.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { Logger } from '../platform/logger.ts';
import type { ActorContext } from '../platform/http/request-context.ts';

export interface MailSettings {
  smtpUrl: string | undefined;
  from: string;
}
export interface OutgoingMail {
  to: string;
  subject: string;
  body: string;
  link: string | null;
}
/**
 * An outbox row for the API. A sign-in link is a credential for the contact: only admins may see it (to
 * pass it on when no mail server is configured); for anyone else it is removed from the link and the body,
 * so no staff member below admin can sign in as a contact.
 */
export function toOutboxMessage(r: OutboxRow, opts: { revealLink: boolean }): OutboxMessage {
  const hidden = r.link !== null && !opts.revealLink;
  return {
    id: r.id,
    toEmail: r.to_email,
    subject: r.subject,
    body: hidden ? r.body.replaceAll(r.link!, '[sign-in link: sent by email, or in the outbox for an admin]') : r.body,
    link: hidden ? null : r.link,
    sentAt: r.sent_at?.toISOString() ?? null,
    error: r.error,
    createdAt: r.created_at.toISOString(),
  };
}

/** Queue a message in the tenant's outbox, inside the caller's transaction (it commits with the change). */
export function enqueueMail(trx: Tx, tenantId: string, mail: OutgoingMail): Promise<OutboxRow> {
  return insertOutboxMessage(trx, tenantId, mail);
}

/** A used sign-in link is no longer a credential worth keeping: remove it from the outbox copy too. */
export function forgetUsedLink(trx: Tx, link: string): Promise<void> {
  return scrubOutboxLink(trx, link, '[link used]');
}

/**
 * Deliver a queued message by SMTP when configured, after its transaction committed. Without SMTP it stays in
 * the outbox for an admin to copy. Once delivered the link is removed from the row: a magic link is a
 * credential and should live only in the recipient's mailbox.
 */
export async function deliverMail(
  db: Db,
  tenantId: string,
  row: OutboxRow,
  settings: MailSettings,
  logger: Logger,
): Promise<OutboxRow> {
  if (!settings.smtpUrl) return row;
  let update: { sent_at: Date; link: null; body: string } | { error: string };
  try {
    await createTransport(settings.smtpUrl).sendMail({
      from: settings.from,
      to: row.to_email,
      subject: row.subject,
      text: row.body,
    });
    update = {
      sent_at: new Date(),
      link: null,
      body: row.link ? row.body.replace(row.link, '[link sent by email]') : row.body,
    };
  } catch (err) {
    logger.warn(
      {
        err: err instanceof Error ? err.message : String(err),
        outboxId: row.id,
      },
      'mail delivery failed; kept in outbox',
    );
    update = {
      error: err instanceof Error ? err.message.slice(0, 500) : 'delivery failed',
    };
  }
  return withTenant(db, tenantId, (trx) => updateOutboxMessage(trx, row.id, update));
}

/** Mail the trust center queued or sent, newest first (magic links wait here when no SMTP is configured). */
export async function readOutbox(
  ctx: ActorContext,
  page: { limit: number; cursor?: string | undefined },
): Promise<OutboxList> {
  const { rows, nextCursor } = await withTenant(ctx.s.db, ctx.tenantId, (trx) => listOutboxRows(trx, page));
  // The outbox is admin-only (see its route), so links are shown there.
  return { items: rows.map((r) => toOutboxMessage(r, { revealLink: true })), nextCursor };
}
