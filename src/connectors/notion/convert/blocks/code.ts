import { emitBlock, type Container, type RenderContext } from '../context.ts';
import { codePayload, equationPayload } from '../schemas.ts';
import type { BlockNode } from '../types.ts';
import { longestRun } from './escape.ts';
import { readPayload } from './payload.ts';
import { plainText, renderRichText } from './rich-text.ts';

// Notion language names that differ from the identifiers highlighters (GitHub linguist, highlight.js) know.
const LANGUAGE_ALIASES: Readonly<Record<string, string>> = {
  'plain text': '',
  'notion formula': '',
  'java/c/c++/c#': '',
  'c++': 'cpp',
  'c#': 'csharp',
  'f#': 'fsharp',
  'objective-c': 'objectivec',
  'vb.net': 'vbnet',
  'visual basic': 'vb',
  webassembly: 'wasm',
  docker: 'dockerfile',
  markup: 'html',
  'llvm ir': 'llvm',
};

/** Fence info string for a Notion code language ('' when it names no real language). */
export function fenceLanguage(language: string): string {
  const key = language.trim().toLowerCase();
  const alias = LANGUAGE_ALIASES[key];
  if (alias !== undefined) return alias;
  return key.replace(/[^a-z0-9+#_.-]+/g, '-');
}

/**
 * code: fenced block. Rich text segments are concatenated as-is (Notion splits long code into 2000-char
 * items, so joining with newlines would corrupt it); the fence is longer than any backtick run inside.
 */
export function renderCode(node: BlockNode, ctx: RenderContext, c: Container): void {
  const payload = readPayload(ctx, node.block, codePayload);
  if (payload === null) return;
  const code = plainText(payload.rich_text).replace(/\r\n?/g, '\n').replace(/\n$/, '');
  const fence = '`'.repeat(Math.max(3, longestRun(code, '`') + 1));
  emitBlock(ctx, c, `${fence}${fenceLanguage(payload.language ?? '')}\n${code}\n${fence}`);
  const caption = renderRichText(payload.caption ?? [], ctx, node.block, {
    lineStart: true,
  });
  if (caption !== '') {
    ctx.pending = c.prefix.trimEnd();
    emitBlock(ctx, c, caption);
  }
}

/** equation: display math as `$$` on its own lines. */
export function renderEquation(node: BlockNode, ctx: RenderContext, c: Container): void {
  const payload = readPayload(ctx, node.block, equationPayload);
  if (payload === null) return;
  const expression = payload.expression.trim();
  if (expression !== '') emitBlock(ctx, c, `$$\n${expression}\n$$`);
}
