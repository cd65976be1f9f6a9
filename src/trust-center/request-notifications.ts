import { z } from 'zod';
import type { NotificationSettings, PendingRequestCount } from '../contracts/notifications.ts';
import { auditAction } from '../audit/audit-actor.ts';
import { findTenantById } from '../accounts/tenants.repo.ts';
import type { AppServices } from '../platform/app-services.ts';
import type { AccessRequestNotice } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import { defineJob } from '../platform/jobs/queue.ts';
import { listAccessRequests } from './access-requests.repo.ts';
import { deliverMail, enqueueMail } from './mailer.ts';
import {
  countPendingRequests,
  insertRequestNotice,
  noticeRecipients,
  readAccessRequestNotice,
  takeRequestNotices,
  tenantsWithNotice,
  tenantsWithNotices,
  writeAccessRequestNotice,
} from './request-notices.repo.ts';

/** How often the worker announces new requests: mails go out within a minute of the request. */
const NOTICE_CRON = '* * * * *';
/** The daily digest, early in the European morning and before the American one. */
const DIGEST_CRON = '0 7 * * *';
/** Requests one digest lists; the rest are counted and one click away. */
const DIGEST_MAX_ITEMS = 50;

/**
 * Note that a new access request should be announced, in the transaction that files it: the announcement
 * exists exactly when the request does. The worker sends the mails (see requestNoticesJob).
 */
export function announceAccessRequest(trx: Tx, tenantId: string, requestId: string): Promise<void> {
  return insertRequestNotice(trx, tenantId, requestId);
}

/** The signed-in user's notification choices. */
export async function readNotificationSettings(ctx: ActorContext): Promise<NotificationSettings> {
  const accessRequests = await withTenant(ctx.s.db, ctx.tenantId, (trx) =>
    readAccessRequestNotice(trx, ctx.actor.userId),
  );
  return { email: ctx.actor.email, accessRequests };
}

/** Change the signed-in user's notification choices (their own only), audited. */
export async function updateNotificationSettings(
  ctx: ActorContext,
  input: { accessRequests: AccessRequestNotice },
): Promise<NotificationSettings> {
  await withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    await writeAccessRequestNotice(trx, ctx.tenantId, ctx.actor.userId, input.accessRequests);
    await auditAction(trx, ctx, {
      action: 'notifications.changed',
      targetType: 'user',
      targetId: ctx.actor.userId,
      details: { accessRequests: input.accessRequests },
    });
  });
  return readNotificationSettings(ctx);
}

/** How many access requests wait for a decision (the count in the admin menu). */
export async function readPendingRequestCount(ctx: ActorContext): Promise<PendingRequestCount> {
  return { pending: await withTenant(ctx.s.db, ctx.tenantId, countPendingRequests) };
}

type Services = Pick<AppServices, 'db' | 'config' | 'logger'>;

const requestsPageUrl = (s: Services) => `${s.config.publicUrl}/admin/access-requests`;
const who = (r: { name: string; email: string; company: string }) =>
  `${r.name} <${r.email}>${r.company ? `, ${r.company}` : ''}`;

/**
 * Queue mails in one tenant's transaction and deliver them once it committed. Delivery failures stay on
 * their outbox row (see deliverMail); one recipient's failure does not hold back the others.
 */
async function mailTenant(
  s: Services,
  tenantId: string,
  compose: (trx: Tx, tenantName: string) => Promise<{ to: string; subject: string; body: string }[]>,
): Promise<number> {
  const tenant = await findTenantById(s.db, tenantId);
  if (!tenant) return 0;
  const queued = await withTenant(s.db, tenantId, async (trx) => {
    const mails = await compose(trx, tenant.name);
    return Promise.all(mails.map((m) => enqueueMail(trx, tenantId, { ...m, link: null })));
  });
  const settings = { smtpUrl: s.config.SMTP_URL, from: s.config.MAIL_FROM };
  for (const row of queued) await deliverMail(s.db, tenantId, row, settings, s.logger);
  return queued.length;
}

/** Mail every "instant" user of one tenant about its requests not yet announced. */
async function announceTenantRequests(s: Services, tenantId: string): Promise<number> {
  return mailTenant(s, tenantId, async (trx, tenantName) => {
    const requests = await takeRequestNotices(trx);
    if (requests.length === 0) return [];
    const recipients = await noticeRecipients(trx, 'instant');
    return requests.flatMap((r) =>
      recipients.map((to) => ({
        to,
        subject: `Access request: ${r.title}`,
        body: [
          `${who(r)} asked for access to "${r.title}" on the ${tenantName} trust center.`,
          ...(r.reason ? ['', `Reason: ${r.reason}`] : []),
          '',
          `Approve or reject it here: ${requestsPageUrl(s)}`,
          '',
          'You get this mail because you chose "Email me when someone requests access" in your notification settings.',
        ].join('\n'),
      })),
    );
  });
}

/** One digest mail per "daily" user of one tenant listing the requests still waiting; none when none wait. */
async function sendTenantDigest(s: Services, tenantId: string): Promise<number> {
  return mailTenant(s, tenantId, async (trx, tenantName) => {
    const total = await countPendingRequests(trx);
    if (total === 0) return [];
    const pending = await listAccessRequests(trx, { status: 'pending', limit: DIGEST_MAX_ITEMS });
    const lines = pending.items.map(
      (r) => `- ${r.documents.map((d) => d.title).join(', ')}: ${who(r)}, asked ${r.createdAt.slice(0, 10)}`,
    );
    const more = total - pending.items.length;
    const recipients = await noticeRecipients(trx, 'daily');
    return recipients.map((to) => ({
      to,
      subject: `${total} access request${total === 1 ? '' : 's'} waiting on the ${tenantName} trust center`,
      body: [
        `These access requests are waiting for a decision:`,
        '',
        ...lines,
        ...(more > 0 ? [`- and ${more} more`] : []),
        '',
        `Approve or reject them here: ${requestsPageUrl(s)}`,
        '',
        'You get this daily summary because you chose it in your notification settings.',
      ].join('\n'),
    }));
  });
}

/**
 * Every minute: announce new requests, tenant by tenant. Requests whose tenant has no "instant" user are
 * taken too (nobody is waiting for them). Reads the tenants with work across tenants, as the owner.
 */
export const requestNoticesJob = defineJob<Record<string, never>, AppServices>({
  id: 'trust-center.request-notices',
  payload: z.object({}).strict() as z.ZodType<Record<string, never>>,
  queue: { policy: 'singleton', retryLimit: 0 },
  async handle(_p, s) {
    for (const tenantId of await tenantsWithNotices(s.db)) {
      try {
        await announceTenantRequests(s, tenantId);
      } catch (err) {
        s.logger.warn({ err, tenantId }, 'could not announce access requests');
      }
    }
  },
});

/** Once a day: the digest for users who chose it. */
export const requestDigestJob = defineJob<Record<string, never>, AppServices>({
  id: 'trust-center.request-digest',
  payload: z.object({}).strict() as z.ZodType<Record<string, never>>,
  queue: { policy: 'singleton', retryLimit: 0 },
  async handle(_p, s) {
    for (const tenantId of await tenantsWithNotice(s.db, 'daily')) {
      try {
        await sendTenantDigest(s, tenantId);
      } catch (err) {
        s.logger.warn({ err, tenantId }, 'could not send the access request digest');
      }
    }
  },
});

/** The jobs of access-request notifications and when the worker runs them. */
export const requestNotificationSchedules = [
  { job: requestNoticesJob, cron: NOTICE_CRON },
  { job: requestDigestJob, cron: DIGEST_CRON },
];
