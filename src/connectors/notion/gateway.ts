import { Client, LogLevel } from '@notionhq/client';
import type { z } from 'zod';
import type { Logger } from '../../platform/logger.ts';
import type { NotionBlock } from './convert/types.ts';
import { notionError, toNotionError } from './errors.ts';
import {
  blockSchema,
  botUserSchema,
  databaseSchema,
  dataSourceSchema,
  listSchema,
  pageSchema,
  searchResultSchema,
  type NotionBotInfo,
  type NotionDatabase,
  type NotionDataSource,
  type NotionList,
  type NotionPage,
  type NotionSearchResult,
} from './gateway-types.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { retryAfterMs } from '../../platform/http/retry-after.ts';

/** The one Notion API version this app speaks (databases are containers of data sources). */
export const NOTION_API_VERSION = '2025-09-03';

const PAGE_SIZE = 100;
const MAX_RETRIES_CAP = 10;
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504, 529]);
const UNBOUNDED_MS = 2 ** 31 - 1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface CommonOptions {
  limiter: RateLimiter;
  /** Retries of one call (429, 529, 5xx, network errors, timeouts); clamped to 0..10. */
  maxRetries: number;
  logger?: Logger;
  /** Timeout of one HTTP attempt. */
  timeoutMs?: number;
  /** Base of the exponential back-off when Notion sends no Retry-After. */
  retryDelayMs?: number;
  /** Upper bound on any single wait, including Retry-After. */
  maxRetryDelayMs?: number;
}

export interface NangoGatewayOptions extends CommonOptions {
  mode: 'nango';
  nangoHost: string;
  secretKey: string;
  connectionId: string;
  providerConfigKey: string;
}

export interface DirectGatewayOptions extends CommonOptions {
  mode: 'direct';
  token: string;
  /** Notion's origin, e.g. https://api.notion.com (the client appends /v1). */
  baseUrl: string;
}

export type NotionGatewayOptions = NangoGatewayOptions | DirectGatewayOptions;

export interface SearchOptions {
  query?: string;
  /** 'database' finds databases, which Notion 2025-09-03 returns as their data sources. */
  type?: 'page' | 'database';
  sort?: 'last_edited_desc';
  cursor?: string;
  pageSize?: number;
}

/** Read-only access to one Notion connection. There is deliberately no way to write. */
export interface NotionGateway {
  search(options?: SearchOptions): Promise<NotionList<NotionSearchResult>>;
  retrievePage(pageId: string): Promise<NotionPage>;
  retrieveBlock(blockId: string): Promise<NotionBlock>;
  listBlockChildren(blockId: string, cursor?: string): Promise<NotionList<NotionBlock>>;
  retrieveDatabase(databaseId: string): Promise<NotionDatabase>;
  retrieveDataSource(dataSourceId: string): Promise<NotionDataSource>;
  queryDataSource(dataSourceId: string, cursor?: string): Promise<NotionList<NotionPage>>;
  me(): Promise<NotionBotInfo>;
  /** HTTP attempts made so far, retries included. */
  callCount(): number;
}

type FetchInit = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
};

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** Headers the Nango proxy needs; Notion's own headers must travel with the Nango-Proxy- prefix. */
function nangoHeaders(options: NangoGatewayOptions, headers: Record<string, string>): Record<string, string> {
  const version = headerValue(headers, 'notion-version') ?? NOTION_API_VERSION;
  // No `Retries` header: the Notion client is the one retry layer, and Nango's retries would nest inside it.
  return {
    'Connection-Id': options.connectionId,
    'Provider-Config-Key': options.providerConfigKey,
    'Nango-Proxy-Notion-Version': version,
  };
}

/**
 * The SDK reports every failed attempt (including expected 404s) as a warning; callers decide what a
 * failure means via the error policy, so the SDK's own chatter is kept at debug level.
 */
function sdkLogger(logger: Logger | undefined) {
  return (level: LogLevel, message: string, extra: Record<string, unknown>) => {
    logger?.debug({ ...extra, sdkLevel: level, component: 'notion-client' }, message);
  };
}

/** Creates the gateway for one connection, through Nango's proxy or straight to Notion. */
export function createNotionGateway(options: NotionGatewayOptions): NotionGateway {
  let attempts = 0;

  const maxRetries = Math.min(Math.max(0, Math.floor(options.maxRetries)), MAX_RETRIES_CAP);
  const attemptTimeoutMs = options.timeoutMs ?? 30_000;
  const baseDelayMs = options.retryDelayMs ?? 1_000;
  const maxDelayMs = options.maxRetryDelayMs ?? 60_000;

  /**
   * The one retry layer. Every attempt, first tries and retries alike, takes a rate-limiter token and has
   * its own timeout (waiting for a token is not counted against it). Rate limits (429, honouring
   * Retry-After, which also pauses the whole connection), overloads (529), server errors and network
   * failures are retried with back-off, up to maxRetries. Everything this gateway sends is a read (search
   * and query are POSTs but change nothing), so retrying a POST is as safe as retrying a GET.
   */
  const limitedFetch = async (url: string, init: FetchInit = {}): Promise<Response> => {
    const baseHeaders = init.headers ?? {};
    const headers = options.mode === 'nango' ? { ...baseHeaders, ...nangoHeaders(options, baseHeaders) } : baseHeaders;
    for (let attempt = 0; ; attempt += 1) {
      await options.limiter.acquire();
      attempts += 1;
      let response: Response;
      try {
        response = await fetch(url, {
          method: init.method,
          headers,
          body: init.body,
          signal: AbortSignal.timeout(attemptTimeoutMs),
        });
      } catch (err) {
        if (attempt >= maxRetries) throw err;
        await sleep(backoff(attempt));
        continue;
      }
      if (!RETRYABLE_STATUSES.has(response.status) || attempt >= maxRetries) return response;
      const retryAfter = retryAfterMs(response.headers.get('retry-after'));
      await response.body?.cancel();
      if (response.status === 429 && retryAfter !== null) {
        options.limiter.pauseFor(Math.min(retryAfter, maxDelayMs));
      } else {
        await sleep(Math.min(retryAfter ?? backoff(attempt), maxDelayMs));
      }
    }
  };

  const backoff = (attempt: number) => Math.min(baseDelayMs * 2 ** attempt * (0.75 + Math.random() / 2), maxDelayMs);

  const client = new Client({
    auth: options.mode === 'nango' ? options.secretKey : options.token,
    baseUrl:
      options.mode === 'nango' ? `${options.nangoHost.replace(/\/$/, '')}/proxy` : options.baseUrl.replace(/\/$/, ''),
    notionVersion: NOTION_API_VERSION,
    fetch: limitedFetch,
    // Timeouts and retries live in limitedFetch, per attempt; the client's own would also count the time
    // spent queueing for the rate limiter, and its retries would nest inside ours.
    timeoutMs: UNBOUNDED_MS,
    retry: false,
    logLevel: LogLevel.WARN,
    logger: sdkLogger(options.logger),
  });

  async function call<S extends z.ZodType>(
    operation: string,
    schema: S,
    request: () => Promise<unknown>,
  ): Promise<z.output<S>> {
    let raw: unknown;
    try {
      raw = await request();
    } catch (err) {
      throw toNotionError(err, operation);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw notionError('notion_invalid_request', operation, {
        internal: `unexpected response shape: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')} ${i.message}`)
          .join('; ')}`,
      });
    }
    return parsed.data;
  }

  const pages = listSchema(pageSchema);
  const blocks = listSchema(blockSchema);
  const searchResults = listSchema(searchResultSchema);

  const gateway: NotionGateway = {
    search: (o = {}) =>
      call('search', searchResults, () =>
        client.search({
          ...(o.query ? { query: o.query } : {}),
          ...(o.type
            ? {
                filter: {
                  property: 'object',
                  value: o.type === 'page' ? 'page' : 'data_source',
                },
              }
            : {}),
          ...(o.sort
            ? {
                sort: {
                  timestamp: 'last_edited_time',
                  direction: 'descending',
                },
              }
            : {}),
          ...(o.cursor ? { start_cursor: o.cursor } : {}),
          page_size: Math.min(o.pageSize ?? PAGE_SIZE, PAGE_SIZE),
        }),
      ),
    retrievePage: (pageId) => call('retrievePage', pageSchema, () => client.pages.retrieve({ page_id: pageId })),
    retrieveBlock: (blockId) => call('retrieveBlock', blockSchema, () => client.blocks.retrieve({ block_id: blockId })),
    listBlockChildren: (blockId, cursor) =>
      call('listBlockChildren', blocks, () =>
        client.blocks.children.list({
          block_id: blockId,
          page_size: PAGE_SIZE,
          ...(cursor ? { start_cursor: cursor } : {}),
        }),
      ),
    retrieveDatabase: (databaseId) =>
      call('retrieveDatabase', databaseSchema, () => client.databases.retrieve({ database_id: databaseId })),
    retrieveDataSource: (dataSourceId) =>
      call('retrieveDataSource', dataSourceSchema, () => client.dataSources.retrieve({ data_source_id: dataSourceId })),
    queryDataSource: (dataSourceId, cursor) =>
      call('queryDataSource', pages, () =>
        client.dataSources.query({
          data_source_id: dataSourceId,
          page_size: PAGE_SIZE,
          result_type: 'page',
          ...(cursor ? { start_cursor: cursor } : {}),
        }),
      ),
    me: () => call('me', botUserSchema, () => client.users.me({})),
    callCount: () => attempts,
  };
  return Object.freeze(gateway);
}
