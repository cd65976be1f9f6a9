import {
  csrfMatches,
  endContactSession,
  magicLinkIsUsable,
  openMagicLink,
  requestSelfServiceLink,
  staleFormToken,
} from './contact-access.ts';
import { deliverMail } from './mailer.ts';
import { withVisit, type VisitorContext } from './public-access.ts';

/** Whether a sign-in link can still be used (read-only: the confirmation page does not spend it). */
export function checkSignInLink(ctx: VisitorContext, input: { token: string }): Promise<boolean> {
  return withVisit(ctx, (trx) => magicLinkIsUsable(trx, input.token));
}

/** Spend a sign-in link for a contact session; null when the link is used up or expired. */
export function signInWithLink(ctx: VisitorContext, input: { token: string }) {
  return withVisit(ctx, (trx, { tenant }) => openMagicLink(trx, { tenant, token: input.token, ip: ctx.clientIp }));
}

/**
 * A returning contact asks for a fresh link (`email` is null when the form was invalid or filled by a bot).
 * The mail is sent in the background after commit: waiting for SMTP would make the answer slower for
 * contacts than for strangers, and the answer must not tell them apart.
 */
export async function emailSignInLink(ctx: VisitorContext, input: { email: string | null }): Promise<void> {
  const { email } = input;
  const message = await withVisit(ctx, async (trx, { tenant }) =>
    email === null ? null : requestSelfServiceLink(trx, tenant, email, ctx.clientIp),
  );
  if (!message) return;
  const { s } = ctx;
  deliverMail(s.db, ctx.site.id, message, { smtpUrl: s.config.SMTP_URL, from: s.config.MAIL_FROM }, s.logger).catch(
    (err: unknown) => s.logger.error({ err, outboxId: message.id }, 'self-service sign-in link delivery failed'),
  );
}

/** End the contact's session; the form must carry the session's token, so another site cannot sign them out. */
export function signOutContact(ctx: VisitorContext, input: { csrf: string | undefined }): Promise<void> {
  return withVisit(ctx, async (trx, { viewer }) => {
    const token = ctx.sessionToken;
    if (!viewer.session || !token) return;
    if (!csrfMatches(viewer.session, input.csrf)) throw staleFormToken();
    await endContactSession(trx, token);
  });
}
