import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { convertBlocks } from './index.ts';
import type { BlockNode, NotionBlock } from './types.ts';

function parse(markdown: string): Root {
  return fromMarkdown(markdown, {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()],
  });
}

/** Everything a reader sees as text: text, inline/block code and image alt text, in document order. */
function readableText(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code') return node.value;
  if (node.type === 'image') return node.alt ?? '';
  return 'children' in node ? node.children.map((c) => readableText(c as Nodes)).join(' ') : '';
}

const squash = (s: string): string => s.replace(/\s+/g, '');

interface Segment {
  blockId: string;
  text: string;
}

/** Every non-equation rich text segment in the tree (equations go to a math renderer verbatim). */
function segments(nodes: readonly BlockNode[]): Segment[] {
  const out: Segment[] = [];
  const visit = (value: unknown, blockId: string): void => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v, blockId));
    if (typeof value !== 'object' || value === null) return;
    const item = value as Record<string, unknown>;
    if (typeof item.plain_text === 'string' && 'annotations' in item) {
      if (item.type !== 'equation' && item.plain_text.trim() !== '') out.push({ blockId, text: item.plain_text });
      return;
    }
    Object.values(item).forEach((v) => visit(v, blockId));
  };
  for (const node of nodes) {
    const { block } = node;
    if (block.type !== 'template') visit(block[block.type], block.id);
    out.push(...segments(node.children));
  }
  return out;
}

function fixture(name: string): BlockNode[] {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as BlockNode[];
}

function expectAllReadable(tree: BlockNode[]): void {
  const { markdown } = convertBlocks(tree);
  const visible = squash(readableText(parse(markdown)));
  const missing = segments(tree).filter((s) => !visible.includes(squash(s.text)));
  expect(missing, markdown).toEqual([]);
}

describe('every rich text segment stays readable after Markdown parsing', () => {
  it.each([
    'special-chars.json',
    'rich-text.json',
    'text.json',
    'lists.json',
    'table.json',
    'code.json',
    'media.json',
    'layout.json',
  ])('%s', (name) => {
    expectAllReadable(fixture(name));
  });

  it('Markdown-special characters render literally, not as syntax', () => {
    const tree = parse(convertBlocks(fixture('special-chars.json')).markdown);
    const types = new Set<string>();
    const collect = (node: Nodes): void => {
      types.add(node.type);
      if ('children' in node) node.children.forEach((c) => collect(c as Nodes));
    };
    collect(tree);
    // Only the blocks the fixture really has (a heading, a list, a quote, emphasis/code in the last paragraph).
    expect([...types].sort()).toEqual([
      'blockquote',
      'emphasis',
      'heading',
      'inlineCode',
      'link',
      'list',
      'listItem',
      'paragraph',
      'root',
      'strong',
      'text',
    ]);
  });

  const samples = path.resolve(process.cwd(), '../shared/notion-samples');
  it.skipIf(!existsSync(samples))(
    'the all-types sample page (skipped when ../shared/notion-samples is missing)',
    () => {
      const sample = JSON.parse(
        readFileSync(path.join(samples, 'v2022_page_full_block_tree_all_types.json'), 'utf8'),
      ) as {
        root_page_id: string;
        children_by_parent_id: Record<string, NotionBlock[]>;
      };
      const build = (block: NotionBlock): BlockNode => ({
        block,
        children: (sample.children_by_parent_id[block.id] ?? []).map(build),
      });
      expectAllReadable((sample.children_by_parent_id[sample.root_page_id] ?? []).map(build));
    },
  );
});

// Deterministic pseudo-random rich text: adjacent runs with every mix of annotations and hostile characters.
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const ALPHABET = [...'ab Z1.)(*_~`#|<>[]!\\&$-+=:"é日', '😀', '\n', '\u00a0', ' '];

interface Marked {
  ch: string;
  marks: string;
}

function expectedMarks(items: readonly Record<string, unknown>[]): Marked[] {
  const out: Marked[] = [];
  for (const item of items) {
    const a = item.annotations as Record<string, boolean>;
    const marks = `${a.bold ? 'B' : ''}${a.italic ? 'I' : ''}${a.strikethrough ? 'S' : ''}${a.code ? 'C' : ''}${(item.href as string | null) ?? ''}`;
    for (const ch of item.plain_text as string) if (!/\s/.test(ch)) out.push({ ch, marks });
  }
  return out;
}

function parsedMarks(markdown: string): Marked[] {
  const out: Marked[] = [];
  const walk = (node: Nodes, b: boolean, i: boolean, s: boolean, href: string): void => {
    const bold = b || node.type === 'strong';
    const italic = i || node.type === 'emphasis';
    const strike = s || node.type === 'delete';
    const link = node.type === 'link' ? node.url : href;
    if (node.type === 'text' || node.type === 'inlineCode') {
      const marks = `${bold ? 'B' : ''}${italic ? 'I' : ''}${strike ? 'S' : ''}${node.type === 'inlineCode' ? 'C' : ''}${link}`;
      for (const ch of node.value) if (!/\s/.test(ch)) out.push({ ch, marks });
      return;
    }
    if ('children' in node) node.children.forEach((c) => walk(c as Nodes, bold, italic, strike, link));
  };
  walk(parse(markdown), false, false, false, '');
  return out;
}

describe('annotation fidelity (seeded random rich text)', () => {
  const random = generator(20260704);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const item = (): Record<string, unknown> => {
    let text = '';
    const length = 1 + Math.floor(random() * 6);
    for (let k = 0; k < length; k++) text += pick(ALPHABET);
    const href = random() < 0.1 ? `https://example.com/${Math.floor(random() * 3)}` : null;
    const annotations = {
      bold: random() < 0.4,
      italic: random() < 0.4,
      strikethrough: random() < 0.25,
      underline: random() < 0.2,
      code: random() < 0.15,
      color: 'default',
    };
    return {
      type: 'text',
      text: { content: text, link: href ? { url: href } : null },
      annotations,
      plain_text: text,
      href,
    };
  };
  const containers = ['paragraph', 'bulleted_list_item', 'heading_2', 'quote', 'table'] as const;

  it('keeps every character with exactly its bold/italic/strike/code/link marks', () => {
    const failures: string[] = [];
    for (let n = 0; n < 600; n++) {
      const items = Array.from({ length: 1 + Math.floor(random() * 5) }, item);
      const type = pick(containers);
      const node: BlockNode =
        type === 'table'
          ? {
              block: {
                id: 't',
                type: 'table',
                has_children: true,
                table: {
                  table_width: 1,
                  has_column_header: true,
                  has_row_header: false,
                },
              },
              children: [
                {
                  block: {
                    id: 'r',
                    type: 'table_row',
                    table_row: { cells: [items] },
                  },
                  children: [],
                },
              ],
            }
          : {
              block: { id: 'p', type, [type]: { rich_text: items } },
              children: [],
            };
      const markdown = convertBlocks([node]).markdown;
      const expected = expectedMarks(items);
      const actual = parsedMarks(markdown);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) failures.push(markdown);
    }
    expect(failures).toEqual([]);
  });
});
