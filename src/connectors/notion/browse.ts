import { withTenant } from '../../platform/db/tenant-scope.ts';
import { documentIdsBySource } from '../../documents/documents.repo.ts';
import type { DataSourceProperties, NotionSearchPage, NotionSearchResult } from '../../contracts/integrations.ts';
import type { ActorContext } from '../../platform/http/request-context.ts';
import { withNotion } from './connection.ts';
import type { NotionGateway } from './gateway.ts';
import type { NotionDataSource, NotionPage, NotionParent } from './gateway-types.ts';
import { isAppError } from '../../platform/errors.ts';
import { findAccessMapping } from './access-mapping.repo.ts';
import { accessOptionOf, mappedAccessLevel } from './access-mapping.ts';

const BROWSE_PAGE_SIZE = 25;

type Item = NotionPage | NotionDataSource;

/** Search the pages and databases the connection can see, marking those already imported. */
export async function searchNotion(
  ctx: ActorContext,
  query: {
    q?: string | undefined;
    type?: 'page' | 'database' | undefined;
    cursor?: string | undefined;
  },
): Promise<NotionSearchPage> {
  return withNotion(ctx.s, ctx.tenantId, async (gateway) => {
    const list = await gateway.search({
      query: query.q,
      type: query.type,
      cursor: query.cursor,
      pageSize: BROWSE_PAGE_SIZE,
    });
    return present(ctx, list.results, list.nextCursor);
  });
}

/**
 * List a database's pages. Search hands out data source ids for databases; a database (container) id
 * pasted from a URL also works and is resolved to its first data source.
 */
export async function listDatabasePages(
  ctx: ActorContext,
  input: { databaseId: string; cursor?: string | undefined },
): Promise<NotionSearchPage> {
  return withNotion(ctx.s, ctx.tenantId, async (gateway) => {
    const dataSource = await resolveDataSource(gateway, input.databaseId);
    const list = await gateway.queryDataSource(dataSource.id, input.cursor);
    return present(ctx, list.results, list.nextCursor);
  });
}

/** A data source by its id, or the first data source of a database by the database's id. */
async function resolveDataSource(gateway: NotionGateway, id: string): Promise<NotionDataSource> {
  try {
    return await gateway.retrieveDataSource(id);
  } catch (err) {
    if (!isAppError(err) || err.code !== 'notion_not_found') throw err;
    const database = await gateway.retrieveDatabase(id);
    const first = database.dataSources[0];
    if (!first) throw err;
    return gateway.retrieveDataSource(first.id);
  }
}

async function present(
  { s, tenantId }: ActorContext,
  results: Item[],
  nextCursor: string | null,
): Promise<NotionSearchPage> {
  const { imported, mapping } = await withTenant(s.db, tenantId, async (trx) => ({
    imported: await documentIdsBySource(
      trx,
      'notion',
      results.filter((r) => r.object === 'page').map((r) => r.id),
    ),
    mapping: await findAccessMapping(trx),
  }));
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
          accessOption: mapping ? accessOptionOf(mapping, r) : null,
          mappedAccessLevel: mapping ? mappedAccessLevel(mapping, r) : null,
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
          accessOption: null,
          mappedAccessLevel: null,
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

/** The select and status properties of a data source (one Notion call; three for a database id). */
export async function dataSourceProperties(
  ctx: ActorContext,
  input: { dataSourceId: string },
): Promise<DataSourceProperties> {
  return withNotion(ctx.s, ctx.tenantId, async (gateway) => {
    const source = await resolveDataSource(gateway, input.dataSourceId);
    return {
      dataSourceId: source.id,
      title: source.title || 'Untitled database',
      properties: Object.values(source.properties).flatMap((p) =>
        p.type === 'select' || p.type === 'status' ? [{ name: p.name, type: p.type, options: p.options }] : [],
      ),
    };
  });
}
