import { randomUUID } from 'node:crypto';
import type {
  DataSourceContentUpdatedWebhookPayload,
  PageContentUpdatedWebhookPayload,
  PageDeletedWebhookPayload,
  PageLockedWebhookPayload,
  PagePropertiesUpdatedWebhookPayload,
  PageUndeletedWebhookPayload,
  PageUnlockedWebhookPayload,
} from '@notionhq/client';
import type { PageChange } from './store.ts';
import type { WorkspaceSpec } from './workspace-spec.ts';

/** The Notion webhook events the fake sends, typed by Notion's own SDK so a drift fails typecheck. */
export type NotionWebhookEvent =
  | PagePropertiesUpdatedWebhookPayload
  | PageContentUpdatedWebhookPayload
  | PageDeletedWebhookPayload
  | PageUndeletedWebhookPayload
  | PageLockedWebhookPayload
  | PageUnlockedWebhookPayload
  | DataSourceContentUpdatedWebhookPayload;

/** One subscription of the integration: ids stay fixed for the fake's lifetime, as in Notion. */
export interface Subscription {
  subscriptionId: string;
  integrationId: string;
  apiVersion: NotionWebhookEvent['api_version'];
}

export function newSubscription(): Subscription {
  return { subscriptionId: randomUUID(), integrationId: randomUUID(), apiVersion: '2025-09-03' };
}

/**
 * Wraps a change in Notion's event envelope (developers.notion.com/reference/webhooks-events-delivery):
 * a fresh event id, the workspace, the subscription, the author (the workspace owner, a person) and
 * `accessible_by` (sent to public integrations such as Nango's), first attempt.
 */
export function webhookEvent(
  change: PageChange,
  workspace: WorkspaceSpec,
  subscription: Subscription,
  timestamp: string,
): NotionWebhookEvent {
  const person = { id: workspace.ownerUserId, type: 'person' as const };
  const envelope = {
    id: randomUUID(),
    timestamp,
    workspace_id: workspace.workspaceId,
    workspace_name: workspace.workspaceName,
    subscription_id: subscription.subscriptionId,
    integration_id: subscription.integrationId,
    authors: [person],
    accessible_by: [person, { id: workspace.botId, type: 'bot' as const }],
    attempt_number: 1,
    api_version: subscription.apiVersion,
  };
  switch (change.type) {
    case 'page.properties_updated':
      return {
        ...envelope,
        type: change.type,
        entity: { id: change.pageId, type: 'page' },
        data: { parent: change.parent, updated_properties: change.updatedProperties },
      };
    case 'page.content_updated':
      return {
        ...envelope,
        type: change.type,
        entity: { id: change.pageId, type: 'page' },
        data: { parent: change.parent, updated_blocks: change.updatedBlocks.map((id) => ({ id, type: 'block' })) },
      };
    case 'data_source.content_updated':
      return {
        ...envelope,
        type: change.type,
        entity: { id: change.dataSourceId, type: 'data_source' },
        data: { parent: change.parent, updated_blocks: change.updatedPages.map((id) => ({ id, type: 'page' })) },
      };
    default:
      return {
        ...envelope,
        type: change.type,
        entity: { id: change.pageId, type: 'page' },
        data: { parent: change.parent },
      };
  }
}
