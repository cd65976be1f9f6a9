import { emit, nestedContainer, type Container, type RenderContext } from '../context.ts';
import { todoPayload, textPayload } from '../schemas.ts';
import type { BlockNode } from '../types.ts';
import { readPayload } from './payload.ts';
import { renderRichText } from './rich-text.ts';

/** Block types rendered as list items. */
export const LIST_TYPES: ReadonlySet<string> = new Set(['bulleted_list_item', 'numbered_list_item', 'to_do']);

/**
 * bulleted_list_item / numbered_list_item / to_do. `marker` is the list marker chosen by the sequence
 * renderer (`-`, `*`, `3.`, `3)`); children are indented to the item's content column. Returns whether
 * blocks other than nested lists were written under the item: the next item then needs a blank line.
 */
export function renderListItem(node: BlockNode, ctx: RenderContext, c: Container, marker: string): boolean {
  const isTodo = node.block.type === 'to_do';
  const payload = readPayload(ctx, node.block, isTodo ? todoPayload : textPayload);
  if (payload === null) return true;
  const text = renderRichText(payload.rich_text, ctx, node.block, {
    lineStart: !isTodo,
  });
  const checkbox = isTodo ? ('checked' in payload && payload.checked ? '[x]' : '[ ]') : '';
  // GFM needs content after `[ ]` to make a task item (`- [ ]` alone is a bullet reading "[ ]"): an empty
  // to-do gets a no-break space, which keeps the checkbox and shows no text.
  const content = checkbox === '' ? text : `${checkbox} ${text === '' ? '&nbsp;' : text}`;
  const indent = ' '.repeat(marker.length + 1);
  emit(ctx, c, content, `${c.prefix}${marker}${content === '' ? '' : ' '}`, c.prefix + indent);
  if (node.children.length === 0) return false;
  const before = ctx.lines.length;
  ctx.renderChildren(node.children, nestedContainer(c, indent, content !== ''));
  return ctx.lines.length > before && node.children.some((child) => !LIST_TYPES.has(child.block.type));
}
