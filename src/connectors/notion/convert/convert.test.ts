import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectAssets, convertBlocks, pickAttachment } from './index.ts';
import { isInTrash, notionUrlForId, pageCover, pageIcon, pageTitle } from './page-meta.ts';
import type { BlockNode } from './types.ts';
import { renderMarkdownSafe } from '../../../documents/render-markdown.ts';
import { escapeText } from './blocks/escape.ts';

function fixture<T = BlockNode[]>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as T;
}

function convert(name: string) {
  return convertBlocks(fixture(name));
}

function codes(result: ReturnType<typeof convertBlocks>): string[] {
  return result.warnings.map((w) => `${w.blockType}:${w.code}`);
}

describe('text blocks', () => {
  const result = convert('text.json');
  const md = result.markdown;

  it('renders paragraphs, skips empty ones and turns soft line breaks into hard breaks', () => {
    expect(md.startsWith('Plain paragraph.\n\nLine one\\\nline two\n\n')).toBe(true);
  });

  it('renders a paragraph’s children after it', () => {
    expect(md).toContain('Parent paragraph\n\nIndented child\n');
  });

  it('renders heading_1..heading_4 and puts toggleable heading children after the heading', () => {
    expect(md).toContain('# Heading one\n\n## Heading two\n\n### Heading three\n\n#### Heading four\n');
    expect(md).toContain('## Toggle heading\n\nHidden under heading\n');
  });

  it('keeps quote and callout children inside the blockquote', () => {
    expect(md).toContain('> Quoted text\n>\n> Quoted child\n');
    expect(md).toContain('> 💡 Callout text\n>\n> Callout child\n');
    expect(md).toContain('> No emoji callout\n');
  });

  it('renders toggles as a bold summary line followed by their content', () => {
    expect(md).toContain('▸ **Do you encrypt data at rest?**\n\nYes, with AES-256.\n');
  });

  it('omits template buttons with a warning', () => {
    expect(md).not.toContain('Add a new item');
    expect(codes(result)).toEqual(['template:template_omitted']);
  });
});

describe('lists', () => {
  const md = convert('lists.json').markdown;

  it('nests bulleted items by indentation and keeps the list tight', () => {
    expect(md).toContain('- Apple\n  - Green apple\n- Banana\n');
  });

  it('numbers items, nests children under the content column and loosens only around block children', () => {
    expect(md).toContain(
      '1. First\n2. Second\n   1. Second point one\n   2. Second point two\n3. Third\n\n   Third details\n\n4. Fourth\n',
    );
  });

  it('restarts numbering after a break, switching delimiter when the lists would otherwise merge', () => {
    expect(md).toContain('4. Fourth\n\n1) Restarted one\n');
  });

  it('honours list_start_index', () => {
    expect(md).toContain('5. Starts at five\n6. Six\n');
  });

  it('renders to_do items as task list items', () => {
    expect(md).toContain('- [ ] Open task\n- [x] Done task\n  - [ ] Nested open\n');
  });

  it('keeps an empty to-do a checkbox (GFM reads a bare `- [ ]` as a bullet saying "[ ]")', () => {
    const todo = (checked: boolean) => ({
      block: { id: `t${checked}`, type: 'to_do', to_do: { rich_text: [], checked } },
      children: [],
    });
    const out = convertBlocks([todo(false), todo(true)]).markdown;
    expect(out).toBe('- [ ] &nbsp;\n- [x] &nbsp;\n');
    expect(renderMarkdownSafe(out).trim()).toBe(
      '<ul>\n<li><input type="checkbox" disabled /> \u00a0</li>\n<li><input type="checkbox" disabled checked /> \u00a0</li>\n</ul>',
    );
  });

  it('separates a nested list that may not interrupt the item paragraph', () => {
    expect(md).toContain('- Bullet with numbered child\n\n  7. Child at seven\n-\n');
  });
});

describe('code and equations', () => {
  const md = convert('code.json').markdown;

  it('concatenates rich text parts, picks a longer fence than any backtick run and keeps the caption', () => {
    expect(md).toContain('````typescript\nconst a = "```";\nconsole.log(a);\n````\n\nExample caption\n');
  });

  it('maps Notion language names to fence identifiers', () => {
    expect(md).toContain('```\nplain\n```');
    expect(md).toContain('```cpp\nint main() {}\n```');
  });

  it('renders block equations as $$ blocks', () => {
    expect(md).toContain('$$\nE = mc^2\n$$\n');
  });
});

describe('tables', () => {
  const md = convert('table.json').markdown;

  it('uses the column header, bolds row headers and escapes pipes in text and code', () => {
    expect(md).toContain(
      [
        '| Control | Status | Notes |',
        '| --- | --- | --- |',
        '| **Encryption** | **Done** | a \\| b |',
        '| **Backups** |  | `x\\|y` line break |',
      ].join('\n'),
    );
  });

  it('emits an empty header row for tables without a column header', () => {
    expect(md).toContain(['|  |  |', '| --- | --- |', '| r1c1 | r1c2 |', '| r2c1 | r2c2 |'].join('\n'));
  });
});

describe('media and link blocks', () => {
  const tree = fixture('media.json');
  const result = convertBlocks(tree);

  it('renders images with the caption as alt text and visible caption', () => {
    expect(result.markdown).toMatch(
      /^!\[Architecture diagram\]\(https:\/\/prod-files-secure[^)]*diagram\.png[^)]*\)\n\nArchitecture diagram\n/,
    );
    expect(result.markdown).toContain('![](https://example.com/logo.svg)');
  });

  it('labels file links with the file name, then caption or URL file name', () => {
    expect(result.markdown).toMatch(/\[SOC 2 Report\.pdf\]\([^)]+\) — Signed copy\n/);
    expect(result.markdown).toContain('[iso27001.pdf](https://example.com/docs/iso27001.pdf)');
    expect(result.markdown).toContain('[Walkthrough](https://youtu.be/abc123)');
  });

  it('renders bookmark/embed/link_preview as links and drops unsafe URLs with a warning', () => {
    expect(result.markdown).toContain('[Status page](https://status.example.com/)');
    expect(result.markdown).toContain('[https://example.com/embed?x=1\\&y=2](https://example.com/embed?x=1&y=2)');
    expect(result.markdown).toContain(
      '[https://github.com/example/repo/pull/1](https://github.com/example/repo/pull/1)',
    );
    expect(result.markdown).not.toContain('javascript:');
    expect(codes(result)).toContain('bookmark:unsafe_link');
  });

  it('warns about every Notion-hosted URL that was not re-hosted', () => {
    expect(codes(result).filter((c) => c.endsWith(':expiring_url'))).toEqual([
      'image:expiring_url',
      'file:expiring_url',
      'pdf:expiring_url',
      'audio:expiring_url',
    ]);
  });

  it('uses re-hosted URLs when given', () => {
    const hosted = collectAssets(tree);
    const assetUrls = new Map(hosted.map((a) => [a.blockId, `https://cdn.example.com/${a.name.replaceAll(' ', '-')}`]));
    const rehosted = convertBlocks(tree, { assetUrls });
    expect(rehosted.markdown).not.toContain('prod-files-secure');
    expect(rehosted.markdown).toContain('[SOC 2 Report.pdf](https://cdn.example.com/SOC-2-Report.pdf) — Signed copy');
    expect(codes(rehosted).some((c) => c.endsWith(':expiring_url'))).toBe(false);
  });

  it('collects only Notion-hosted assets, with names and expiry times', () => {
    const hosted = collectAssets(tree);
    expect(hosted.map((a) => [a.kind, a.name, a.source])).toEqual([
      ['image', 'diagram.png', 'file'],
      ['file', 'SOC 2 Report.pdf', 'file'],
      ['pdf', 'pen-test.pdf', 'file'],
      ['audio', 'briefing.mp3', 'file'],
    ]);
    expect(hosted[0]?.expiryTime).toBe('2026-07-04T10:25:00.000Z');
    expect(result.assets.filter((a) => a.source === 'external').map((a) => a.kind)).toEqual(['image', 'pdf', 'video']);
  });

  it('picks the first pdf as attachment, else the first file, else nothing', () => {
    expect(pickAttachment(tree)).toMatchObject({
      kind: 'pdf',
      name: 'iso27001.pdf',
      source: 'external',
    });
    const withoutPdf = tree.filter((n) => n.block.type !== 'pdf');
    expect(pickAttachment(withoutPdf)).toMatchObject({
      kind: 'file',
      name: 'SOC 2 Report.pdf',
    });
    expect(pickAttachment(fixture('text.json'))).toBeUndefined();
  });

  it('finds attachments nested depth-first', () => {
    const pdf = tree.find((n) => n.block.type === 'pdf') as BlockNode;
    const file = tree.find((n) => n.block.type === 'file') as BlockNode;
    const nested: BlockNode[] = [
      {
        block: { id: 'x', type: 'toggle', toggle: { rich_text: [] } },
        children: [file, pdf],
      },
    ];
    expect(pickAttachment(nested)?.blockId).toBe(pdf.block.id);
  });
});

describe('layout and navigation blocks', () => {
  const result = convert('layout.json');
  const md = result.markdown;

  it('renders columns and synced blocks in sequence', () => {
    expect(md.startsWith('Left column\n\nRight column\n\nOriginal synced text\n\n')).toBe(true);
  });

  it('links child pages, child databases and link_to_page targets to notion.so', () => {
    expect(md).toMatch(/\[Security Policy\]\(https:\/\/www\.notion\.so\/[0-9a-f]{32}\)/);
    expect(md).toMatch(/\[Untitled\]\(https:\/\/www\.notion\.so\/[0-9a-f]{32}\)/);
    expect(md).toContain('[Linked page](https://www.notion.so/61b88b0c2fe5489fb3e6d186b11e16e5)');
    expect(md).toContain('[Linked database](https://www.notion.so/a1d8501e1ac143e9a6bdea9fe6c8822b)');
  });

  it('renders dividers and omits breadcrumb/table_of_contents silently', () => {
    expect(md).toContain('\n---\n');
    expect(codes(result).some((c) => c.startsWith('breadcrumb') || c.startsWith('table_of_contents'))).toBe(false);
  });

  it('renders tab panes under bold titles', () => {
    expect(md).toContain('**Overview**\n\nOverview pane\n\n**Details**\n\n- Detail item\n');
  });

  it('renders meeting notes with their title and content and warns about transcripts', () => {
    expect(md).toContain('**Weekly sync**\n\nSummary of the meeting\n');
    expect(codes(result)).toContain('meeting_notes:transcript_unavailable');
  });

  it('leaves unsupported, unknown and malformed blocks out of the text and lists each as left out', () => {
    expect(md).not.toContain('⚠️');
    expect(md).not.toMatch(/Unsupported|Unreadable|ai_block|summarise/);
    expect(codes(result)).toEqual(
      expect.arrayContaining([
        'unsupported:block_left_out',
        'ai_block:block_left_out',
        'equation:block_left_out',
        'synced_block:synced_block_unavailable',
      ]),
    );
    expect(result.warnings.find((w) => w.blockType === 'unsupported')?.message).toBe(
      'A form block has no equivalent outside Notion and was left out.',
    );
  });

  it('keeps the readable text of a block it leaves out, and its children', () => {
    const button = {
      block: {
        id: 'b1',
        type: 'button',
        has_children: true,
        button: {
          rich_text: [
            { type: 'text', text: { content: 'Request the SOC 2 report' }, plain_text: 'Request the SOC 2 report' },
          ],
        },
      },
      children: [
        {
          block: {
            id: 'b2',
            type: 'paragraph',
            paragraph: { rich_text: [{ type: 'text', text: { content: 'Inside' }, plain_text: 'Inside' }] },
          },
          children: [],
        },
      ],
    };
    const out = convertBlocks([button]);
    expect(out.markdown).toBe('Request the SOC 2 report\n\nInside\n');
    expect(out.warnings).toEqual([
      {
        blockId: 'b1',
        blockType: 'button',
        code: 'block_left_out',
        message: 'A button block has no equivalent outside Notion and was left out (its text was kept).',
      },
    ]);
  });

  it('does not report child pages as missing children', () => {
    expect(codes(result).some((c) => c.startsWith('child_page'))).toBe(false);
  });
});

describe('rich text', () => {
  const result = convert('rich-text.json');
  const paragraphs = result.markdown.trimEnd().split('\n\n');

  it('renders annotations; underline keeps plain text', () => {
    expect(paragraphs[0]).toBe('**Bold** and *italic* and ~~struck~~ and under and `code`');
  });

  it('keeps whitespace at run edges outside the markers', () => {
    expect(paragraphs[1]).toBe('edge  **spaced bold** text');
  });

  it('nests combined marks and keeps delimiters flanking via character references', () => {
    expect(paragraphs[2]).toBe('**bol&#x64;*+italic*** plain');
    expect(paragraphs[3]).toBe('fo&#x6F;**(bar)**&#x62;az');
  });

  it('encodes link targets, resolves Notion-internal links and drops unsafe ones', () => {
    expect(paragraphs[4]).toBe(
      '[a link](https://example.com/a%20b) and [page link](https://www.notion.so/61b88b0c2fe5489fb3e6d186b11e16e5) and bad',
    );
    expect(codes(result)).toEqual(['paragraph:unsafe_link']);
  });

  it('renders user, page and database mentions', () => {
    expect(paragraphs[5]).toBe(
      '@Ada Lovelace met [Sub Page](https://www.notion.so/61b88b0c2fe5489fb3e6d186b11e16e5) and [Risk Register](https://www.notion.so/a1d8501e1ac143e9a6bdea9fe6c8822b)',
    );
  });

  it('renders date mentions, building ranges when plain_text is missing', () => {
    expect(paragraphs[6]).toBe('From 2026-01-01 → 2026-01-31 on 2023-10-12');
  });

  it('renders link_preview and link_mention as links and template mentions as text', () => {
    expect(paragraphs[7]).toBe(
      '[https://github.com/example/repo/pull/1](https://github.com/example/repo/pull/1) [https://example.com/post](https://example.com/post) @Today',
    );
  });

  it('renders inline equations', () => {
    expect(paragraphs[8]).toBe('Energy $E = mc^2$ holds.');
  });

  it('keeps bold and italic on inline equations, also next to letters and inside other marks', () => {
    const annotations = (bold: boolean, italic: boolean) => ({
      bold,
      italic,
      strikethrough: false,
      underline: false,
      code: false,
      color: 'default',
    });
    const eq = (expression: string, bold: boolean, italic: boolean) => ({
      type: 'equation',
      equation: { expression },
      plain_text: expression,
      annotations: annotations(bold, italic),
    });
    const text = (content: string, bold = false, italic = false) => ({
      type: 'text',
      text: { content, link: null },
      plain_text: content,
      annotations: annotations(bold, italic),
    });
    const render = (rich_text: unknown[]) =>
      renderMarkdownSafe(
        convertBlocks([{ block: { id: 'p', type: 'paragraph', paragraph: { rich_text } }, children: [] }]).markdown,
      ).trim();
    expect(render([text('a'), eq('x', true, false), text('b')])).toBe('<p>a<strong>$x$</strong>b</p>');
    expect(render([eq('x', false, true), text(', then')])).toBe('<p><em>$x$</em>, then</p>');
    expect(render([text('It ', false, true), eq('x^2', true, true), text('.')])).toBe(
      '<p><em>It <strong>$x^2$</strong></em>.</p>',
    );
  });
});

describe('escaping', () => {
  const lines = convert('special-chars.json').markdown.trimEnd().split('\n\n');

  it('escapes emphasis, heading, table, HTML, link and strikethrough syntax', () => {
    expect(lines.slice(0, 5)).toEqual([
      '\\*not bold\\* and \\_x\\_ and \\_\\_y\\_\\_ and \\~\\~z\\~\\~ and \\~one\\~',
      '\\# h',
      'a \\| b',
      '\\<script\\>alert(1)\\</script\\> & \\&amp; \\&#35;',
      '\\[x\\](y) and !\\[img\\](z)',
    ]);
  });

  it('neutralises block markers at the start of a line', () => {
    expect(lines.slice(5, 10)).toEqual([
      '1\\. no list',
      '2\\) nor this',
      '\\- nor this',
      '\\+ or this',
      '\\> not a quote',
    ]);
    expect(lines[12]).toBe('\\=== and ---');
    expect(lines[13]).toBe('four spaces');
    expect(lines[17]).toBe('- 1\\. item text');
    expect(lines[18]).toBe('> \\- quoted dash');
  });

  it('keeps intraword underscores readable and wraps bare URLs as autolinks', () => {
    expect(lines[15]).toBe('snake_case_name and <https://example.com/a_b?c=1&d=2> ok');
  });

  it('escapes a heading’s trailing hashes', () => {
    expect(lines[16]).toBe('## Closing hashes \\#');
  });

  it('escapes text that looks like a stored asset reference, so it can never be one', () => {
    const ref = `asset:${'a'.repeat(64)}.png`;
    const escaped = escapeText(`see ${ref}`, { lineStart: true, newline: '\\\n', autolink: true });
    expect(escaped).toBe(`see asset\\:${'a'.repeat(64)}.png`);
  });
});

describe('page metadata', () => {
  const meta = fixture<Record<string, unknown>>('page-meta.json');

  it('reads titles from the title property or the database title', () => {
    expect(pageTitle(meta.page)).toBe('Data Protection');
    expect(pageTitle(meta.database)).toBe('Policies');
    expect(pageTitle(meta.untitled)).toBe('Untitled');
    expect(pageTitle(null)).toBe('Untitled');
  });

  it('reads icons and covers', () => {
    expect(pageIcon(meta.page)).toEqual({ type: 'emoji', emoji: '🔒' });
    expect(pageIcon(meta.database)).toEqual({
      type: 'file',
      url: 'https://prod-files-secure.s3.us-west-2.amazonaws.com/icon.png',
    });
    expect(pageIcon(meta.untitled)).toEqual({
      type: 'custom_emoji',
      url: 'https://example.com/shield.png',
    });
    expect(pageCover(meta.page)).toBe('https://www.notion.so/images/page-cover/webb1.jpg');
    expect(pageCover(meta.database)).toBe('https://prod-files-secure.s3.us-west-2.amazonaws.com/cover.png');
    expect(pageCover(meta.untitled)).toBeNull();
  });

  it('reads trash state from in_trash, falling back to archived', () => {
    expect(isInTrash(meta.page)).toBe(false);
    expect(isInTrash(meta.database)).toBe(true);
    expect(isInTrash(meta.untitled)).toBe(true);
  });

  it('builds notion.so URLs without dashes', () => {
    expect(notionUrlForId('61b88b0c-2fe5-489f-b3e6-d186b11e16e5')).toBe(
      'https://www.notion.so/61b88b0c2fe5489fb3e6d186b11e16e5',
    );
  });
});

describe('conversion', () => {
  it('is deterministic and returns an empty document for an empty tree', () => {
    expect(convertBlocks([])).toEqual({
      markdown: '',
      assets: [],
      warnings: [],
    });
    const tree = fixture('layout.json');
    expect(convertBlocks(tree)).toEqual(convertBlocks(tree));
  });

  it('reports containers whose children were not fetched', () => {
    const tree: BlockNode[] = [
      {
        block: {
          id: 't1',
          type: 'toggle',
          has_children: true,
          toggle: { rich_text: [] },
        },
        children: [],
      },
    ];
    expect(convertBlocks(tree).warnings).toEqual([
      expect.objectContaining({ blockId: 't1', code: 'children_missing' }),
    ]);
  });
});
