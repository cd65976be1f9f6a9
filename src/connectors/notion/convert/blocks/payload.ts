import type { z } from 'zod';
import { emitBlock, payloadOf, warn, type Container, type RenderContext } from '../context.ts';
import type { NotionBlock } from '../types.ts';
import { escapeText } from './escape.ts';

/** Writes the visible placeholder line used for anything we cannot render. */
export function emitPlaceholder(ctx: RenderContext, container: Container, label: string, typeName: string): void {
  emitBlock(
    ctx,
    container,
    `> ⚠️ ${label}: ${escapeText(typeName, { lineStart: false, newline: ' ', autolink: false })}`,
  );
}

/**
 * Validates the block's payload; on mismatch writes a placeholder plus a warning and returns null, so a
 * malformed block is visible instead of silently dropped.
 */
export function readPayload<T extends z.ZodType>(
  ctx: RenderContext,
  container: Container,
  block: NotionBlock,
  schema: T,
): z.infer<T> | null {
  const parsed = schema.safeParse(payloadOf(block));
  if (parsed.success) return parsed.data;
  warn(ctx, block, 'invalid_block', `The ${block.type} block did not have the expected shape and was not rendered.`);
  emitPlaceholder(ctx, container, 'Unreadable Notion block', block.type);
  return null;
}
