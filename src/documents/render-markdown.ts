import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import sanitizeHtml from 'sanitize-html';
import { rewriteAssetRefs } from './asset-refs.ts';

/** Rewrites a link or image URL (e.g. admin API file URLs to public-site URLs); null drops it. */
export type UrlRewriter = (url: string) => string | null;

/*
 * micromark is the reference CommonMark parser (with GFM), so what the converter wrote is read exactly as
 * written, including stacked emphasis next to punctuation. Raw HTML inside Markdown is shown as text, never
 * interpreted: imported content is untrusted, and an author who typed `<b>` sees it rather than losing it.
 */
const toHtml = (md: string) =>
  micromark(md, {
    allowDangerousHtml: false,
    allowDangerousProtocol: false,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });

const OWN_PATH = /^\/(api|t)\//;
const ABSOLUTE_HTTP = /^https?:\/\//i;

function isSafeImageSrc(src: string): boolean {
  return ABSOLUTE_HTTP.test(src) || (OWN_PATH.test(src) && !src.startsWith('//'));
}

function sanitizeOptions(rewrite: UrlRewriter | undefined): sanitizeHtml.IOptions {
  const rewriteAttr = (value: string | undefined) =>
    value === undefined ? undefined : rewrite ? (rewrite(value) ?? undefined) : value;
  return {
    allowedTags: [
      'p',
      'br',
      'hr',
      'h1',
      'h2',
      'h3',
      'h4',
      'h5',
      'h6',
      'blockquote',
      'ul',
      'ol',
      'li',
      'pre',
      'code',
      'em',
      'strong',
      'del',
      's',
      'a',
      'img',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
      'input',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'target'],
      img: ['src', 'alt', 'title'],
      code: ['class'],
      ol: ['start'],
      th: ['align'],
      td: ['align'],
      input: ['type', 'checked', 'disabled'],
    },
    allowedClasses: { code: ['language-*'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      a: (tagName, attribs) => {
        const href = rewriteAttr(attribs.href);
        const external = href !== undefined && ABSOLUTE_HTTP.test(href);
        const out: Record<string, string> = {};
        if (href !== undefined) out.href = href;
        if (attribs.title) out.title = attribs.title;
        out.rel = 'noopener noreferrer nofollow';
        if (external) out.target = '_blank';
        return { tagName, attribs: out };
      },
      img: (tagName, attribs) => {
        const src = rewriteAttr(attribs.src);
        const out: Record<string, string> = { alt: attribs.alt ?? '' };
        if (src !== undefined && isSafeImageSrc(src)) out.src = src;
        if (attribs.title) out.title = attribs.title;
        return { tagName, attribs: out };
      },
      // Task-list checkboxes are display only.
      input: (tagName, attribs) => ({
        tagName,
        attribs: {
          type: 'checkbox',
          disabled: '',
          ...(attribs.checked !== undefined ? { checked: '' } : {}),
        },
      }),
    },
    exclusiveFilter: (frame) =>
      (frame.tag === 'img' && !frame.attribs.src) || (frame.tag === 'input' && frame.attribs.type !== 'checkbox'),
  };
}

/**
 * Markdown (GFM) to HTML that is safe to embed in our pages: the ONE renderer for imported and authored
 * content. Raw HTML is escaped, the output passes a strict allow-list (no script/style/iframe/svg, no event
 * handlers, links only http/https/mailto or relative, images only http/https or our own paths).
 */
export function renderMarkdownSafe(md: string, opts: { rewriteUrl?: UrlRewriter; assetBase?: string } = {}): string {
  // Re-hosted Notion images are stored as `asset:` references; each context serves them under its own path.
  const source = opts.assetBase ? rewriteAssetRefs(md, (file) => `${opts.assetBase}/${file}`) : md;
  return sanitizeHtml(toHtml(source), sanitizeOptions(opts.rewriteUrl));
}
/**
 * Rewrite admin-API file links in document bodies to their public-site address; drop other API links and
 * links into other tenants' trust centers. Links are judged by where they lead from the document page
 * (dot segments and relative paths resolved), not by how they are spelled. `own` is the site's path prefix:
 * `/t/<slug>`, or empty at the root of a custom domain.
 */
function publicUrlRewriter(own: string) {
  const page = new URL(`http://site.invalid${own}/documents/page`);
  return (url: string): string | null => {
    const file = /^\/api\/documents\/([0-9a-f-]{36})\/file$/i.exec(url);
    if (file) return `${own}/documents/${file[1]}/file`;
    let target: URL;
    try {
      target = new URL(url, page);
    } catch {
      return null;
    }
    if (target.origin !== page.origin) return url;
    const path = target.pathname;
    if (path === '/api' || path.startsWith('/api/')) return null;
    const otherSite = (path === '/t' || path.startsWith('/t/')) && path !== own && !path.startsWith(`${own}/`);
    return otherSite ? null : url;
  };
}

/**
 * A document body as the public site shows it at `base` (`/t/<slug>`, or empty on a custom domain): file
 * links point at the public download, re-hosted images at the document's public asset path. The slug
 * form is stored with the document when its body is written (tenant slugs never change), so a page view
 * at /t/<slug> does no Markdown work.
 */
export function renderPublicDocumentHtml(markdown: string, opts: { base: string; documentId: string }): string {
  return renderMarkdownSafe(markdown, {
    rewriteUrl: publicUrlRewriter(opts.base),
    assetBase: `${opts.base}/documents/${opts.documentId}/assets`,
  });
}
