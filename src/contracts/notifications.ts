import { z } from 'zod';

/** How a team member hears about new access requests: not at all, a mail per request, or a daily digest. */
export const AccessRequestNoticeSchema = z.enum(['off', 'instant', 'daily']);

export const NotificationSettingsSchema = z.object({
  /** Where the mails go: the signed-in user's own address. */
  email: z.string(),
  accessRequests: AccessRequestNoticeSchema,
});
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;

export const UpdateNotificationSettingsBody = z.strictObject({ accessRequests: AccessRequestNoticeSchema });

export const PendingRequestCountSchema = z.object({ pending: z.number().int().min(0) });
export type PendingRequestCount = z.infer<typeof PendingRequestCountSchema>;
