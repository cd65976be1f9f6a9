// Character classes follow CommonMark's definitions (Unicode whitespace; Unicode P* and S* count as
// punctuation), because emphasis delimiters only work when their neighbours classify the right way.
const PUNCTUATION = /[\p{P}\p{S}]/u;
const WHITESPACE = /\s/u;

export type CharClass = 'space' | 'punct' | 'other';

/** CommonMark class of a single code point; undefined (line edge) counts as whitespace. */
export function classify(char: string | undefined): CharClass {
  if (char === undefined || char === '') return 'space';
  if (WHITESPACE.test(char)) return 'space';
  return PUNCTUATION.test(char) ? 'punct' : 'other';
}

/** Last code point of a string (surrogate-pair aware). */
export function lastChar(s: string): string | undefined {
  if (s.length === 0) return undefined;
  const low = s.charCodeAt(s.length - 1);
  if (low >= 0xdc00 && low <= 0xdfff && s.length > 1) return s.slice(-2);
  return s[s.length - 1];
}

/** First code point of a string (surrogate-pair aware). */
export function firstChar(s: string): string | undefined {
  if (s.length === 0) return undefined;
  const cp = s.codePointAt(0) ?? 0;
  return String.fromCodePoint(cp);
}

/** Numeric character reference: renders as the character but classifies as punctuation (`&`/`;`). */
export function charRef(char: string): string {
  return `&#x${(char.codePointAt(0) ?? 0).toString(16).toUpperCase()};`;
}

// 1 = always backslash-escaped; 2 = needs a context check (see escapeText).
const ESCAPE_CLASS = new Uint8Array(128);
for (const c of '\\`*[]<>|$~') ESCAPE_CLASS[c.charCodeAt(0)] = 1;
for (const c of '_&#h:\n\r') ESCAPE_CLASS[c.charCodeAt(0)] = 2;

function isWordCode(code: number): boolean {
  if (code >= 0x30 && code <= 0x39) return true;
  if (code >= 0x41 && code <= 0x5a) return true;
  if (code >= 0x61 && code <= 0x7a) return true;
  if (code < 0x80) return false;
  return classify(String.fromCharCode(code)) === 'other';
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

const URL_END = new Set([' ', '\t', '\n', '\r', '<', '>', '"', '`', '|']);
const URL_TRAILING = new Set(['.', ',', ':', ';', '!', '?', "'", '*', '_', '~']);

/** End index (exclusive) of a bare http(s) URL starting at `i`, or -1 when none starts there. */
function bareUrlEnd(text: string, i: number): number {
  const schemeLength = text.startsWith('https://', i) ? 8 : text.startsWith('http://', i) ? 7 : 0;
  if (schemeLength === 0) return -1;
  let end = i + schemeLength;
  while (end < text.length && !URL_END.has(text[end] as string) && text.charCodeAt(end) > 0x1f) end++;
  const hasOpenParen = text.lastIndexOf('(', end) >= i;
  while (end > i + schemeLength) {
    const c = text[end - 1] as string;
    if (URL_TRAILING.has(c) || (c === ')' && !hasOpenParen)) end--;
    else break;
  }
  return end > i + schemeLength + 1 ? end : -1;
}

export interface EscapeOptions {
  /** True when the text starts a Markdown line, so block syntax (`- `, `1. `, `+`, `=`) must be neutralised. */
  lineStart: boolean;
  /** What a newline inside the text becomes: a hard break (`\\\n`) or a space (tables, headings). */
  newline: string;
  /** Wrap bare http(s) URLs as `<url>` autolinks; off inside link labels (links cannot nest). */
  autolink: boolean;
}

/**
 * Escapes literal text so every character renders as typed. Single pass; only characters that can start
 * Markdown syntax in their position are escaped, to keep the source readable.
 */
export function escapeText(text: string, opts: EscapeOptions): string {
  let out = '';
  let start = 0;
  let atLineStart = opts.lineStart;
  const breaksLine = opts.newline.endsWith('\n');
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    if (atLineStart) {
      if (code === 0x20 || code === 0x09) {
        // Leading blanks would be stripped or, from four on, turn the line into an indented code block.
        out += text.slice(start, i);
        start = i + 1;
        continue;
      }
      atLineStart = false;
      // `-`, `+`, `=`, `#` can start a list, setext underline or heading.
      if (code === 0x2d || code === 0x2b || code === 0x3d || code === 0x23) {
        out += text.slice(start, i) + '\\' + (text[i] as string);
        start = i + 1;
        continue;
      }
      if (code >= 0x30 && code <= 0x39) {
        let j = i + 1;
        while (j < n && j - i < 10 && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
        const after = text[j];
        if (after === '.' || after === ')') {
          out += text.slice(start, j) + '\\' + after;
          start = j + 1;
          i = j;
          continue;
        }
      }
    }
    const cls = code < 128 ? ESCAPE_CLASS[code] : 0;
    if (cls === 0) continue;
    if (cls === 1) {
      out += text.slice(start, i) + '\\' + (text[i] as string);
      start = i + 1;
    } else if (code === 0x0a) {
      out += text.slice(start, i) + opts.newline;
      start = i + 1;
      atLineStart = breaksLine;
    } else if (code === 0x0d) {
      out += text.slice(start, i);
      start = i + 1;
    } else if (code === 0x5f) {
      // An underscore between two word characters can never delimit emphasis.
      if (i === 0 || i + 1 >= n || !isWordCode(text.charCodeAt(i - 1)) || !isWordCode(text.charCodeAt(i + 1))) {
        out += text.slice(start, i) + '\\_';
        start = i + 1;
      }
    } else if (code === 0x26) {
      // Only `&` followed by a name or `#` could be read as a character reference.
      const next = text.charCodeAt(i + 1);
      if (next === 0x23 || isAsciiLetter(next)) {
        out += text.slice(start, i) + '\\&';
        start = i + 1;
      }
    } else if (code === 0x23) {
      // `#` after a blank may be an ATX heading's closing sequence.
      const prev = text.charCodeAt(i - 1);
      if (i === 0 || prev === 0x20 || prev === 0x09) {
        out += text.slice(start, i) + '\\#';
        start = i + 1;
      }
    } else if (code === 0x3a) {
      // `asset:` is how stored documents reference re-hosted files; typed text must never read as one.
      if (i >= 5 && text.startsWith('asset', i - 5)) {
        out += text.slice(start, i) + '\\:';
        start = i + 1;
      }
    } else if (code === 0x68 && opts.autolink && (i === 0 || !isWordCode(text.charCodeAt(i - 1)))) {
      // `h`: GFM would autolink a bare URL but keep our escapes in its href; an explicit autolink keeps it intact.
      const end = bareUrlEnd(text, i);
      if (end > 0) {
        out += text.slice(start, i) + '<' + text.slice(i, end) + '>';
        start = end;
        i = end - 1;
      }
    }
  }
  return out + text.slice(start);
}

/** Inline code span whose fence is longer than any backtick run inside it. */
export function codeSpan(content: string, inTable: boolean): string {
  let text = content.replace(/\r?\n|\r/g, ' ');
  if (inTable) text = text.replaceAll('|', '\\|');
  const fence = '`'.repeat(longestRun(text, '`') + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')) ? ' ' : '';
  return fence + pad + text + pad + fence;
}

/** Length of the longest run of `char` in `text`. */
export function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === char) {
      current++;
      if (current > longest) longest = current;
    } else current = 0;
  }
  return longest;
}

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);
const NOTION_PATH = /^\/(?:[^/?#]*-)?([0-9a-f]{32})(?:[?#].*)?$/i;
const URL_UNSAFE_CHARS = /[\s<>()\\|"]/g;

/**
 * Normalises a link target for Markdown: Notion-internal paths become absolute notion.so URLs, only
 * http(s)/mailto/tel/fragment targets pass (returns null otherwise), and characters that would end or
 * break a link destination are percent-encoded.
 */
export function safeHref(raw: string): string | null {
  const url = raw.trim();
  if (url === '') return null;
  if (url.startsWith('#')) return encodeDestination(url);
  if (url.startsWith('/')) {
    if (url.startsWith('//')) return null;
    const match = NOTION_PATH.exec(url);
    const target =
      match?.[1] !== undefined ? `https://www.notion.so/${match[1].toLowerCase()}` : `https://www.notion.so${url}`;
    return encodeDestination(target);
  }
  const colon = url.indexOf(':');
  if (colon < 0) return null;
  if (!SAFE_SCHEMES.has(url.slice(0, colon + 1).toLowerCase())) return null;
  return encodeDestination(url);
}

function encodeDestination(url: string): string {
  return url.replace(URL_UNSAFE_CHARS, (c) =>
    WHITESPACE.test(c) && c !== ' ' ? '' : `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}
