import { emit, emitBlock, nestedContainer, warn, type Container, type RenderContext } from '../context.ts';
import { calloutPayload, textPayload } from '../schemas.ts';
import type { BlockNode } from '../types.ts';
import { readPayload } from './payload.ts';
import { renderRichText } from './rich-text.ts';

// Notion lets paragraphs, headings and toggles own child blocks. Markdown has no such nesting outside
// lists and quotes (indentation alone would turn them into code blocks), so those children follow their
// parent as ordinary blocks.

/** paragraph: inline text; empty paragraphs (Notion's spacing) produce nothing. */
export function renderParagraph(node: BlockNode, ctx: RenderContext, c: Container): void {
  const payload = readPayload(ctx, c, node.block, textPayload);
  if (payload === null) return;
  const text = renderRichText(payload.rich_text, ctx, node.block, {
    lineStart: true,
  });
  if (text !== '') emitBlock(ctx, c, text);
  ctx.renderChildren(node.children, c);
}

/** heading_1..heading_4 as ATX headings; a toggleable heading's children follow it unindented. */
export function renderHeading(node: BlockNode, ctx: RenderContext, c: Container): void {
  const payload = readPayload(ctx, c, node.block, textPayload);
  if (payload === null) return;
  const level = Number(node.block.type.slice(-1));
  const text = renderRichText(payload.rich_text, ctx, node.block, {
    singleLine: true,
    lineStart: false,
  });
  if (text !== '') emitBlock(ctx, c, `${'#'.repeat(level)} ${text}`);
  ctx.renderChildren(node.children, c);
}

/**
 * toggle: `▸ **summary**` followed by the children as plain blocks. Raw HTML (`<details>`) is stripped by
 * the sanitizer and indentation would create code blocks, so the toggle is rendered open; the arrow and
 * bold summary keep it recognisable, and FAQ-style pages read naturally as question + answer.
 */
export function renderToggle(node: BlockNode, ctx: RenderContext, c: Container): void {
  const payload = readPayload(ctx, c, node.block, textPayload);
  if (payload === null) return;
  const text = renderRichText(payload.rich_text, ctx, node.block, {
    lineStart: false,
    bold: true,
  });
  if (text !== '') emitBlock(ctx, c, `▸ ${text}`);
  ctx.renderChildren(node.children, c);
}

function renderQuoted(
  node: BlockNode,
  ctx: RenderContext,
  c: Container,
  leading: string,
  richText: readonly unknown[],
): void {
  const text = renderRichText(richText, ctx, node.block, {
    lineStart: leading === '',
  });
  const line = leading === '' ? text : text === '' ? leading : `${leading} ${text}`;
  const quotePrefix = `${c.prefix}> `;
  if (line !== '') emit(ctx, c, line, quotePrefix, quotePrefix);
  ctx.renderChildren(node.children, nestedContainer(c, '> ', line !== ''));
}

/** quote: blockquote; children stay inside the quote. */
export function renderQuote(node: BlockNode, ctx: RenderContext, c: Container): void {
  const payload = readPayload(ctx, c, node.block, textPayload);
  if (payload !== null) renderQuoted(node, ctx, c, '', payload.rich_text);
}

/** callout: blockquote starting with the callout's emoji (other icon kinds have no text form). */
export function renderCallout(node: BlockNode, ctx: RenderContext, c: Container): void {
  const payload = readPayload(ctx, c, node.block, calloutPayload);
  if (payload === null) return;
  const icon = payload.icon;
  const emoji = icon?.type === 'emoji' && icon.emoji ? icon.emoji : '';
  renderQuoted(node, ctx, c, emoji, payload.rich_text);
}

/** template (legacy template button): an editing affordance whose children are hidden in Notion too. */
export function renderTemplate(node: BlockNode, ctx: RenderContext): void {
  warn(ctx, node.block, 'template_omitted', 'Template buttons are editing tools and are not imported.');
}
