import { b, fakeId } from './builders.ts';
import type { BlockSpec, PageSpec, WorkspaceSpec } from './workspace-spec.ts';

/**
 * A page with exactly `blocks` blocks spread over several levels: for 250+ blocks more than 100
 * top-level blocks, from 400+ blocks one toggle with more than 100 children (so nested containers
 * page too), and many small three-level sections. Deterministic for given options.
 */
export function generateNestedPage(opts: { blocks: number; id?: string; title?: string }): PageSpec {
  const pageId = opts.id ?? fakeId(`nested-page:${opts.blocks}`);
  let remaining = opts.blocks;
  const paragraph = (label: string): BlockSpec => {
    remaining -= 1;
    return b.paragraph(label);
  };
  const top: BlockSpec[] = [];
  for (let i = 0; remaining > 0; i += 1) {
    if (i === 5 && remaining > 400) {
      remaining -= 1;
      const items = Array.from({ length: 150 }, (_, j) => paragraph(`Large toggle item ${j}`));
      top.push(b.toggle('Large toggle', items));
    } else if (i % 7 === 3 && remaining >= 8) {
      // toggle > [bullet > [2 paragraphs], 3 paragraphs] = 7 blocks in three levels
      remaining -= 2;
      const bullet = b.bullet(`Nested bullet ${i}`, [paragraph(`Deep ${i}.1`), paragraph(`Deep ${i}.2`)]);
      top.push(
        b.toggle(`Section ${i}`, [
          bullet,
          paragraph(`Item ${i}.a`),
          paragraph(`Item ${i}.b`),
          paragraph(`Item ${i}.c`),
        ]),
      );
    } else {
      top.push(paragraph(`Paragraph ${i}`));
    }
  }
  return {
    id: pageId,
    title: opts.title ?? `Nested page (${opts.blocks} blocks)`,
    children: top,
  };
}

export interface LargeWorkspace {
  workspace: WorkspaceSpec;
  /** Pages whose last_edited_time is after `changedAfter`; all others are older. */
  changedPageIds: string[];
  changedAfter: string;
}

const BASE = Date.parse('2026-01-01T00:00:00.000Z');
const MINUTE = 60_000;

/** `pages` small top-level pages, the first `changed` of them edited after `changedAfter`. */
export function generateLargeWorkspace(opts: {
  pages: number;
  changed: number;
  blocksPerPage?: number;
}): LargeWorkspace {
  const changedAfter = new Date(BASE + (opts.pages + 10) * MINUTE).toISOString();
  const blocksPerPage = opts.blocksPerPage ?? 4;
  const changedPageIds: string[] = [];
  const pages: PageSpec[] = Array.from({ length: opts.pages }, (_, i) => {
    const id = fakeId(`large:${i}`);
    const isChanged = i < opts.changed;
    if (isChanged) changedPageIds.push(id);
    const edited = isChanged ? Date.parse(changedAfter) + (i + 1) * MINUTE : BASE + i * MINUTE;
    return {
      id,
      title: `Policy document ${i}`,
      createdTime: new Date(BASE + i * MINUTE).toISOString(),
      lastEditedTime: new Date(edited).toISOString(),
      children: [
        b.heading2(`Policy document ${i}`),
        ...Array.from({ length: Math.max(0, blocksPerPage - 1) }, (_, j) =>
          b.paragraph(`Clause ${j + 1} of document ${i}.`),
        ),
      ],
    };
  });
  return {
    workspace: {
      workspaceName: 'Large Workspace',
      workspaceId: fakeId('large:workspace'),
      botId: fakeId('large:bot'),
      botName: 'Trust Center',
      ownerUserId: fakeId('large:owner'),
      ownerName: 'Workspace Owner',
      pages,
    },
    changedPageIds,
    changedAfter,
  };
}
