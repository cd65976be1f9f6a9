/**
 * Links from one imported Notion page to another. The converter writes every page reference (mentions,
 * link_to_page, child pages) as the page's canonical notion.so URL, and authors paste notion.so or
 * <workspace>.notion.site links; either way the URL ends in the page id. That id is the stable marker: the
 * stored text never changes when the target is imported later, and links are resolved each time the HTML is
 * served, against the documents that exist then and what the reader may open.
 */

/** An `<a>` of sanitized HTML (renderMarkdownSafe writes href first and never nests links). */
const LINK = /<a href="([^"]*)"([^>]*)>([\s\S]*?)<\/a>/g;
const NOTION_HOST = /^(?:www\.)?notion\.so$|^[a-z0-9-]+\.notion\.site$/i;
const PAGE_ID = /([0-9a-f]{32})$/i;

/** The page id a Notion URL points to (dashed, lowercase, as documents store it), or null. */
export function notionPageIdOf(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href.replaceAll('&amp;', '&'));
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || !NOTION_HOST.test(url.hostname)) return null;
  const hex = PAGE_ID.exec(url.pathname.replaceAll('-', ''))?.[1]?.toLowerCase();
  if (!hex) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Every Notion page id the HTML links to. */
export function linkedPageIds(html: string): string[] {
  const ids = new Set<string>();
  for (const match of html.matchAll(LINK)) {
    const id = notionPageIdOf(match[1]!);
    if (id) ids.add(id);
  }
  return [...ids];
}

/**
 * What a link to a Notion page becomes: a link to `href` (the imported document), plain text (`text`: the
 * link's own words, or these words instead when even they must not show), or, for `null`, the Notion link it
 * is, marked as leading outside.
 */
export type PageLink = { href: string } | { text: string | null } | null;

const escapeHtml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** Rewrite the HTML's links to Notion pages by `resolve` (other links are left as they are). */
export function rewritePageLinks(html: string, resolve: (pageId: string) => PageLink): string {
  return html.replace(LINK, (whole, href: string, attrs: string, inner: string) => {
    const id = notionPageIdOf(href);
    if (!id) return whole;
    const link = resolve(id);
    if (link === null) {
      const title = attrs.includes(' title=') ? '' : ' title="Notion page (outside this trust center)"';
      return `<a href="${href}"${attrs}${title}>${inner} ↗</a>`;
    }
    if ('href' in link) return `<a href="${escapeHtml(link.href)}">${inner}</a>`;
    return link.text === null ? inner : escapeHtml(link.text);
  });
}
