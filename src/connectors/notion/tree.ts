import type { BlockNode, NotionBlock } from './convert/types.ts';
import { notionErrorKind } from './errors.ts';
import type { NotionGateway } from './gateway.ts';

const PAGE_SIZE = 100;
const DEFAULT_MAX_DEPTH = 64;

/** Sub-pages and inline databases are documents of their own; their content is not part of this page. */
const SEPARATE_DOCUMENT_TYPES = new Set(['child_page', 'child_database']);

function syncedOriginalId(block: NotionBlock): string | null {
  if (block.type !== 'synced_block') return null;
  const payload = block.synced_block as { synced_from?: { block_id?: unknown } | null } | undefined;
  const id = payload?.synced_from?.block_id;
  return typeof id === 'string' ? id : null;
}

/**
 * The container whose children make up `block`'s children, or null when there is nothing to fetch.
 * A duplicate synced block shows the original's content, so its children are listed from the original.
 */
function childSource(block: NotionBlock): string | null {
  if (block.has_children !== true || SEPARATE_DOCUMENT_TYPES.has(block.type)) return null;
  return syncedOriginalId(block) ?? block.id;
}

const DEFAULT_CONCURRENCY = 32;

/** At most `limit` tasks at once; a finishing task hands its slot straight to the next waiter. */
function semaphore(limit: number) {
  let active = 0;
  const queue: Array<() => void> = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else active -= 1;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active < limit) active += 1;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}

export interface FetchBlockTreeOptions {
  /**
   * Containers listed at once. The rate limiter sets the pace either way; this bound keeps one large page
   * from filling the connection's queue ahead of other jobs (a sync's calls wait behind it, first come,
   * first served).
   */
  concurrency?: number;
  /** Nesting guard: deeper blocks are kept but their children are not fetched. */
  maxDepth?: number;
}

/**
 * Fetches a page's whole block tree with the fewest possible calls: one list call per 100 children
 * of each container, siblings' children fetched in parallel, and no container ever listed twice
 * (several duplicates of one synced block share the original's children).
 */
export async function fetchBlockTree(
  gateway: NotionGateway,
  pageId: string,
  options: FetchBlockTreeOptions = {},
): Promise<BlockNode[]> {
  const limit = semaphore(options.concurrency ?? DEFAULT_CONCURRENCY);
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const listed = new Map<string, Promise<BlockNode[]>>();

  async function listAll(containerId: string): Promise<NotionBlock[]> {
    const out: NotionBlock[] = [];
    let cursor: string | undefined;
    do {
      const after = cursor;
      const page = await limit(() => gateway.listBlockChildren(containerId, after));
      out.push(...page.results);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return out;
  }

  async function buildChildren(block: NotionBlock, depth: number): Promise<BlockNode[]> {
    const source = childSource(block);
    if (source === null || depth > maxDepth) return [];
    if (source === block.id) return subtree(source, depth);
    // The original of a synced block may live in a page that is not shared with the integration.
    return subtree(source, depth).catch((err: unknown) => {
      const kind = notionErrorKind(err);
      if (kind === 'notion_not_found' || kind === 'notion_forbidden') return [];
      throw err;
    });
  }

  function subtree(containerId: string, depth: number): Promise<BlockNode[]> {
    let pending = listed.get(containerId);
    if (!pending) {
      pending = listAll(containerId).then((children) =>
        Promise.all(
          children.map(async (child) => ({
            block: child,
            children: await buildChildren(child, depth + 1),
          })),
        ),
      );
      listed.set(containerId, pending);
    }
    return pending;
  }

  return subtree(pageId, 1);
}

/**
 * The fewest list calls that can produce `tree` (the page's own listing included): one per started
 * hundred children of every distinct container that had to be listed.
 */
export function countMinimumCalls(tree: BlockNode[]): number {
  const seen = new Set<string>();
  const calls = (count: number) => Math.max(1, Math.ceil(count / PAGE_SIZE));
  const walk = (nodes: BlockNode[]): number =>
    nodes.reduce((sum, node) => {
      const source = childSource(node.block);
      if (source === null || seen.has(source)) return sum;
      seen.add(source);
      return sum + calls(node.children.length) + walk(node.children);
    }, 0);
  return calls(tree.length) + walk(tree);
}
