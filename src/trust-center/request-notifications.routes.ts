import {
  NotificationSettingsSchema,
  PendingRequestCountSchema,
  UpdateNotificationSettingsBody,
} from '../contracts/notifications.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import {
  readNotificationSettings,
  readPendingRequestCount,
  updateNotificationSettings,
} from './request-notifications.ts';

/** The pending-request count of the admin menu and each user's own notification choices. */
export function registerRequestNotificationRoutes(api: ApiRouter): void {
  api.route(
    {
      method: 'get',
      path: '/api/access-requests/pending-count',
      tag: 'access requests',
      summary: 'How many access requests wait for a decision',
      access: 'content_manager',
      response: PendingRequestCountSchema,
    },
    async (c, { ctx }) => c.json(await readPendingRequestCount(ctx)),
  );

  api.route(
    {
      method: 'get',
      path: '/api/notification-settings',
      tag: 'notifications',
      summary: "The signed-in user's notification choices",
      access: 'content_manager',
      response: NotificationSettingsSchema,
    },
    async (c, { ctx }) => c.json(await readNotificationSettings(ctx)),
  );

  api.route(
    {
      method: 'put',
      path: '/api/notification-settings',
      tag: 'notifications',
      summary: 'Choose how the signed-in user hears about new access requests (off, each one, daily digest)',
      access: 'content_manager',
      body: UpdateNotificationSettingsBody,
      response: NotificationSettingsSchema,
    },
    async (c, { ctx, body }) => c.json(await updateNotificationSettings(ctx, body)),
  );
}
