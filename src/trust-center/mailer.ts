import { createTransport } from 'nodemailer';
import type { OutboxMessage } from '../contracts/trust-center.ts';
import type { Db, Tx } from '../platform/db/tenant-scope.ts';
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
type OutboxRow = {
  id: string;
  to_email: string;
  subject: string;
  body: string;
  link: string | null;
  sent_at: Date | null;
  error: string | null;
  created_at: Date;
};

/** The API shape of an outbox row. */
export function toOutboxMessage(r: OutboxRow): OutboxMessage {
  return {
    id: r.id,
    toEmail: r.to_email,
    subject: r.subject,
    body: r.body,
    link: r.link,
    sentAt: r.sent_at?.toISOString() ?? null,
    error: r.error,
    createdAt: r.created_at.toISOString(),
  };
}

/** Queue a message in the tenant's outbox, inside the caller's transaction (it commits with the change). */
export async function enqueueMail(trx: Tx, tenantId: string, mail: OutgoingMail): Promise<OutboxRow> {
  return trx
    .insertInto('outbox')
    .values({
      tenant_id: tenantId,
      to_email: mail.to,
      subject: mail.subject,
      body: mail.body,
      link: mail.link,
    })
    .returning(['id', 'to_email', 'subject', 'body', 'link', 'sent_at', 'error', 'created_at'])
    .executeTakeFirstOrThrow();
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
  return withTenant(db, tenantId, (trx) =>
    trx
      .updateTable('outbox')
      .set(update)
      .where('id', '=', row.id)
      .returning(['id', 'to_email', 'subject', 'body', 'link', 'sent_at', 'error', 'created_at'])
      .executeTakeFirstOrThrow(),
  );
}

/** The outbox, newest first. */
export async function listOutbox(
  trx: Tx,
  page: { limit: number; offset: number },
): Promise<{ items: OutboxMessage[]; total: number }> {
  const [rows, count] = await Promise.all([
    trx
      .selectFrom('outbox')
      .select(['id', 'to_email', 'subject', 'body', 'link', 'sent_at', 'error', 'created_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    trx
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toOutboxMessage), total: Number(count.n) };
}

/** Mail the trust center queued or sent, newest first (magic links wait here when no SMTP is configured). */
export function readOutbox(ctx: ActorContext, page: { limit: number; offset: number }) {
  return withTenant(ctx.s.db, ctx.tenantId, (trx) => listOutbox(trx, page));
}
