import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { FakeNotionControl } from './control.ts';
import { createControlRoutes, normalizeId } from './control-routes.ts';
import { s3ErrorXml, type FileUrlSigner } from './file-urls.ts';
import { invalidRequestUrl, notionError, notionJson, serverFailure, validationError } from './notion-errors.ts';
import { SUPPORTED_VERSIONS, type FakeNotionStore, type NotionVersion, type RenderContext } from './store.ts';

type Env = { Variables: { version: NotionVersion; render: RenderContext } };
type Ctx = Context<Env>;

/** Requests that only read, including the POST endpoints Notion uses for queries. */
function isRead(method: string, path: string): boolean {
  if (method === 'GET') return true;
  if (method !== 'POST') return false;
  return path === '/v1/search' || /^\/v1\/(data_sources|databases)\/[^/]+\/query$/.test(path);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- paging with opaque cursors bound to one listing ----

const cursorSchema = z.object({ s: z.string(), o: z.number().int().min(0) });
const encodeCursor = (scope: string, offset: number) =>
  Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');

type Paged<T> =
  { ok: true; items: T[]; next_cursor: string | null; has_more: boolean } | { ok: false; response: Response };

function paginate<T>(all: T[], scope: string, cursor: string | null | undefined, pageSize: number): Paged<T> {
  let offset = 0;
  if (cursor) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      decoded = null;
    }
    const parsed = cursorSchema.safeParse(decoded);
    if (!parsed.success || parsed.data.s !== scope) {
      return {
        ok: false,
        response: validationError(`The start_cursor provided is invalid: ${cursor}`),
      };
    }
    offset = parsed.data.o;
  }
  const items = all.slice(offset, offset + pageSize);
  const end = offset + items.length;
  const hasMore = end < all.length;
  return {
    ok: true,
    items,
    next_cursor: hasMore ? encodeCursor(scope, end) : null,
    has_more: hasMore,
  };
}

const pageSizeSchema = z.number().int().min(1).max(100).optional();

function describeBodyError(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = ['body', ...(issue?.path ?? []).map(String)].join('.');
  return `body failed validation: ${path} ${issue?.message ?? 'is invalid'}.`;
}

async function readJsonBody(c: Ctx): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const raw = await c.req.text();
  if (raw.trim() === '') return { ok: true, body: {} };
  try {
    return { ok: true, body: JSON.parse(raw) };
  } catch {
    return {
      ok: false,
      response: notionError(400, 'invalid_json', 'Error parsing JSON body.'),
    };
  }
}

const searchBodySchema = z.object({
  query: z.string().optional(),
  filter: z
    .object({
      property: z.literal('object'),
      value: z.string(),
      in_trash: z.boolean().optional(),
    })
    .optional(),
  sort: z
    .object({
      timestamp: z.literal('last_edited_time'),
      direction: z.enum(['ascending', 'descending']),
    })
    .optional(),
  start_cursor: z.string().nullable().optional(),
  page_size: pageSizeSchema,
});

const queryBodySchema = z.object({
  filter: z
    .object({
      timestamp: z.literal('last_edited_time'),
      last_edited_time: z.object({
        after: z.string().optional(),
        on_or_after: z.string().optional(),
      }),
    })
    .optional(),
  sorts: z
    .array(
      z.object({
        timestamp: z.enum(['created_time', 'last_edited_time']),
        direction: z.enum(['ascending', 'descending']),
      }),
    )
    .max(1)
    .optional(),
  start_cursor: z.string().nullable().optional(),
  page_size: pageSizeSchema,
  result_type: z.enum(['page', 'data_source']).optional(),
  in_trash: z.boolean().optional(),
});

export interface FakeNotionDeps {
  store: FakeNotionStore;
  control: FakeNotionControl;
  signer: FileUrlSigner;
}

/** The fake Notion API (`/v1`), its hosted-file server (`/files`) and test controls (`/__fake`). */
export function createFakeNotionApp({ store, control, signer }: FakeNotionDeps): Hono<Env> {
  const app = new Hono<Env>();
  const integration = store.spec.botName;

  const notFound = (kind: string, id: string) =>
    notionError(
      404,
      'object_not_found',
      `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration "${integration}".`,
      { additionalData: { integration_id: store.spec.botId } },
    );

  const idParam = (c: Ctx, name: string, kind: string): string | Response => {
    const raw = c.req.param(name) ?? '';
    return (
      normalizeId(raw) ??
      validationError(`path failed validation: path.${kind}_id should be a valid uuid, instead was \`"${raw}"\`.`)
    );
  };

  app.route('/__fake', createControlRoutes(control));

  // ---- hosted files ----

  app.get('/files/:key', async (c) => {
    const key = c.req.param('key');
    const url = new URL(c.req.url);
    const respond = async (): Promise<Response> => {
      if (control.latencyMs > 0) await sleep(control.latencyMs);
      const check = signer.check(key, url.searchParams);
      const xml = { 'content-type': 'application/xml' };
      if (check === 'bad_signature') {
        return new Response(
          s3ErrorXml(
            'SignatureDoesNotMatch',
            'The request signature we calculated does not match the signature you provided.',
          ),
          { status: 403, headers: xml },
        );
      }
      if (check === 'expired')
        return new Response(s3ErrorXml('AccessDenied', 'Request has expired'), {
          status: 403,
          headers: xml,
        });
      const file = store.files.get(key);
      if (!file)
        return new Response(s3ErrorXml('NoSuchKey', 'The specified key does not exist.'), {
          status: 404,
          headers: xml,
        });
      const bytes = Buffer.from(file.bytesBase64, 'base64');
      return new Response(bytes, {
        headers: {
          'content-type': file.contentType,
          'content-length': String(bytes.length),
        },
      });
    };
    const res = await respond();
    control.record({
      method: 'GET',
      path: url.pathname,
      query: url.search,
      notionVersion: null,
      status: res.status,
      write: false,
    });
    return res;
  });

  // ---- the API: cross-cutting behaviour in Notion's order ----

  app.use('/v1/*', async (c, next) => {
    const url = new URL(c.req.url);
    const method = c.req.method;
    const header = c.req.header('notion-version') ?? null;
    const write = !isRead(method, url.pathname);
    const gate = (): Response | null => {
      const failure = control.takeFailure();
      if (failure !== null) return serverFailure(failure);
      if (header === null)
        return notionError(400, 'missing_version', 'Notion-Version header should be defined, instead was `undefined`.');
      if (!SUPPORTED_VERSIONS.includes(header as NotionVersion)) {
        return validationError(`Provided API version ${header} is invalid.`);
      }
      const token = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim() ?? '';
      if (token === '' || control.isRevoked(token)) return notionError(401, 'unauthorized', 'API token is invalid.');
      const retryAfter = control.takeRateToken(token);
      if (retryAfter !== null) {
        return notionError(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.', {
          headers: { 'retry-after': String(retryAfter) },
        });
      }
      if (write)
        return notionError(405, 'invalid_request', 'This workspace is read-only: write endpoints are refused.');
      if (!control.readContent && url.pathname !== '/v1/users/me') {
        return notionError(403, 'restricted_resource', 'Insufficient permissions for this endpoint.');
      }
      return null;
    };
    const record = (status: number) =>
      control.record({
        method,
        path: url.pathname,
        query: url.search,
        notionVersion: header,
        status,
        write,
      });
    if (control.latencyMs > 0) await sleep(control.latencyMs);
    const early = gate();
    if (early) {
      record(early.status);
      return early;
    }
    const version = header as NotionVersion;
    c.set('version', version);
    c.set('render', {
      version,
      signFileUrl: (key) => signer.sign(url.origin, key, control.expiredFileUrls),
    });
    await next();
    record(c.res.status);
  });

  // ---- read endpoints ----

  app.post('/v1/search', async (c) => {
    const body = await readJsonBody(c);
    if (!body.ok) return body.response;
    const parsed = searchBodySchema.safeParse(body.body);
    if (!parsed.success) return validationError(describeBodyError(parsed.error));
    const { query, filter, sort, start_cursor, page_size } = parsed.data;
    const legacy = c.get('version') === '2022-06-28';
    const containerValue = legacy ? 'database' : 'data_source';
    if (filter && filter.value !== 'page' && filter.value !== containerValue) {
      return validationError(
        `body failed validation: body.filter.value should be \`"page"\` or \`"${containerValue}"\`, instead was \`"${filter.value}"\`.`,
      );
    }
    const needle = query?.trim().toLowerCase() ?? '';
    const descending = sort?.direction !== 'ascending';
    const hits = store
      .searchable(control.searchLagMs, Date.now())
      .filter((item) => !filter || (filter.value === 'page') === (item.kind === 'page'))
      .filter((item) => needle === '' || item.title.toLowerCase().includes(needle))
      .sort((a, b) => {
        const byTime = a.lastEditedTime.localeCompare(b.lastEditedTime) || a.id.localeCompare(b.id);
        return descending ? -byTime : byTime;
      });
    const scope = `search:${JSON.stringify({ needle, filter: filter?.value ?? null, descending })}`;
    const page = paginate(hits, scope, start_cursor, page_size ?? 100);
    if (!page.ok) return page.response;
    const render = c.get('render');
    const results = page.items.map((item) => {
      if (item.kind === 'page') return store.renderPage(item.id, render, item.indexed);
      return legacy ? store.renderDatabase(item.id, render) : store.renderDataSource(item.dataSourceId, render);
    });
    const listType = legacy ? 'page_or_database' : 'page_or_data_source';
    return notionJson({
      object: 'list',
      results,
      next_cursor: page.next_cursor,
      has_more: page.has_more,
      type: listType,
      [listType]: {},
    });
  });

  app.get('/v1/users/me', () =>
    notionJson({
      object: 'user',
      id: store.spec.botId,
      name: store.spec.botName,
      avatar_url: null,
      type: 'bot',
      bot: {
        owner: { type: 'workspace', workspace: true },
        workspace_name: store.spec.workspaceName,
        workspace_id: store.spec.workspaceId,
        workspace_limits: { max_file_upload_size_in_bytes: 5_242_880 },
      },
    }),
  );

  app.get('/v1/pages/:id', (c) => {
    const id = idParam(c, 'id', 'page');
    if (typeof id !== 'string') return id;
    if (!store.pageAccessible(id)) return notFound('page', id);
    return notionJson(store.renderPage(id, c.get('render')));
  });

  app.get('/v1/blocks/:id', (c) => {
    const id = idParam(c, 'id', 'block');
    if (typeof id !== 'string') return id;
    if (!store.blockExists(id)) return notFound('block', id);
    return notionJson(store.renderBlock(id, c.get('render')));
  });

  app.get('/v1/blocks/:id/children', (c) => {
    const id = idParam(c, 'id', 'block');
    if (typeof id !== 'string') return id;
    const size = c.req.query('page_size');
    const pageSize = pageSizeSchema.safeParse(size === undefined ? undefined : Number(size));
    if (!pageSize.success) {
      return validationError(
        `query failed validation: query.page_size should be an integer from 1 to 100, instead was \`${size}\`.`,
      );
    }
    if (!store.blockExists(id)) return notFound('block', id);
    const page = paginate(store.childIdsOf(id), `children:${id}`, c.req.query('start_cursor'), pageSize.data ?? 100);
    if (!page.ok) return page.response;
    const render = c.get('render');
    return notionJson({
      object: 'list',
      results: page.items.map((childId) => store.renderBlock(childId, render)),
      next_cursor: page.next_cursor,
      has_more: page.has_more,
      type: 'block',
      block: {},
    });
  });

  app.get('/v1/databases/:id', (c) => {
    const id = idParam(c, 'id', 'database');
    if (typeof id !== 'string') return id;
    if (!store.databaseAccessible(id)) return notFound('database', id);
    return notionJson(store.renderDatabase(id, c.get('render')));
  });

  app.get('/v1/data_sources/:id', (c) => {
    // Data sources only exist from 2025-09-03 on.
    if (c.get('version') === '2022-06-28') return invalidRequestUrl();
    const id = idParam(c, 'id', 'data_source');
    if (typeof id !== 'string') return id;
    if (store.databaseIdOfDataSource(id) === undefined) return notFound('data_source', id);
    return notionJson(store.renderDataSource(id, c.get('render')));
  });

  const queryRows = async (c: Ctx, databaseId: string, scope: string, listType: string) => {
    const body = await readJsonBody(c);
    if (!body.ok) return body.response;
    const parsed = queryBodySchema.safeParse(body.body);
    if (!parsed.success) return validationError(describeBodyError(parsed.error));
    const { filter, sorts, start_cursor, page_size, result_type } = parsed.data;
    const since = filter?.last_edited_time;
    const sort = sorts?.[0];
    // Rows of a plain database are pages; asking for nested data sources yields nothing.
    const rows = (result_type === 'data_source' ? [] : store.rowsOf(databaseId))
      .filter((row) => !since?.after || row.lastEditedTime > since.after)
      .filter((row) => !since?.on_or_after || row.lastEditedTime >= since.on_or_after)
      .sort((a, b) => {
        if (!sort) return 0;
        const key = sort.timestamp === 'created_time' ? 'createdTime' : 'lastEditedTime';
        const order = a[key].localeCompare(b[key]) || a.id.localeCompare(b.id);
        return sort.direction === 'ascending' ? order : -order;
      });
    const page = paginate(
      rows,
      `${scope}:${JSON.stringify({ since, sort, result_type })}`,
      start_cursor,
      page_size ?? 100,
    );
    if (!page.ok) return page.response;
    const render = c.get('render');
    return notionJson({
      object: 'list',
      results: page.items.map((row) => store.renderPage(row.id, render)),
      next_cursor: page.next_cursor,
      has_more: page.has_more,
      type: listType,
      [listType]: {},
    });
  };

  app.post('/v1/data_sources/:id/query', async (c) => {
    if (c.get('version') === '2022-06-28') return invalidRequestUrl();
    const id = idParam(c, 'id', 'data_source');
    if (typeof id !== 'string') return id;
    const databaseId = store.databaseIdOfDataSource(id);
    if (databaseId === undefined) return notFound('data_source', id);
    return queryRows(c, databaseId, `query:${id}`, 'page_or_data_source');
  });

  app.post('/v1/databases/:id/query', async (c) => {
    // The pre-data-source way to read rows; gone from 2025-09-03.
    if (c.get('version') !== '2022-06-28') return invalidRequestUrl();
    const id = idParam(c, 'id', 'database');
    if (typeof id !== 'string') return id;
    if (!store.databaseAccessible(id)) return notFound('database', id);
    return queryRows(c, id, `legacy-query:${id}`, 'page_or_database');
  });

  app.notFound((c) => (c.req.path.startsWith('/v1/') ? invalidRequestUrl() : c.text('Not Found', 404)));

  return app;
}
