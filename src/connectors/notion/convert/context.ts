import type { BlockNode, ConvertWarning, NotionBlock } from './types.ts';

/** Where blocks are being written: the line prefix (indentation, `> `) and what was written before. */
export interface Container {
  readonly prefix: string;
  /** Something has been written in this container. */
  started: boolean;
  /** The container opens right after a paragraph line (list item or quote text), which a following block may join lazily. */
  readonly afterParagraph: boolean;
  /** The list the last written block belonged to, so adjacent lists stay separate and tight items stay tight. */
  lastList: {
    kind: 'bullet' | 'ordered';
    run: number;
    delimiter: string;
    tight: boolean;
  } | null;
}

/** Mutable state shared by every block renderer during one conversion. */
export interface RenderContext {
  /** Output lines; an entry may hold several lines, each already carrying its prefix. */
  readonly lines: string[];
  readonly warnings: ConvertWarning[];
  readonly assetUrls: ReadonlyMap<string, string> | undefined;
  /** Blank separator line to write before the next content, if any. */
  pending: string | null;
  /** Counter giving each list run an identity. */
  listRuns: number;
  /** Renders a sequence of sibling blocks into `container`. */
  renderChildren(nodes: readonly BlockNode[], container: Container): void;
}

/** Records a warning about `block`. */
export function warn(ctx: RenderContext, block: NotionBlock, code: string, message: string): void {
  ctx.warnings.push({
    blockId: block.id,
    blockType: block.type,
    code,
    message,
  });
}

/** The block's type-named payload (`block.paragraph` for a paragraph). */
export function payloadOf(block: NotionBlock): unknown {
  return block[block.type];
}

/** A nested container whose lines carry `extraPrefix` after the parent's prefix. */
export function nestedContainer(parent: Container, extraPrefix: string, afterParagraph: boolean): Container {
  return {
    prefix: parent.prefix + extraPrefix,
    started: false,
    afterParagraph,
    lastList: null,
  };
}

/**
 * Writes `text` (which may contain newlines) into the container: the first line gets `firstPrefix`, the
 * rest `restPrefix`, so nested content keeps its indentation or quote markers.
 */
export function emit(ctx: RenderContext, c: Container, text: string, firstPrefix: string, restPrefix: string): void {
  if (ctx.pending !== null) {
    ctx.lines.push(ctx.pending);
    ctx.pending = null;
  }
  ctx.lines.push(
    firstPrefix + (restPrefix === '' || !text.includes('\n') ? text : text.replaceAll('\n', `\n${restPrefix}`)),
  );
  c.started = true;
  // Anything written after a list ends it; list items re-set this after writing themselves.
  c.lastList = null;
}

/** Writes a block's text with the container's own prefix on every line. */
export function emitBlock(ctx: RenderContext, c: Container, text: string): void {
  emit(ctx, c, text, c.prefix, c.prefix);
}

/** Blank line that separates blocks in `c` (keeps quote markers so the quote continues). */
export function blankLine(c: Container): string {
  return c.prefix.trimEnd();
}

/**
 * Runs `write` as one block, preceded by `separator` if it writes anything. Returns whether it wrote.
 */
export function writeBlock(ctx: RenderContext, separator: string | null, write: () => void): boolean {
  const before = ctx.lines.length;
  ctx.pending = separator;
  write();
  if (ctx.lines.length > before) return true;
  ctx.pending = null;
  return false;
}

/** Separator for an ordinary (non-list) block: a blank line unless it is the container's first content. */
export function plainSeparator(c: Container): string | null {
  return c.started || c.afterParagraph ? blankLine(c) : null;
}
