import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTION_ERROR_POLICY, notionErrorKind } from '../../src/connectors/notion/errors.ts';
import {
  NOTION_API_VERSION,
  createNotionGateway,
  type NotionGateway,
  type NotionGatewayOptions,
} from '../../src/connectors/notion/gateway.ts';
import { createRateLimiter, type RateLimiter } from '../../src/connectors/notion/rate-limiter.ts';
import { countMinimumCalls, fetchBlockTree } from '../../src/connectors/notion/tree.ts';
import { AppError } from '../../src/platform/errors.ts';
import { DEMO_IDS, DEMO_PDF_KEY, demoWorkspace } from '../../src/sandbox/demo-workspace/workspace.ts';
import { generateNestedPage, startFakeNotion, type FakeNotion } from '../../src/sandbox/fake-notion/index.ts';

const TOKEN = 'ntn_contract_test_token';
const NESTED = generateNestedPage({ blocks: 250 });

let fake: FakeNotion;

const openLimiter = () => createRateLimiter({ rps: 10_000, burst: 10_000 });

function direct(overrides: Partial<NotionGatewayOptions> = {}): NotionGateway {
  return createNotionGateway({
    mode: 'direct',
    token: TOKEN,
    baseUrl: fake.url,
    limiter: openLimiter(),
    maxRetries: 2,
    retryDelayMs: 5,
    ...overrides,
  } as NotionGatewayOptions);
}

/** Runs `fn` and returns the AppError it throws. */
async function failure(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw new Error(`expected an AppError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a failure');
}

const notionHeaders = {
  authorization: `Bearer ${TOKEN}`,
  'notion-version': NOTION_API_VERSION,
  'content-type': 'application/json',
};

beforeAll(async () => {
  const workspace = demoWorkspace();
  workspace.pages.push(NESTED);
  fake = await startFakeNotion({ workspace });
});

afterAll(async () => {
  // The whole suite went through the gateway: Notion must not have seen a single write.
  expect(fake.control.writeAttempts()).toEqual([]);
  await fake.close();
});

describe('gateway (direct mode) against the fake Notion', () => {
  it('exposes read methods only and hides the client', () => {
    const gateway = direct();
    expect(Object.keys(gateway).sort()).toEqual(
      [
        'callCount',
        'listBlockChildren',
        'me',
        'queryDataSource',
        'retrieveBlock',
        'retrieveDataSource',
        'retrieveDatabase',
        'retrievePage',
        'search',
      ].sort(),
    );
    expect(Object.isFrozen(gateway)).toBe(true);
    for (const value of Object.values(gateway)) expect(typeof value).toBe('function');
  });

  it('me() returns the bot and workspace', async () => {
    const me = await direct().me();
    expect(me).toEqual({
      botId: DEMO_IDS.bot,
      workspaceId: DEMO_IDS.workspace,
      workspaceName: 'Acme Inc.',
      workspaceIcon: null,
    });
  });

  it('search pages through every result with cursors, without duplicates', async () => {
    const gateway = direct();
    const all = await gateway.search();
    expect(all.nextCursor).toBeNull();
    const seen: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const page = await gateway.search({
        pageSize: 4,
        ...(cursor ? { cursor } : {}),
      });
      calls += 1;
      expect(page.results.length).toBeLessThanOrEqual(4);
      seen.push(...page.results.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(all.results.map((r) => r.id).sort());
    expect(calls).toBe(Math.ceil(all.results.length / 4));
  });

  it('search filters by type and title and sorts by last edit', async () => {
    const gateway = direct();
    const databases = await gateway.search({ type: 'database' });
    expect(databases.results).toHaveLength(1);
    const [dataSource] = databases.results;
    expect(dataSource).toMatchObject({
      object: 'data_source',
      id: DEMO_IDS.securityPoliciesDataSource,
      databaseId: DEMO_IDS.securityPoliciesDatabase,
      title: 'Security Policies',
    });

    const pages = await gateway.search({
      type: 'page',
      sort: 'last_edited_desc',
    });
    expect(pages.results.every((r) => r.object === 'page')).toBe(true);
    const times = pages.results.map((r) => r.lastEditedTime);
    expect(times).toEqual([...times].sort().reverse());

    const hits = await gateway.search({ query: 'incident' });
    expect(hits.results.map((r) => r.title)).toEqual(['Incident Response Plan']);
  });

  it('retrievePage maps a page and a database row', async () => {
    const gateway = direct();
    const page = await gateway.retrievePage(DEMO_IDS.securityOverview);
    expect(page).toMatchObject({
      object: 'page',
      id: DEMO_IDS.securityOverview,
      title: 'Acme Security Overview',
      parent: { type: 'workspace' },
      icon: { type: 'emoji', emoji: '🛡️' },
      inTrash: false,
    });
    const row = await gateway.retrievePage(DEMO_IDS.policies.accessControl);
    expect(row.parent).toEqual({
      type: 'data_source',
      id: DEMO_IDS.securityPoliciesDataSource,
      databaseId: DEMO_IDS.securityPoliciesDatabase,
    });
    expect(row.title).toBe('Access Control Policy');
    expect(row.properties.Status).toMatchObject({
      type: 'status',
      status: { name: 'Approved' },
    });
    // Dash-less ids are accepted, as by Notion.
    expect((await gateway.retrievePage(DEMO_IDS.securityOverview.replaceAll('-', ''))).id).toBe(
      DEMO_IDS.securityOverview,
    );
  });

  it('listBlockChildren pages 100 at a time', async () => {
    const gateway = direct();
    const first = await gateway.listBlockChildren(NESTED.id);
    expect(first.results).toHaveLength(100);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await gateway.listBlockChildren(NESTED.id, first.nextCursor ?? undefined);
    const ids = [...first.results, ...second.results].map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    let cursor = second.nextCursor;
    let total = ids.length;
    while (cursor) {
      const next = await gateway.listBlockChildren(NESTED.id, cursor);
      total += next.results.length;
      cursor = next.nextCursor;
    }
    expect(total).toBe(NESTED.children?.length);
  });

  it('a cursor from another listing is rejected as an invalid request', async () => {
    const gateway = direct();
    const first = await gateway.listBlockChildren(NESTED.id);
    const err = await failure(() =>
      gateway.listBlockChildren(DEMO_IDS.securityOverview, first.nextCursor ?? undefined),
    );
    expect(err.code).toBe('notion_invalid_request');
  });

  it('databases are containers of data sources; rows come from the data source query', async () => {
    const gateway = direct();
    const database = await gateway.retrieveDatabase(DEMO_IDS.securityPoliciesDatabase);
    expect(database.dataSources).toEqual([{ id: DEMO_IDS.securityPoliciesDataSource, name: 'Security Policies' }]);
    const dataSource = await gateway.retrieveDataSource(DEMO_IDS.securityPoliciesDataSource);
    expect(dataSource.databaseId).toBe(DEMO_IDS.securityPoliciesDatabase);
    expect(Object.fromEntries(Object.entries(dataSource.properties).map(([k, v]) => [k, v.type]))).toEqual({
      Name: 'title',
      Status: 'status',
      'Trust access': 'select',
      Owner: 'people',
      'Review date': 'date',
    });
    // Select and status options are read (an access-level mapping offers them).
    expect(dataSource.properties['Trust access']!.options).toEqual(['Public', 'NDA', 'Customers', 'Internal']);
    expect(dataSource.properties.Status!.options).toEqual(['Draft', 'Approved']);
    const rows = await gateway.queryDataSource(DEMO_IDS.securityPoliciesDataSource);
    expect(rows.nextCursor).toBeNull();
    expect(rows.results.map((r) => r.title).sort()).toEqual([
      'Acceptable Use Policy',
      'Access Control Policy',
      'Data Retention Policy',
      'Encryption Policy',
    ]);
  });

  it('hosted files come with signed URLs that expire', async () => {
    const gateway = direct();
    const [pdfBlock] = (await gateway.listBlockChildren(DEMO_IDS.dataProcessingAddendum)).results;
    const pdf = pdfBlock?.pdf as {
      type: string;
      file: { url: string; expiry_time: string };
    };
    expect(pdf.type).toBe('file');
    expect(Date.parse(pdf.file.expiry_time) - Date.now()).toBeGreaterThan(50 * 60_000);
    const download = await fetch(pdf.file.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    fake.control.setExpiredFileUrls(true);
    try {
      const block = await gateway.retrieveBlock(pdfBlock?.id ?? '');
      const expired = (block.pdf as { file: { url: string } }).file.url;
      const denied = await fetch(expired);
      expect(denied.status).toBe(403);
      expect(await denied.text()).toContain('<Code>AccessDenied</Code>');
    } finally {
      fake.control.setExpiredFileUrls(false);
    }
    const forged = await fetch(pdf.file.url.replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=00'));
    expect(forged.status).toBe(403);
    expect(pdf.file.url).toContain(encodeURIComponent(DEMO_PDF_KEY));
  });
});

describe('demo workspace', () => {
  it('every demo page fetches as a block tree with the minimum number of calls', async () => {
    const gateway = direct();
    const pageIds = [
      DEMO_IDS.securityOverview,
      DEMO_IDS.incidentResponse,
      DEMO_IDS.dataProcessingAddendum,
      DEMO_IDS.businessContinuity,
      DEMO_IDS.vulnerabilityDisclosure,
      DEMO_IDS.policies.encryption,
    ];
    for (const pageId of pageIds) {
      const before = gateway.callCount();
      const tree = await fetchBlockTree(gateway, pageId);
      expect(tree.length).toBeGreaterThan(0);
      expect(gateway.callCount() - before).toBe(countMinimumCalls(tree));
    }
  });
});

describe('gateway error mapping', () => {
  it('unknown and unshared objects are notion_not_found (skip)', async () => {
    const gateway = direct();
    const unknown = await failure(() => gateway.retrievePage('00000000-0000-4000-8000-000000000000'));
    expect(unknown.code).toBe('notion_not_found');
    expect(NOTION_ERROR_POLICY[unknown.code as 'notion_not_found']).toBe('skip');
    expect(unknown.details).toMatchObject({
      notionCode: 'object_not_found',
      status: 404,
      requestId: expect.any(String),
    });

    fake.control.editPage(DEMO_IDS.businessContinuity, { shared: false });
    try {
      expect(notionErrorKind(await failure(() => gateway.retrievePage(DEMO_IDS.businessContinuity)))).toBe(
        'notion_not_found',
      );
      expect(notionErrorKind(await failure(() => gateway.listBlockChildren(DEMO_IDS.businessContinuity)))).toBe(
        'notion_not_found',
      );
    } finally {
      fake.control.editPage(DEMO_IDS.businessContinuity, { shared: true });
    }
  });

  it('a missing capability is notion_forbidden', async () => {
    fake.control.setReadContent(false);
    try {
      const err = await failure(() => direct().retrievePage(DEMO_IDS.securityOverview));
      expect(err.code).toBe('notion_forbidden');
      expect(err.status).toBe(403);
    } finally {
      fake.control.setReadContent(true);
    }
  });

  it('a revoked token is notion_unauthorized (needs_reauth)', async () => {
    fake.control.revoke();
    try {
      const err = await failure(() => direct().me());
      expect(err.code).toBe('notion_unauthorized');
      expect(NOTION_ERROR_POLICY.notion_unauthorized).toBe('needs_reauth');
    } finally {
      fake.control.unrevoke();
    }
    expect((await direct().me()).botId).toBe(DEMO_IDS.bot);
  });

  it('malformed ids are notion_invalid_request (fail)', async () => {
    const err = await failure(() => direct().retrievePage('not-an-id'));
    expect(err.code).toBe('notion_invalid_request');
    expect(err.details).toMatchObject({
      notionCode: 'validation_error',
      status: 400,
    });
    expect(NOTION_ERROR_POLICY.notion_invalid_request).toBe('fail');
  });

  it('5xx on reads is retried a bounded number of times, then notion_transient', async () => {
    const gateway = direct({ maxRetries: 2 });
    fake.control.failNext(2, 503);
    const before = gateway.callCount();
    expect((await gateway.retrievePage(DEMO_IDS.incidentResponse)).id).toBe(DEMO_IDS.incidentResponse);
    expect(gateway.callCount() - before).toBe(3);

    fake.control.resetLog();
    fake.control.failNext(10, 500);
    const err = await failure(() => gateway.retrievePage(DEMO_IDS.incidentResponse));
    fake.control.failNext(0, 500);
    expect(err.code).toBe('notion_transient');
    expect(NOTION_ERROR_POLICY.notion_transient).toBe('retry');
    expect(fake.control.counters().byStatus).toEqual({ 500: 3 });
  });

  it('529 overload and 5xx are retried on POST search too (every request is a read)', async () => {
    const gateway = direct({ maxRetries: 3 });
    fake.control.failNext(1, 529);
    const before = gateway.callCount();
    await gateway.search({ query: 'policy' });
    expect(gateway.callCount() - before).toBe(2);
    fake.control.failNext(2, 500);
    await gateway.search({ query: 'policy' });
    expect(gateway.callCount() - before).toBe(5);
  });

  it('an HTML 502 from the edge is retried, then notion_transient', async () => {
    fake.control.failNext(1, 502);
    expect((await direct({ maxRetries: 1 }).me()).workspaceName).toBeTruthy();
    fake.control.failNext(1, 502);
    const err = await failure(() => direct({ maxRetries: 0 }).me());
    expect(err.code).toBe('notion_transient');
  });

  it('network failures are retried, then notion_transient', async () => {
    const closed = await startFakeNotion({ workspace: demoWorkspace() });
    await closed.close();
    const gateway = direct({ baseUrl: closed.url, maxRetries: 2 });
    const err = await failure(() => gateway.me());
    expect(err.code).toBe('notion_transient');
    expect(gateway.callCount()).toBe(3);
  });

  it('a hanging request times out per attempt and is retried', async () => {
    fake.control.setLatency(400);
    try {
      const gateway = direct({ maxRetries: 1, timeoutMs: 150 });
      const err = await failure(() => gateway.me());
      expect(err.code).toBe('notion_transient');
      expect(gateway.callCount()).toBe(2);
    } finally {
      // Let the abandoned requests finish on the fake so they do not leak into the next test's log.
      await new Promise((resolve) => setTimeout(resolve, 500));
      fake.control.setLatency(0);
    }
  });
});

describe('rate limiting', () => {
  /** A limiter that also records the pauses a 429 caused. */
  function recordingLimiter(): { limiter: RateLimiter; pauses: number[] } {
    const inner = openLimiter();
    const pauses: number[] = [];
    return {
      pauses,
      limiter: {
        acquire: () => inner.acquire(),
        pauseFor: (ms) => {
          pauses.push(ms);
          inner.pauseFor(ms);
        },
      },
    };
  }

  it('honours Retry-After on 429 and pauses the connection limiter', async () => {
    const { limiter, pauses } = recordingLimiter();
    const gateway = direct({ limiter, maxRetries: 2 });
    fake.control.setRateLimit({ rps: 2, burst: 2 });
    fake.control.resetLog();
    try {
      const started = Date.now();
      const pages = await Promise.all(
        [DEMO_IDS.securityOverview, DEMO_IDS.incidentResponse, DEMO_IDS.vulnerabilityDisclosure].map((id) =>
          gateway.retrievePage(id),
        ),
      );
      expect(pages).toHaveLength(3);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(pauses).toEqual([1000]);
      const log = fake.control.requests();
      expect(log.filter((r) => r.status === 429)).toHaveLength(1);
      expect(log.filter((r) => r.status === 200)).toHaveLength(3);
    } finally {
      fake.control.setRateLimit(null);
    }
  });

  it('reports notion_rate_limited once retries are used up', async () => {
    fake.control.setRateLimit({ rps: 0.5, burst: 1 });
    try {
      const gateway = direct({ maxRetries: 0 });
      await gateway.me();
      const err = await failure(() => gateway.me());
      expect(err.code).toBe('notion_rate_limited');
      expect(err.details).toMatchObject({ retryAfterMs: 2000 });
    } finally {
      fake.control.setRateLimit(null);
    }
  });

  it('the gateway limiter paces every HTTP attempt', async () => {
    const gateway = direct({
      limiter: createRateLimiter({ rps: 20, burst: 1 }),
    });
    const started = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => gateway.me()));
    // 1 immediately, then 4 more at 20/s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe('through a Nango-style proxy', () => {
  const SECRET = 'nango-secret-key';
  const ACCESS_TOKEN = 'ntn_connection_access_token';
  let proxy: {
    url: string;
    close: () => Promise<void>;
    seen: Array<Record<string, string>>;
  };
  /** When false the proxy drops Nango-Proxy-* headers, like a caller that forgot the prefix. */
  let forwardPrefixed = true;

  beforeAll(async () => {
    const seen: Array<Record<string, string>> = [];
    const app = new Hono();
    app.all('/proxy/*', async (c) => {
      const headers = Object.fromEntries(c.req.raw.headers.entries());
      seen.push(headers);
      if (
        headers.authorization !== `Bearer ${SECRET}` ||
        !headers['connection-id'] ||
        !headers['provider-config-key']
      ) {
        return c.json({ error: { code: 'invalid_headers' } }, 400);
      }
      // Nango starts from the provider's default Notion-Version and lets Nango-Proxy-* override it.
      const outbound: Record<string, string> = {
        'notion-version': '2022-06-28',
      };
      if (forwardPrefixed) {
        for (const [k, v] of Object.entries(headers))
          if (k.startsWith('nango-proxy-')) outbound[k.slice('nango-proxy-'.length)] = v;
      }
      outbound.authorization = `Bearer ${ACCESS_TOKEN}`;
      if (headers['content-type']) outbound['content-type'] = headers['content-type'];
      const target = `${fake.url}${c.req.path.replace(/^\/proxy/, '')}${new URL(c.req.url).search}`;
      const body = c.req.method === 'GET' ? undefined : await c.req.text();
      const upstream = await fetch(target, {
        method: c.req.method,
        headers: outbound,
        body,
      });
      return new Response(await upstream.text(), {
        status: upstream.status,
        headers: upstream.headers,
      });
    });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    proxy = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      seen,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  });

  afterAll(async () => {
    await proxy.close();
  });

  const viaNango = () =>
    createNotionGateway({
      mode: 'nango',
      nangoHost: proxy.url,
      secretKey: SECRET,
      connectionId: 'conn-1',
      providerConfigKey: 'notion',
      limiter: openLimiter(),
      maxRetries: 1,
      retryDelayMs: 5,
    });

  it('sends the connection headers and the prefixed version, never a Retries header', async () => {
    forwardPrefixed = true;
    const gateway = viaNango();
    const result = await gateway.search({ type: 'database' });
    expect(result.results[0]?.id).toBe(DEMO_IDS.securityPoliciesDataSource);
    expect((await gateway.retrieveDatabase(DEMO_IDS.securityPoliciesDatabase)).dataSources).toHaveLength(1);
    const last = proxy.seen.at(-1) ?? {};
    expect(last).toMatchObject({
      'connection-id': 'conn-1',
      'provider-config-key': 'notion',
      'nango-proxy-notion-version': NOTION_API_VERSION,
    });
    expect(Object.keys(last)).not.toContain('retries');
  });

  it('a lost version header falls back to 2022-06-28 and is caught, not silently misread', async () => {
    forwardPrefixed = false;
    try {
      const gateway = viaNango();
      expect((await failure(() => gateway.search({ type: 'database' }))).code).toBe('notion_invalid_request');
      // The legacy database shape has no data_sources and fails validation instead of yielding nothing.
      expect((await failure(() => gateway.retrieveDatabase(DEMO_IDS.securityPoliciesDatabase))).code).toBe(
        'notion_invalid_request',
      );
      expect((await failure(() => gateway.retrieveDataSource(DEMO_IDS.securityPoliciesDataSource))).code).toBe(
        'notion_invalid_request',
      );
    } finally {
      forwardPrefixed = true;
    }
  });
});

describe('fake Notion protocol details', () => {
  it('requires Notion-Version', async () => {
    const res = await fetch(`${fake.url}/v1/users/me`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      object: 'error',
      status: 400,
      code: 'missing_version',
      request_id: expect.any(String),
    });
  });

  it('2022-06-28 uses database search filters and rejects data_source', async () => {
    const legacy = { ...notionHeaders, 'notion-version': '2022-06-28' };
    const bad = await fetch(`${fake.url}/v1/search`, {
      method: 'POST',
      headers: legacy,
      body: JSON.stringify({
        filter: { property: 'object', value: 'data_source' },
      }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'validation_error' });
    const ok = await fetch(`${fake.url}/v1/search`, {
      method: 'POST',
      headers: legacy,
      body: JSON.stringify({
        filter: { property: 'object', value: 'database' },
      }),
    });
    const body = (await ok.json()) as {
      type: string;
      results: Array<Record<string, unknown>>;
    };
    expect(body.type).toBe('page_or_database');
    expect(body.results[0]).toMatchObject({
      object: 'database',
      properties: expect.any(Object),
    });
  });

  it('refuses and records writes (checked on a separate instance)', async () => {
    const other = await startFakeNotion({ workspace: demoWorkspace() });
    try {
      const res = await fetch(`${other.url}/v1/pages/${DEMO_IDS.securityOverview}`, {
        method: 'PATCH',
        headers: notionHeaders,
        body: '{}',
      });
      expect(res.status).toBe(405);
      await fetch(`${other.url}/v1/blocks/${DEMO_IDS.securityOverview}/children`, {
        method: 'PATCH',
        headers: notionHeaders,
        body: '{}',
      });
      await fetch(`${other.url}/v1/comments`, {
        method: 'POST',
        headers: notionHeaders,
        body: '{}',
      });
      const log = (await (await fetch(`${other.url}/__fake/requests`)).json()) as { counters: { writes: number } };
      expect(log.counters.writes).toBe(3);
    } finally {
      await other.close();
    }
  });

  it('HTTP controls drive failures, revocation and the request log', async () => {
    const control = (p: string, body: unknown = {}) =>
      fetch(`${fake.url}/__fake/${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const me = () => fetch(`${fake.url}/v1/users/me`, { headers: notionHeaders });
    expect((await control('reset-log')).status).toBe(200);
    await control('fail-next', { count: 1, status: 503 });
    expect((await me()).status).toBe(503);
    await control('revoke');
    expect((await me()).status).toBe(401);
    await control('unrevoke');
    await control('config', { rateLimit: { rps: 1, burst: 1 } });
    expect((await me()).status).toBe(200);
    const limited = await me();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    await control('config', { rateLimit: null });
    const log = (await (await fetch(`${fake.url}/__fake/requests`)).json()) as {
      counters: { total: number; byStatus: Record<string, number> };
    };
    expect(log.counters).toMatchObject({
      total: 4,
      byStatus: { 200: 1, 401: 1, 429: 1, 503: 1 },
    });
  });

  it('HTTP controls edit a page and bump last_edited_time', async () => {
    const before = await direct().retrievePage(DEMO_IDS.vulnerabilityDisclosure);
    const res = await fetch(`${fake.url}/__fake/pages/${DEMO_IDS.vulnerabilityDisclosure}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Vulnerability Disclosure Policy v2',
        appendParagraph: 'Added later.',
      }),
    });
    expect(res.status).toBe(200);
    const after = await direct().retrievePage(DEMO_IDS.vulnerabilityDisclosure);
    expect(after.title).toBe('Vulnerability Disclosure Policy v2');
    expect(after.lastEditedTime > before.lastEditedTime).toBe(true);
    const children = await direct().listBlockChildren(DEMO_IDS.vulnerabilityDisclosure);
    expect(JSON.stringify(children.results.at(-1))).toContain('Added later.');
  });
});

const SAMPLES = path.resolve(process.cwd(), '../shared/notion-samples');
const samplesExist = existsSync(SAMPLES);

describe.skipIf(!samplesExist)(
  'fake responses have the same top-level keys as real recordings (../shared/notion-samples)',
  () => {
    const sample = (name: string) =>
      JSON.parse(readFileSync(path.join(SAMPLES, name), 'utf8')) as Record<string, unknown>;
    const keys = (o: unknown) => Object.keys(o as Record<string, unknown>).sort();
    const get = async (p: string, init: RequestInit = {}) =>
      (await (await fetch(`${fake.url}${p}`, { headers: notionHeaders, ...init })).json()) as Record<string, unknown>;

    it('page, block, database, data source, users/me', async () => {
      expect(keys(await get(`/v1/pages/${DEMO_IDS.incidentResponse}`))).toEqual(
        keys(sample('v2025_page_retrieve_workspace_child.json')),
      );
      const children = await get(`/v1/blocks/${DEMO_IDS.incidentResponse}/children`);
      const paragraph = (children.results as Array<Record<string, unknown>>).find((b) => b.type === 'paragraph');
      expect(keys(await get(`/v1/blocks/${String(paragraph?.id)}`))).toEqual(
        keys(sample('v2025_block_paragraph_date_mention.json')),
      );
      expect(keys(await get(`/v1/databases/${DEMO_IDS.securityPoliciesDatabase}`))).toEqual(
        keys(sample('v2025_database_retrieve.json')),
      );
      expect(keys(await get(`/v1/data_sources/${DEMO_IDS.securityPoliciesDataSource}`))).toEqual(
        keys(sample('v2025_data_source_retrieve.json')),
      );
      const me = await get('/v1/users/me');
      const realMe = sample('v2025_users_me_bot_internal.json');
      expect(keys(me)).toEqual(keys(realMe));
      expect(keys(me.bot)).toEqual(keys(realMe.bot));
    });

    it('lists: search, block children, data source query', async () => {
      const search = await get('/v1/search', {
        method: 'POST',
        body: JSON.stringify({
          page_size: 1,
          filter: { property: 'object', value: 'page' },
        }),
      });
      const realSearch = sample('v2025_search_no_filter_one_page.json');
      expect(keys(search)).toEqual(keys(realSearch));
      expect(keys((search.results as unknown[])[0])).toEqual(keys((realSearch.results as unknown[])[0]));
      const children = await get(`/v1/blocks/${DEMO_IDS.incidentResponse}/children?page_size=1`);
      const realChildren = sample('v2025_block_children_page1_of3.json');
      expect(keys(children)).toEqual(keys(realChildren));
      expect(keys((children.results as unknown[])[0])).toEqual(keys((realChildren.results as unknown[])[0]));
      const query = await get(`/v1/data_sources/${DEMO_IDS.securityPoliciesDataSource}/query`, {
        method: 'POST',
        body: '{}',
      });
      expect(keys(query)).toEqual(keys(sample('v2025_data_source_query_empty.json')));
    });

    it('errors', async () => {
      expect(keys(await get('/v1/pages/00000000-0000-4000-8000-000000000000'))).toEqual(
        keys(sample('v2025_error_404_object_not_found.json')),
      );
      const unauthorized = await (
        await fetch(`${fake.url}/v1/users/me`, {
          headers: { ...notionHeaders, authorization: 'Bearer ' },
        })
      ).json();
      expect(keys(unauthorized)).toEqual(keys(sample('v2025_error_401_unauthorized.json')));
      expect(keys(await get('/v1/no-such-endpoint'))).toEqual(keys(sample('v2025_error_400_invalid_request_url.json')));
    });

    it('the 2022-06-28 database keeps the legacy keys', async () => {
      const legacy = await get(`/v1/databases/${DEMO_IDS.securityPoliciesDatabase}`, {
        headers: { ...notionHeaders, 'notion-version': '2022-06-28' },
      });
      for (const key of keys(sample('v2022_database_object_legacy.json'))) expect(legacy).toHaveProperty(key);
      expect(legacy).not.toHaveProperty('data_sources');
    });
  },
);
