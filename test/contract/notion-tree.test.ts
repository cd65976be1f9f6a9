import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlockNode } from '../../src/connectors/notion/convert/types.ts';
import { createNotionGateway, type NotionGateway } from '../../src/connectors/notion/gateway.ts';
import { createRateLimiter } from '../../src/connectors/notion/rate-limiter.ts';
import { countMinimumCalls, fetchBlockTree } from '../../src/connectors/notion/tree.ts';
import {
  b,
  fakeId,
  generateNestedPage,
  startFakeNotion,
  type BlockSpec,
  type FakeNotion,
  type PageSpec,
} from '../../src/sandbox/fake-notion/index.ts';

const nested = generateNestedPage({ blocks: 700 });
const ORIGINAL = fakeId('tree:synced-original');
const HIDDEN_ORIGINAL = fakeId('tree:synced-hidden');
const SUBPAGE = fakeId('tree:subpage');
const INLINE_DB = fakeId('tree:inline-db');

const host: PageSpec = {
  id: fakeId('tree:host'),
  title: 'Synced host',
  children: [
    b.syncedOriginal(ORIGINAL, [
      b.paragraph('Shared contact line'),
      b.bullet('Escalation', [b.paragraph('Page the on-call')]),
    ]),
  ],
};
const privatePage: PageSpec = {
  id: fakeId('tree:private'),
  title: 'Private notes',
  shared: false,
  children: [b.syncedOriginal(HIDDEN_ORIGINAL, [b.paragraph('Not visible to the integration')])],
};
const consumer: PageSpec = {
  id: fakeId('tree:consumer'),
  title: 'Synced consumer',
  children: [
    b.syncedDuplicate(ORIGINAL),
    b.toggle('Details', [b.paragraph('Inside the toggle'), b.syncedDuplicate(ORIGINAL)]),
    b.syncedDuplicate(HIDDEN_ORIGINAL),
    b.childPage({
      id: SUBPAGE,
      title: 'Sub page',
      children: [b.paragraph('Separate document')],
    }),
    b.childDatabase({
      id: INLINE_DB,
      dataSourceId: fakeId('tree:inline-ds'),
      title: 'Inline',
      schema: { Name: { type: 'title', title: {} } },
      rows: [],
    }),
  ],
};

let fake: FakeNotion;

const gateway = (): NotionGateway =>
  createNotionGateway({
    mode: 'direct',
    token: 'tree-token',
    baseUrl: fake.url,
    limiter: createRateLimiter({ rps: 10_000, burst: 10_000 }),
    maxRetries: 0,
  });

/** Wraps a gateway to measure how many child listings run at the same time. */
function measured(inner: NotionGateway): {
  gateway: NotionGateway;
  maxInFlight: () => number;
} {
  let inFlight = 0;
  let max = 0;
  return {
    maxInFlight: () => max,
    gateway: {
      ...inner,
      listBlockChildren: async (id, cursor) => {
        inFlight += 1;
        max = Math.max(max, inFlight);
        try {
          return await inner.listBlockChildren(id, cursor);
        } finally {
          inFlight -= 1;
        }
      },
    },
  };
}

/** Expected list calls computed from the fixture itself (independent of tree.ts). */
function callsForSpec(children: BlockSpec[]): number {
  const own = Math.max(1, Math.ceil(children.length / 100));
  return own + children.reduce((sum, child) => sum + (child.children?.length ? callsForSpec(child.children) : 0), 0);
}

const countNodes = (nodes: BlockNode[]): number => nodes.reduce((n, node) => n + 1 + countNodes(node.children), 0);

const childListings = () =>
  fake.control.requests().filter((r) => r.method === 'GET' && /^\/v1\/blocks\/[^/]+\/children$/.test(r.path));

beforeAll(async () => {
  fake = await startFakeNotion({
    workspace: {
      workspaceName: 'Tree tests',
      workspaceId: fakeId('tree:ws'),
      botId: fakeId('tree:bot'),
      botName: 'Trust Center',
      ownerUserId: fakeId('tree:owner'),
      ownerName: 'Owner',
      pages: [nested, host, privatePage, consumer],
    },
  });
});

afterAll(async () => {
  expect(fake.control.writeAttempts()).toEqual([]);
  await fake.close();
});

beforeEach(() => {
  fake.control.resetLog();
});

describe('fetchBlockTree', () => {
  it('fetches a 700-block nested page with exactly the minimum number of calls', async () => {
    const { gateway: g, maxInFlight } = measured(gateway());
    const tree = await fetchBlockTree(g, nested.id);

    expect(countNodes(tree)).toBe(700);
    const expected = callsForSpec(nested.children ?? []);
    const listings = childListings();
    expect(listings).toHaveLength(expected);
    expect(countMinimumCalls(tree)).toBe(expected);
    // Never the same call twice, and every call asks for full pages.
    const keys = listings.map((r) => `${r.path}${r.query}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(listings.every((r) => r.query.includes('page_size=100'))).toBe(true);
    // Siblings' children are fetched in parallel.
    expect(maxInFlight()).toBeGreaterThan(1);
  });

  it('keeps the block order and nesting of the page', async () => {
    const tree = await fetchBlockTree(gateway(), nested.id);
    const bigToggle = tree.find((n) => n.block.type === 'toggle' && JSON.stringify(n.block).includes('Large toggle'));
    expect(bigToggle?.children).toHaveLength(150);
    expect(JSON.stringify(bigToggle?.children[149]?.block)).toContain('Large toggle item 149');
    const section = tree.find((n) => n.block.type === 'toggle' && n.children[0]?.block.type === 'bulleted_list_item');
    expect(section?.children[0]?.children).toHaveLength(2);
  });

  it('honours a concurrency bound without extra calls', async () => {
    const { gateway: g, maxInFlight } = measured(gateway());
    const tree = await fetchBlockTree(g, nested.id, { concurrency: 1 });
    expect(maxInFlight()).toBe(1);
    expect(childListings()).toHaveLength(countMinimumCalls(tree));
  });

  it('reads synced duplicates from the original once, tolerates unshared originals, and skips sub-documents', async () => {
    const tree = await fetchBlockTree(gateway(), consumer.id);
    const [first, toggle, hidden, subpage, database] = tree;

    expect(first?.children.map((c) => c.block.type)).toEqual(['paragraph', 'bulleted_list_item']);
    expect(first?.children[1]?.children).toHaveLength(1);
    expect(toggle?.children[1]?.children).toEqual(first?.children);
    expect(hidden?.children).toEqual([]);
    expect(subpage?.block.type).toBe('child_page');
    expect(subpage?.children).toEqual([]);
    expect(database?.children).toEqual([]);

    const paths = childListings().map((r) => r.path);
    expect(paths.filter((p) => p.includes(ORIGINAL))).toHaveLength(1);
    expect(paths.some((p) => p.includes(SUBPAGE) || p.includes(INLINE_DB))).toBe(false);
    expect(childListings().filter((r) => r.status === 404)).toHaveLength(1);
    // consumer + original + its bullet + toggle + hidden original (404)
    expect(paths).toHaveLength(5);
    expect(countMinimumCalls(tree)).toBe(5);
  });

  it('propagates failures other than an unreachable synced original', async () => {
    fake.control.revoke();
    try {
      await expect(fetchBlockTree(gateway(), consumer.id)).rejects.toMatchObject({ code: 'notion_unauthorized' });
    } finally {
      fake.control.unrevoke();
    }
  });
});
