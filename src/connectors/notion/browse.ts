import type { AppServices } from '../../platform/app-services.ts';
import type { Actor } from '../../platform/http/request-context.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { documentIdsBySource } from '../../documents/documents.repo.ts';
import type { NotionSearchPage, NotionSearchResult } from '../../contracts/integrations.ts';
import { withNotion } from './connection.ts';
import type { NotionGateway } from './gateway.ts';
import type { NotionDataSource, NotionPage, NotionParent } from './gateway-types.ts';
import { isAppError } from '../../platform/errors.ts';

const BROWSE_PAGE_SIZE = 25;

type Item = NotionPage | NotionDataSource;

/** Search the pages and databases the connection can see, marking those already imported. */
export async function searchNotion(
  s: AppServices,
  actor: Actor,
  query: {
    q?: string | undefined;
    type?: 'page' | 'database' | undefined;
    cursor?: string | undefined;
  },
): Promise<NotionSearchPage> {
  return withNotion(s, actor.tenantId, async (gateway) => {
    const list = await gateway.search({
      query: query.q,
      type: query.type,
      cursor: query.cursor,
      pageSize: BROWSE_PAGE_SIZE,
    });
    return present(s, actor, list.results, list.nextCursor);
  });
}

/**
 * List a database's pages. Search hands out data source ids for databases; a database (container) id
 * pasted from a URL also works and is resolved to its first data source.
 */
export async function listDatabasePages(
  s: AppServices,
  actor: Actor,
  id: string,
  cursor: string | undefined,
): Promise<NotionSearchPage> {
  return withNotion(s, actor.tenantId, async (gateway) => {
    const dataSourceId = await resolveDataSource(gateway, id);
    const list = await gateway.queryDataSource(dataSourceId, cursor);
    return present(s, actor, list.results, list.nextCursor);
  });
}

async function resolveDataSource(gateway: NotionGateway, id: string): Promise<string> {
  try {
    return (await gateway.retrieveDataSource(id)).id;
  } catch (err) {
    if (!isAppError(err) || err.code !== 'notion_not_found') throw err;
    const database = await gateway.retrieveDatabase(id);
    return database.dataSources[0]?.id ?? id;
  }
}

async function present(
  s: AppServices,
  actor: Actor,
  results: Item[],
  nextCursor: string | null,
): Promise<NotionSearchPage> {
  const imported = await withTenant(s.db, actor.tenantId, (trx) =>
    documentIdsBySource(
      trx,
      'notion',
      results.filter((r) => r.object === 'page').map((r) => r.id),
    ),
  );
  // Parent titles cost a call each, so only parents that are themselves in this result page are named.
  const titles = new Map<string, string>(
    results.map((r) => [r.object === 'data_source' && r.databaseId ? r.databaseId : r.id, r.title]),
  );
  const items: NotionSearchResult[] = results.map((r) =>
    r.object === 'page'
      ? {
          id: r.id,
          object: 'page',
          title: r.title || 'Untitled',
          icon: r.icon,
          url: r.url,
          parent: parentOf(r.parent, titles),
          lastEditedTime: r.lastEditedTime,
          importedDocumentId: imported.get(r.id) ?? null,
        }
      : {
          id: r.id,
          object: 'database',
          title: r.title || 'Untitled database',
          icon: r.icon,
          url: r.url,
          parent: { type: 'database', id: r.databaseId, title: null },
          lastEditedTime: r.lastEditedTime,
          importedDocumentId: null,
        },
  );
  return { items, nextCursor };
}

function parentOf(parent: NotionParent, titles: Map<string, string>): NotionSearchResult['parent'] {
  if (parent.type === 'workspace' || parent.type === 'other')
    return {
      type: parent.type,
      id: null,
      title: parent.type === 'workspace' ? 'Workspace' : null,
    };
  const id = parent.type === 'data_source' ? (parent.databaseId ?? parent.id) : parent.id;
  return {
    type: parent.type,
    id,
    title: titles.get(id) ?? titles.get(parent.id) ?? null,
  };
}
