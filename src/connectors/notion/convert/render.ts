import { renderCode, renderEquation } from './blocks/code.ts';
import {
  renderChildPage,
  renderDivider,
  renderLinkToPage,
  renderMeetingNotes,
  renderNothing,
  renderSyncedBlock,
  renderTab,
  renderTransparent,
  renderUnsupported,
} from './blocks/layout.ts';
import { LIST_TYPES, renderListItem } from './blocks/lists.ts';
import { renderLinkBlock, renderMedia } from './blocks/media.ts';
import { plainText } from './blocks/rich-text.ts';
import { renderTable } from './blocks/table.ts';
import {
  renderCallout,
  renderHeading,
  renderParagraph,
  renderQuote,
  renderTemplate,
  renderToggle,
} from './blocks/text.ts';
import {
  blankLine,
  payloadOf,
  plainSeparator,
  warn,
  writeBlock,
  type Container,
  type RenderContext,
} from './context.ts';
import { numberedPayload } from './schemas.ts';
import type { BlockNode } from './types.ts';

type Renderer = (node: BlockNode, ctx: RenderContext, c: Container) => void;

const RENDERERS: Readonly<Record<string, Renderer>> = {
  paragraph: renderParagraph,
  heading_1: renderHeading,
  heading_2: renderHeading,
  heading_3: renderHeading,
  heading_4: renderHeading,
  toggle: renderToggle,
  quote: renderQuote,
  callout: renderCallout,
  template: renderTemplate,
  code: renderCode,
  equation: renderEquation,
  divider: renderDivider,
  table: renderTable,
  column_list: renderTransparent,
  column: renderTransparent,
  synced_block: renderSyncedBlock,
  child_page: renderChildPage,
  child_database: renderChildPage,
  link_to_page: renderLinkToPage,
  bookmark: renderLinkBlock,
  embed: renderLinkBlock,
  link_preview: renderLinkBlock,
  image: renderMedia,
  video: renderMedia,
  audio: renderMedia,
  file: renderMedia,
  pdf: renderMedia,
  breadcrumb: renderNothing,
  table_of_contents: renderNothing,
  tab: renderTab,
  meeting_notes: renderMeetingNotes,
  transcription: renderMeetingNotes,
};

// Children of these live elsewhere (separate pages) or are reported by their own renderer.
const CHILDREN_NOT_EXPECTED = new Set(['child_page', 'child_database', 'synced_block', 'unsupported', 'template']);

interface ListRuns {
  ordered: { run: number; next: number } | null;
  bullet: number | null;
}

function listStart(node: BlockNode): number | null {
  const parsed = numberedPayload.safeParse(payloadOf(node.block));
  return parsed.success ? (parsed.data.list_start_index ?? null) : null;
}

function hasText(node: BlockNode): boolean {
  const payload = payloadOf(node.block);
  if (typeof payload !== 'object' || payload === null || !('rich_text' in payload) || !Array.isArray(payload.rich_text))
    return false;
  return plainText(payload.rich_text).trim() !== '';
}

/**
 * Writes one list item. Numbering restarts after any non-list sibling (as in Notion) and honours
 * list_start_index; a new list written right after another of the same kind switches delimiter (`.`/`)`,
 * `-`/`*`), since CommonMark would otherwise merge the two.
 */
function renderListEntry(node: BlockNode, ctx: RenderContext, c: Container, runs: ListRuns): void {
  const ordered = node.block.type === 'numbered_list_item';
  const kind = ordered ? 'ordered' : 'bullet';
  let run: number;
  let number = 0;
  if (ordered) {
    runs.bullet = null;
    const start = listStart(node);
    if (runs.ordered === null || (start !== null && start !== runs.ordered.next))
      runs.ordered = { run: ++ctx.listRuns, next: start ?? 1 };
    number = runs.ordered.next++;
    run = runs.ordered.run;
  } else {
    runs.ordered = null;
    runs.bullet ??= ++ctx.listRuns;
    run = runs.bullet;
  }
  const last = c.lastList;
  let delimiter: string;
  let separator: string | null;
  if (last !== null && last.kind === kind && last.run === run) {
    delimiter = last.delimiter;
    separator = last.tight ? null : blankLine(c);
  } else {
    const [base, alternate] = ordered ? ['.', ')'] : ['-', '*'];
    delimiter =
      last !== null && last.kind === kind && last.delimiter === base ? (alternate as string) : (base as string);
    // Only a non-empty bullet or an ordered item numbered 1 may directly follow a paragraph line.
    const canInterrupt = (!ordered || number === 1) && hasText(node);
    separator = c.started || (c.afterParagraph && !canInterrupt) ? blankLine(c) : null;
  }
  const marker = ordered ? `${number}${delimiter}` : delimiter;
  let nested = false;
  if (writeBlock(ctx, separator, () => (nested = renderListItem(node, ctx, c, marker)))) {
    c.lastList = { kind, run, delimiter, tight: !nested };
  }
}

/** Renders sibling blocks into a container, separating blocks with blank lines and keeping lists tight. */
export function renderSequence(nodes: readonly BlockNode[], ctx: RenderContext, c: Container): void {
  const runs: ListRuns = { ordered: null, bullet: null };
  for (const node of nodes) {
    const type = node.block.type;
    if (node.block.has_children === true && node.children.length === 0 && !CHILDREN_NOT_EXPECTED.has(type)) {
      warn(ctx, node.block, 'children_missing', 'The block has nested content that was not fetched.');
    }
    if (LIST_TYPES.has(type)) {
      renderListEntry(node, ctx, c, runs);
      continue;
    }
    runs.ordered = null;
    runs.bullet = null;
    const renderer = RENDERERS[type] ?? renderUnsupported;
    writeBlock(ctx, plainSeparator(c), () => renderer(node, ctx, c));
  }
}
