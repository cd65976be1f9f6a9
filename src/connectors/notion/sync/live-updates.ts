import { z } from 'zod';
import type { AppServices } from '../../../platform/app-services.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
import { markLiveUpdatesSeen } from '../../../integrations/connections.repo.ts';
import { refreshPageJob, REFRESH_PAGE_DELAY_SECONDS } from './refresh-page.job.ts';
import { connectionWithLinkedPages } from './linked-documents.repo.ts';

/**
 * A Notion webhook event as Nango forwards it (`payload` of `{type:"forward", from:"notion"}`). Only what
 * routing needs is read; the event carries no content anyway (Notion's events are signals, see
 * ../shared/reference/notion-api.md §7), so the page itself is always re-read from Notion.
 */
const notionEventSchema = z.object({
  type: z.string(),
  entity: z.object({ id: z.string(), type: z.string() }),
  data: z
    .object({
      updated_blocks: z.array(z.object({ id: z.string(), type: z.string() })).optional(),
    })
    .optional(),
});
type NotionEvent = z.infer<typeof notionEventSchema>;

/** Events about one page whose metadata, trash state or content may have changed. */
const PAGE_EVENTS = new Set([
  'page.content_updated',
  'page.properties_updated',
  'page.moved',
  'page.deleted',
  'page.undeleted',
]);
/**
 * Events about a database or data source that change its rows as a whole (trashed with it, restored, moved,
 * or given another schema): every linked row is re-read. `content_updated` names the changed rows instead.
 */
const CONTAINER_EVENTS = new Set(['deleted', 'undeleted', 'moved', 'schema_updated']);

/** Which linked documents an event may concern: page ids, and/or "rows of this database or data source". */
function eventTargets(event: NotionEvent): { pageIds: string[]; containerId: string | null } | null {
  if (PAGE_EVENTS.has(event.type)) return { pageIds: [event.entity.id], containerId: null };
  const [object, action] = event.type.split('.', 2);
  if (object !== 'data_source' && object !== 'database') return null;
  if (action === 'content_updated') {
    const rows = (event.data?.updated_blocks ?? []).filter((b) => b.type === 'page').map((b) => b.id);
    return rows.length > 0 ? { pageIds: rows, containerId: null } : null;
  }
  if (action && CONTAINER_EVENTS.has(action)) return { pageIds: [], containerId: event.entity.id };
  // page.locked/unlocked change nothing we keep (and a locked page's content cannot change); comments,
  // views, file uploads and created objects concern no imported document.
  return null;
}

/** Notion ids arrive dashed in events; documents store the dashed lowercase form. */
const dashed = (id: string) => id.toLowerCase();

/**
 * Route one forwarded Notion event. Costs one indexed query (connection → tenant → linked documents) and
 * no Notion call; each linked page is then refreshed by a job that waits a moment and is unique per page,
 * so Notion's repeated and batched events for the same page become one read. Unknown connections, unlinked
 * pages and paused connections are acknowledged and dropped: the scheduled sync stays the safety net.
 */
export async function routeNotionEvent(
  s: AppServices,
  input: { connectionId: string; payload: unknown },
): Promise<string> {
  const parsed = notionEventSchema.safeParse(input.payload);
  if (!parsed.success) return 'ignored:not_a_notion_event';
  const targets = eventTargets(parsed.data);
  const pageIds = (targets?.pageIds ?? []).map(dashed);
  const containerId = targets?.containerId ? dashed(targets.containerId) : null;
  const found = await connectionWithLinkedPages(s.db, input.connectionId, { pageIds, containerId });
  const integration = found[0];
  if (!integration) return 'ignored:unknown_connection';
  if (!integration.live_updates_at || Date.now() - integration.live_updates_at.getTime() > 3600_000) {
    await withTenant(s.db, integration.tenant_id, (trx) => markLiveUpdatesSeen(trx, integration.id));
  }
  if (!targets) return `ignored:${parsed.data.type}`;
  // A connection that needs reauthorization cannot read Notion; the sync after the reconnect catches up.
  if (integration.status !== 'connected') return 'ignored:not_connected';
  const linked = [...new Set(found.map((r) => r.source_id).filter((id): id is string => id !== null))];
  if (linked.length === 0) return 'ignored:not_linked';
  for (const pageId of linked) {
    await s.jobs.send(
      refreshPageJob,
      { tenantId: integration.tenant_id, integrationId: integration.id, pageId },
      { singletonKey: `${integration.id}:${pageId}`, startAfter: REFRESH_PAGE_DELAY_SECONDS },
    );
  }
  return `queued:${linked.length}`;
}
