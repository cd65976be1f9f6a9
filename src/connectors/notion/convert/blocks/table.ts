import { emitBlock, payloadOf, warn, type Container, type RenderContext } from '../context.ts';
import { tablePayload, tableRowPayload } from '../schemas.ts';
import type { BlockNode } from '../types.ts';
import { readPayload } from './payload.ts';
import { renderRichText } from './rich-text.ts';

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/**
 * table: GFM table. GFM requires a header row; when the Notion table has no column header we emit an
 * empty one rather than promoting the first data row, which would claim a header the author never set.
 * With has_row_header the first cell of each body row is bolded, the closest GFM has to a row header.
 */
export function renderTable(node: BlockNode, ctx: RenderContext, c: Container): void {
  const block = node.block;
  const payload = readPayload(ctx, block, tablePayload);
  if (payload === null) return;
  const rows: string[][] = [];
  for (const child of node.children) {
    const parsed = child.block.type === 'table_row' ? tableRowPayload.safeParse(payloadOf(child.block)) : null;
    if (!parsed?.success) {
      warn(ctx, child.block, 'invalid_table_row', 'A table child that is not a readable table_row was skipped.');
      continue;
    }
    const isHeaderRow = payload.has_column_header === true && rows.length === 0;
    rows.push(
      parsed.data.cells.map((cell, i) =>
        renderRichText(cell, ctx, child.block, {
          table: true,
          lineStart: false,
          bold: payload.has_row_header === true && i === 0 && !isHeaderRow,
        }),
      ),
    );
  }
  const width = Math.max(payload.table_width ?? 0, ...rows.map((r) => r.length), 1);
  for (const r of rows) while (r.length < width) r.push('');
  const header =
    payload.has_column_header && rows.length > 0 ? (rows.shift() as string[]) : new Array<string>(width).fill('');
  const lines = [row(header), row(new Array<string>(width).fill('---')), ...rows.map(row)];
  emitBlock(ctx, c, lines.join('\n'));
}
