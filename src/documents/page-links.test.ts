import { describe, expect, it } from 'vitest';
import { linkedPageIds, notionPageIdOf, rewritePageLinks } from './page-links.ts';

const ID = '61b88b0c-2fe5-489f-b3e6-d186b11e16e5';

describe('links to Notion pages', () => {
  it('finds the page id of every form of Notion URL, and of nothing else', () => {
    for (const url of [
      'https://www.notion.so/61b88b0c2fe5489fb3e6d186b11e16e5',
      'https://notion.so/acme/Security-Overview-61b88b0c2fe5489fb3e6d186b11e16e5?pvs=4',
      'https://acme.notion.site/61b88b0c-2fe5-489f-b3e6-d186b11e16e5#heading',
    ]) {
      expect(notionPageIdOf(url), url).toBe(ID);
    }
    for (const url of [
      'https://example.com/61b88b0c2fe5489fb3e6d186b11e16e5',
      'http://www.notion.so/61b88b0c2fe5489fb3e6d186b11e16e5',
      'https://www.notion.so/acme',
      'not a url',
    ]) {
      expect(notionPageIdOf(url), url).toBeNull();
    }
  });

  it('rewrites only links to Notion pages, escaping what it writes', () => {
    const html =
      '<p><a href="https://www.notion.so/61b88b0c2fe5489fb3e6d186b11e16e5" rel="x" target="_blank"><strong>Plan</strong></a> ' +
      '<a href="https://example.com/a">other</a></p>';
    expect(linkedPageIds(html)).toEqual([ID]);
    expect(rewritePageLinks(html, () => ({ href: '/t/a"b/documents/1' }))).toBe(
      '<p><a href="/t/a&quot;b/documents/1"><strong>Plan</strong></a> <a href="https://example.com/a">other</a></p>',
    );
    expect(rewritePageLinks(html, () => ({ text: null }))).toContain('<p><strong>Plan</strong> <a');
    expect(rewritePageLinks(html, () => ({ text: '<secret>' }))).toContain('<p>&lt;secret&gt; <a');
    expect(rewritePageLinks(html, () => null)).toContain(
      'target="_blank" title="Notion page (outside this trust center)"><strong>Plan</strong> ↗</a>',
    );
  });
});
