import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectAssets, convertBlocks, pickAttachment } from './index.ts';
import { isInTrash, pageCover, pageIcon, pageTitle } from './page-meta.ts';
import type { BlockNode, NotionBlock } from './types.ts';

const SAMPLES_DIR = path.resolve(process.cwd(), '../shared/notion-samples');
const exists = existsSync(SAMPLES_DIR);
const files = exists
  ? readdirSync(SAMPLES_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];

type Json = Record<string, unknown>;

function load(file: string): unknown {
  return JSON.parse(readFileSync(path.join(SAMPLES_DIR, file), 'utf8'));
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBlock(value: unknown): value is NotionBlock {
  return isObject(value) && value.object === 'block' && typeof value.id === 'string' && typeof value.type === 'string';
}

/**
 * Tree samples store each container's listing under `children_by_parent_id[<id>]`, as the fetcher would
 * get it from GET /blocks/{id}/children. Duplicate synced blocks are listed via their source block.
 */
function buildTree(roots: readonly NotionBlock[], byParent: Record<string, NotionBlock[]>): BlockNode[] {
  const build = (block: NotionBlock): BlockNode => {
    const synced =
      isObject(block.synced_block) && isObject(block.synced_block.synced_from)
        ? block.synced_block.synced_from.block_id
        : undefined;
    const listed = byParent[block.id] ?? (typeof synced === 'string' ? byParent[synced] : undefined) ?? [];
    return {
      block,
      children: block.type === 'child_page' ? [] : listed.map(build),
    };
  };
  return roots.map(build);
}

/** BlockNode trees for the samples that hold blocks; null for other recordings (pages, users, errors, ...). */
function treeOf(sample: unknown): BlockNode[] | null {
  if (isBlock(sample)) return [{ block: sample, children: [] }];
  if (!isObject(sample)) return null;
  const byParent = (isObject(sample.children_by_parent_id) ? sample.children_by_parent_id : {}) as Record<
    string,
    NotionBlock[]
  >;
  if (typeof sample.root_page_id === 'string') return buildTree(byParent[sample.root_page_id] ?? [], byParent);
  if (Array.isArray(sample.root_blocks)) return buildTree(sample.root_blocks.filter(isBlock), byParent);
  if (isBlock(sample.root_block)) return buildTree([sample.root_block], byParent);
  if (sample.object === 'list' && Array.isArray(sample.results) && sample.results.some(isBlock)) {
    return sample.results.filter(isBlock).map((block) => ({ block, children: [] }));
  }
  return null;
}

/** Rich text samples (an item or an array of items) wrapped in a paragraph block. */
function richTextTree(sample: unknown): BlockNode[] | null {
  const items = Array.isArray(sample) ? sample : [sample];
  if (!items.every((i) => isObject(i) && typeof i.plain_text === 'string' && 'annotations' in i)) return null;
  return [
    {
      block: {
        id: 'sample-paragraph',
        type: 'paragraph',
        paragraph: { rich_text: items },
      },
      children: [],
    },
  ];
}

function containsText(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsText);
  if (!isObject(value)) return false;
  if (typeof value.plain_text === 'string' && value.plain_text.trim() !== '') return true;
  if (typeof value.url === 'string' || typeof value.title === 'string' || typeof value.expression === 'string')
    return true;
  return Object.values(value).some(containsText);
}

const NAVIGATION = new Set(['breadcrumb', 'table_of_contents']);

describe.skipIf(!exists)(
  `Notion sample recordings${exists ? '' : ' (skipped: ../shared/notion-samples not found)'}`,
  () => {
    it('finds the recordings', () => {
      expect(files.length).toBeGreaterThan(0);
    });

    describe.each(files)('%s', (file) => {
      const sample = load(file);
      const tree = treeOf(sample) ?? richTextTree(sample);

      it('converts without throwing and yields output where there is text', () => {
        if (tree === null) return;
        const result = convertBlocks(tree);
        const onlyNavigation = tree.every((n) => NAVIGATION.has(n.block.type));
        if (containsText(tree.map((n) => n.block)) && !onlyNavigation) expect(result.markdown.trim()).not.toBe('');
        if (onlyNavigation) expect(result.markdown).toBe('');
        expect(() => collectAssets(tree)).not.toThrow();
        expect(() => pickAttachment(tree)).not.toThrow();
        for (const w of result.warnings) expect(w.code).toMatch(/^[a-z_]+$/);
      });

      it('page metadata helpers accept it', () => {
        const objects = Array.isArray(sample)
          ? sample
          : isObject(sample) && Array.isArray(sample.results)
            ? sample.results
            : [sample];
        for (const obj of objects) {
          expect(pageTitle(obj)).not.toBe('');
          expect(() => [pageIcon(obj), pageCover(obj), isInTrash(obj)]).not.toThrow();
        }
      });
    });

    it('renders the all-types page (snapshot)', () => {
      const tree = treeOf(load('v2022_page_full_block_tree_all_types.json'));
      expect(tree).not.toBeNull();
      const result = convertBlocks(tree as BlockNode[]);
      expect(result.markdown).toMatchSnapshot();
      expect(result.warnings.map((w) => `${w.blockType}:${w.code}`)).toMatchSnapshot();
      expect(pickAttachment(tree as BlockNode[])).toMatchObject({
        kind: 'pdf',
        name: 'dummy.pdf',
        source: 'external',
      });
    });

    it('reads real page, database and data source metadata', () => {
      const page = load('v2022_page_retrieve_workspace_root.json');
      expect(pageTitle(page)).toBe('Notion Renderer');
      expect(pageIcon(page)).toEqual({ type: 'emoji', emoji: '🧸' });
      expect(isInTrash(load('v2025_block_child_page_trashed.json'))).toBe(true);
    });
  },
);
