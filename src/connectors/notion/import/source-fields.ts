import type { NotionPage } from '../gateway-types.ts';

/** The document columns that mirror a Notion page's metadata (refreshed by import and by sync). */
export function notionSourceFields(page: NotionPage) {
  return {
    source_url: page.url,
    source_created_time: page.createdTime,
    source_last_edited_time: page.lastEditedTime,
    source_parent: JSON.stringify(page.parent),
    source_icon: page.icon ? JSON.stringify(page.icon) : null,
    source_cover: page.cover,
    source_status: 'ok' as const,
  };
}

/** A document's title from its page: Notion allows empty titles and very long ones. */
export function documentTitle(page: NotionPage): string {
  return (page.title.trim() || 'Untitled').slice(0, 500);
}
