import { warn, type RenderContext } from '../context.ts';
import { notionUrlForId } from '../page-meta.ts';
import { mentionSchema, richTextItemSchema, type RichTextItem } from '../schemas.ts';
import type { NotionBlock } from '../types.ts';
import { charRef, classify, codeSpan, escapeText, firstChar, lastChar, safeHref } from './escape.ts';

const BOLD = 1;
const ITALIC = 2;
const STRIKE = 4;
const MARK_ORDER = [BOLD, ITALIC, STRIKE] as const;

type Kind = 'text' | 'code' | 'math';

interface Run {
  kind: Kind;
  text: string;
  marks: number;
  href: string | null;
}

export interface InlineOptions {
  /** Content starts a Markdown line (paragraphs, list items, quotes); block syntax must be neutralised. */
  lineStart?: boolean;
  /** Newlines become spaces (headings and table cells cannot span lines). */
  singleLine?: boolean;
  /** Inside a GFM table cell: pipes must be escaped even within code spans. */
  table?: boolean;
  /** Adds bold to every run (toggle summaries). */
  bold?: boolean;
}

/** Joined plain_text of a rich text array, without validation or formatting (alt text, titles). */
export function plainText(items: readonly unknown[]): string {
  let out = '';
  for (const item of items) {
    if (typeof item === 'object' && item !== null && 'plain_text' in item && typeof item.plain_text === 'string')
      out += item.plain_text;
  }
  return out;
}

function mentionRun(item: RichTextItem, marks: number): Run {
  const run: Run = {
    kind: 'text',
    text: item.plain_text,
    marks,
    href: item.href ?? null,
  };
  const parsed = mentionSchema.safeParse(item.mention);
  if (!parsed.success) return run;
  const mention = parsed.data;
  switch (mention.type) {
    case 'user':
      run.text = mention.user?.name ? `@${mention.user.name}` : item.plain_text || '@Unknown user';
      run.href = null;
      break;
    case 'page':
    case 'database':
    case 'data_source': {
      const id = mention[mention.type]?.id;
      run.text = item.plain_text || 'Untitled';
      if (id) run.href = notionUrlForId(id);
      break;
    }
    case 'date':
      run.text =
        item.plain_text ||
        (mention.date ? mention.date.start + (mention.date.end ? ` → ${mention.date.end}` : '') : '');
      run.href = null;
      break;
    case 'link_preview':
      run.href = mention.link_preview?.url ?? run.href;
      run.text = item.plain_text || run.href || '';
      break;
    case 'link_mention':
      run.href = mention.link_mention?.href ?? run.href;
      run.text = item.plain_text || mention.link_mention?.title || run.href || '';
      break;
    case 'template_mention':
      run.href = null;
      break;
    case 'custom_emoji':
      run.text = item.plain_text || (mention.custom_emoji?.name ? `:${mention.custom_emoji.name}:` : '');
      run.href = null;
      break;
  }
  return run;
}

function toRun(item: RichTextItem, extraMarks: number): Run {
  const a = item.annotations;
  const marks = (a ? (a.bold ? BOLD : 0) | (a.italic ? ITALIC : 0) | (a.strikethrough ? STRIKE : 0) : 0) | extraMarks;
  if (item.type === 'equation' && item.equation)
    return { kind: 'math', text: item.equation.expression, marks, href: null };
  if (item.type === 'mention') return mentionRun(item, marks);
  const kind = a?.code ? 'code' : 'text';
  if (item.type === 'text' && item.text)
    return {
      kind,
      text: item.text.content,
      marks,
      href: item.text.link?.url ?? item.href ?? null,
    };
  return { kind, text: item.plain_text, marks, href: item.href ?? null };
}

/** Unexpected item shapes still show their plain_text, unformatted. */
function fallbackRun(raw: unknown, marks: number): Run | null {
  const text = plainText([raw]);
  return text === '' ? null : { kind: 'text', text, marks, href: null };
}

function collectRuns(items: readonly unknown[], ctx: RenderContext, block: NotionBlock, extraMarks: number): Run[] {
  const runs: Run[] = [];
  for (const raw of items) {
    const parsed = richTextItemSchema.safeParse(raw);
    const run = parsed.success ? toRun(parsed.data, extraMarks) : fallbackRun(raw, extraMarks);
    if (run === null) {
      warn(ctx, block, 'invalid_rich_text', 'A rich text item could not be read and was skipped.');
      continue;
    }
    if (run.text === '') continue;
    if (run.href !== null) {
      const href = safeHref(run.href);
      if (href === null)
        warn(
          ctx,
          block,
          'unsafe_link',
          `Link target dropped (only http, https, mailto and tel are kept): ${run.href.slice(0, 100)}`,
        );
      run.href = href;
    }
    const prev = runs[runs.length - 1];
    if (prev && prev.kind === run.kind && run.kind !== 'math' && prev.marks === run.marks && prev.href === run.href)
      prev.text += run.text;
    else runs.push(run);
  }
  trimEdges(runs);
  return runs;
}

/** Drops whitespace at both ends of the whole text: it would be stripped, or end a paragraph in a stray `\`. */
function trimEdges(runs: Run[]): void {
  while (runs.length > 0) {
    const first = runs[0] as Run;
    first.text = first.text.trimStart();
    if (first.text !== '') break;
    runs.shift();
  }
  while (runs.length > 0) {
    const last = runs[runs.length - 1] as Run;
    last.text = last.text.trimEnd();
    if (last.text !== '') break;
    runs.pop();
  }
}

type Tok = 'body' | 'space' | 'open' | 'close';

interface Token {
  tok: Tok;
  text: string;
  /** For a closing delimiter: the token that opened it. */
  opener?: Token;
}

interface OpenMark {
  mark: number;
  opener: Token;
}

interface Piece {
  run: Run;
  lead: string;
  core: string;
  trail: string;
}

function splitWhitespace(run: Run): Piece {
  if (run.kind === 'math') return { run, lead: '', core: run.text.trim(), trail: '' };
  const core = run.text.trim();
  if (core === '') return { run, lead: run.text, core: '', trail: '' };
  const start = run.text.indexOf(core);
  return {
    run,
    lead: run.text.slice(0, start),
    core,
    trail: run.text.slice(start + core.length),
  };
}

function delimiterFor(mark: number, prev: Token | undefined): string {
  if (mark === STRIKE) return '~~';
  // A closing `*` run directly followed by an opening `*` run would merge into one delimiter run.
  const afterStarClose = prev !== undefined && prev.tok === 'close' && prev.text.endsWith('*');
  if (mark === BOLD) return afterStarClose ? '__' : '**';
  return afterStarClose ? '_' : '*';
}

function bodyText(piece: Piece, lineStart: boolean, newline: string, table: boolean): string {
  const { run, core } = piece;
  let body: string;
  if (run.kind === 'code') body = codeSpan(core, table);
  else if (run.kind === 'math') {
    const expression = core.replace(/\s*\n\s*/g, ' ');
    body = `$${table ? expression.replaceAll('|', '\\|') : expression}$`;
  } else
    body = escapeText(core, {
      lineStart: lineStart && run.href === null,
      newline,
      autolink: run.href === null,
    });
  return run.href === null ? body : `[${body}](${run.href})`;
}

function closeMark(tokens: Token[], open: OpenMark): void {
  tokens.push({ tok: 'close', text: open.opener.text, opener: open.opener });
}

/**
 * marked classifies `~` as a letter when deciding whether `*` closes, so `(x)**~~` would not close the
 * bold; `_` delimiters do not have that quirk. Switches the pair when the opener can safely become `_`.
 */
function preferUnderscore(tokens: Token[], close: Token): void {
  const opener = close.opener;
  if (opener === undefined || !close.text.startsWith('*')) return;
  const at = tokens.indexOf(opener);
  const before = tokens[at - 1];
  const after = tokens[at + 1];
  if (
    (before && before.tok !== 'body' && before.text.endsWith('_')) ||
    (after?.tok === 'open' && after.text.startsWith('_'))
  )
    return;
  const underscore = close.text.replaceAll('*', '_');
  close.text = underscore;
  opener.text = underscore;
}

/**
 * Re-encodes the character just outside a delimiter run as a character reference when CommonMark's
 * flanking rules would otherwise keep the run from opening/closing (e.g. `foo**(bar)**baz`). A reference
 * classifies as punctuation, which never hurts on the outer side. Characters outside the BMP count as
 * possibly "other": some parsers (micromark) classify them by UTF-16 unit, others by code point.
 */
function mayBeOther(c: string | undefined): boolean {
  return c !== undefined && (c.length === 2 || classify(c) === 'other');
}

function fixFlanking(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.tok !== 'open' && t.tok !== 'close') continue;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const before = prev ? lastChar(prev.text) : undefined;
    const after = next ? firstChar(next.text) : undefined;
    const underscore = t.text.startsWith('_');
    if (
      t.tok === 'open' &&
      prev?.tok === 'body' &&
      before !== undefined &&
      mayBeOther(before) &&
      (underscore || classify(after) === 'punct')
    ) {
      prev.text = prev.text.slice(0, prev.text.length - before.length) + charRef(before);
    } else if (
      t.tok === 'close' &&
      next?.tok === 'body' &&
      after !== undefined &&
      mayBeOther(after) &&
      (underscore || classify(before) === 'punct')
    ) {
      next.text = charRef(after) + next.text.slice(after.length);
    }
  }
}

/** Renders a Notion rich text array as inline Markdown (may contain `\\\n` hard breaks unless singleLine). */
export function renderRichText(
  items: readonly unknown[],
  ctx: RenderContext,
  block: NotionBlock,
  opts: InlineOptions = {},
): string {
  const runs = collectRuns(items, ctx, block, opts.bold ? BOLD : 0);
  if (runs.length === 0) return '';
  const table = opts.table === true;
  const newline = opts.singleLine || table ? ' ' : '\\\n';
  const lineStart = opts.lineStart !== false;
  const first = runs[0] as Run;
  // Most rich text is a single unformatted run: no delimiters, nothing to balance.
  if (runs.length === 1 && first.marks === 0) return bodyText(splitWhitespace(first), lineStart, newline, table);
  return renderMarked(runs.map(splitWhitespace), lineStart, newline, table);
}

/** How long each mark keeps going from each piece on (3 slots per piece, in MARK_ORDER). */
function markLifetimes(pieces: readonly Piece[]): Int32Array {
  const remaining = new Int32Array(pieces.length * 3);
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i] as Piece;
    const next = i + 1 < pieces.length ? (i + 1) * 3 : -1;
    for (let k = 0; k < 3; k++) {
      const carried = next < 0 ? 0 : (remaining[next + k] as number);
      if (piece.core === '') remaining[i * 3 + k] = carried;
      else remaining[i * 3 + k] = (piece.run.marks & (MARK_ORDER[k] as number)) !== 0 ? carried + 1 : 0;
    }
  }
  return remaining;
}

/**
 * Emits formatted runs with a stack of open marks, so marks shared by neighbouring runs stay open and
 * longer-lived marks are opened first (outermost) instead of being closed and reopened around shorter ones.
 */
function renderMarked(pieces: readonly Piece[], lineStart: boolean, newline: string, table: boolean): string {
  const remaining = markLifetimes(pieces);
  const tokens: Token[] = [];
  const stack: OpenMark[] = [];
  let pendingSpace = '';
  let atLineStart = lineStart;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as Piece;
    pendingSpace += piece.lead;
    if (piece.core === '') continue;
    const marks = piece.run.marks;
    let keep = 0;
    while (keep < stack.length && (marks & (stack[keep] as OpenMark).mark) !== 0) keep++;
    if (stack.length > keep) atLineStart = false;
    for (let k = stack.length - 1; k >= keep; k--) closeMark(tokens, stack[k] as OpenMark);
    stack.length = keep;
    if (pendingSpace !== '') {
      const space = escapeText(pendingSpace, {
        lineStart: atLineStart,
        newline,
        autolink: false,
      });
      if (space !== '') tokens.push({ tok: 'space', text: space });
      atLineStart = space.endsWith('\n') || (atLineStart && space === '');
    }
    let open = 0;
    for (const s of stack) open |= s.mark;
    // Strike opens first: marked rejects `~~` right after `*` when punctuation follows.
    if ((marks & STRIKE) !== 0 && (open & STRIKE) === 0) openMark(tokens, stack, STRIKE);
    const boldLife = remaining[i * 3] as number;
    const italicLife = remaining[i * 3 + 1] as number;
    const order = boldLife >= italicLife ? [BOLD, ITALIC] : [ITALIC, BOLD];
    for (const m of order) if ((marks & m) !== 0 && (open & m) === 0) openMark(tokens, stack, m);
    if (stack.length > keep) atLineStart = false;
    tokens.push({
      tok: 'body',
      text: bodyText(piece, atLineStart, newline, table),
    });
    atLineStart = false;
    pendingSpace = piece.trail;
  }
  for (let k = stack.length - 1; k >= 0; k--) closeMark(tokens, stack[k] as OpenMark);
  fixFlanking(tokens);
  let out = '';
  for (const t of tokens) out += t.text;
  return out;
}

function openMark(tokens: Token[], stack: OpenMark[], mark: number): void {
  const prev = tokens[tokens.length - 1];
  const opener: Token = { tok: 'open', text: delimiterFor(mark, prev) };
  if (mark === STRIKE && prev?.tok === 'close') preferUnderscore(tokens, prev);
  tokens.push(opener);
  stack.push({ mark, opener });
}
