import { describe, expect, it } from 'vitest';
import { renderMarkdownSafe } from './render-markdown.ts';

/** The real start tags in the output; escaped text (`&lt;script&gt;`) is inert and not a tag. */
const startTags = (html: string) => html.match(/<[a-z][^>]*>/gi) ?? [];
const attributes = (tag: string) =>
  [...tag.matchAll(/\s([^\s=/>]+)(?:="([^"]*)")?/g)].map((a) => ({
    name: a[1]!.toLowerCase(),
    value: a[2] ?? '',
  }));

function expectInert(html: string): void {
  const tags = startTags(html);
  expect(
    tags.filter((t) => /^<(script|style|iframe|object|embed|svg|math|form|link|meta|base|div)\b/i.test(t)),
  ).toEqual([]);
  const attrs = tags.flatMap(attributes);
  expect(attrs.filter((a) => a.name.startsWith('on') || a.name === 'style' || a.name === 'srcdoc')).toEqual([]);
  expect(
    attrs.filter((a) => (a.name === 'href' || a.name === 'src') && /^\s*(javascript|data|vbscript)/i.test(a.value)),
  ).toEqual([]);
}

describe('renderMarkdownSafe', () => {
  it('renders GFM: headings, emphasis, tables, task lists, code, strikethrough', () => {
    const html = renderMarkdownSafe(
      [
        '# Title',
        '',
        'Some **bold** and _italic_ and ~~gone~~.',
        '',
        '| a | b |',
        '|:-|-:|',
        '| 1 | 2 |',
        '',
        '- [x] done',
        '- [ ] todo',
        '',
        '```ts',
        'const x = 1 < 2;',
        '```',
      ].join('\n'),
    );
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<del>gone</del>');
    expect(html).toMatch(/<table>[\s\S]*<th align="left">a<\/th>/);
    expect(html).toContain('<input type="checkbox" disabled checked />');
    expect(html).toContain('<code class="language-ts">const x = 1 &lt; 2;');
  });

  it('escapes raw script blocks and inline scripts instead of running them', () => {
    const html = renderMarkdownSafe('<script>alert(1)</script>\n\nText <script>alert(2)</script> more');
    expectInert(html);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('neutralises img onerror, SVG, iframes, object and style in raw HTML', () => {
    const payloads = [
      '<img src=x onerror="alert(1)">',
      '<svg onload=alert(1)><script>alert(1)</script></svg>',
      '<iframe src="https://evil.example"></iframe>',
      '<object data="x.swf"></object>',
      '<style>body{display:none}</style>',
      '<div style="position:fixed;inset:0">overlay</div>',
      '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
      '</div></main><form action="https://evil.example"><input name=p></form>',
    ];
    for (const p of payloads) expectInert(renderMarkdownSafe(`${p}\n\nafter`));
  });

  it('drops javascript:, entity-obfuscated and data: URLs from links and images', () => {
    const html = renderMarkdownSafe(
      [
        '[a](javascript:alert(1))',
        '[b](jav&#x61;script:alert(1))',
        '[c](JaVaScRiPt:alert(1))',
        '[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
        '[e](vbscript:msgbox)',
        '![f](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)',
        '![g](javascript:alert(1))',
        '<a href="jav&#x61;script:alert(1)">h</a>',
      ].join('\n\n'),
    );
    expectInert(html);
    expect(html).not.toMatch(/<img/);
    expect(startTags(html).filter((t) => t.includes('href='))).toEqual([]);
  });

  it('keeps safe links with rel and opens external ones in a new tab', () => {
    const html = renderMarkdownSafe(
      '[ext](https://example.com/x) [mail](mailto:sec@example.com) [rel](/t/acme) [anchor](#top)',
    );
    expect(html).toContain(
      '<a href="https://example.com/x" rel="noopener noreferrer nofollow" target="_blank">ext</a>',
    );
    expect(html).toContain('<a href="mailto:sec@example.com" rel="noopener noreferrer nofollow">mail</a>');
    expect(html).toContain('<a href="/t/acme" rel="noopener noreferrer nofollow">rel</a>');
    expect(html).toContain('<a href="#top" rel="noopener noreferrer nofollow">anchor</a>');
  });

  it('allows images from http(s) and our own paths only', () => {
    const html = renderMarkdownSafe(
      '![a](https://cdn.example/a.png) ![b](/api/documents/1/file) ![c](/t/acme/documents/1/file) ![d](../etc/passwd) ![e](//evil.example/x.png)',
    );
    expect(html).toContain('src="https://cdn.example/a.png"');
    expect(html).toContain('src="/api/documents/1/file"');
    expect(html).toContain('src="/t/acme/documents/1/file"');
    expect(html).not.toContain('passwd');
    expect(html).not.toContain('evil.example');
  });

  it('rewrites URLs through the given rewriter and drops those it rejects', () => {
    const html = renderMarkdownSafe(
      '![a](/api/documents/abc/file) [b](/api/documents/def/file) [c](https://x.example)',
      {
        rewriteUrl: (u) =>
          u.startsWith('/api/documents/')
            ? u.replace('/api/documents/', '/t/acme/documents/')
            : u.includes('x.example')
              ? null
              : u,
      },
    );
    expect(html).toContain('src="/t/acme/documents/abc/file"');
    expect(html).toContain('href="/t/acme/documents/def/file"');
    expect(html).toContain('<a rel="noopener noreferrer nofollow">c</a>');
  });

  it('cannot break out of attributes with quotes in titles or alt text', () => {
    const html = renderMarkdownSafe('![x" onerror="alert(1)](https://a.example/p.png "t\\" onload=\\"alert(1)")');
    expectInert(html);
  });
});
