/**
 * Block-level comparison of two Markdown texts, for reviewing a revision before it is published. A block is
 * what a reader sees as one unit (a paragraph, a heading, a list, a table, a fenced code block), so the
 * review can show each one rendered and marked as kept, added or removed. Pure.
 */

export type DiffOp = 'same' | 'added' | 'removed';
export interface DiffBlock {
  op: DiffOp;
  markdown: string;
}
export interface DiffSummary {
  /** Blocks replaced by another (a removal next to an addition counts once, as a change). */
  changed: number;
  added: number;
  removed: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Split Markdown into blocks at blank lines, never inside a fenced code block, and keeping indented
 * continuation lines (a loose list item's second paragraph, nested content) with the block they belong to.
 */
export function splitBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  let blankBefore = false;
  const flush = () => {
    if (current.length > 0) blocks.push(current.join('\n'));
    current = [];
  };
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (fence !== null) {
      current.push(line);
      const close = FENCE.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length && line.trim() === close[1]) {
        fence = null;
      }
      continue;
    }
    if (line.trim() === '') {
      blankBefore = current.length > 0 || blankBefore;
      continue;
    }
    const continuation = blankBefore && /^(\s{2,}|\t)/.test(line) && current.length > 0;
    if (blankBefore && !continuation) flush();
    else if (continuation) current.push('');
    blankBefore = false;
    current.push(line);
    const open = FENCE.exec(line);
    if (open) fence = open[1]!;
  }
  flush();
  return blocks;
}

/** Longest common subsequence tables above this many cells fall back to "everything in between changed". */
const MAX_CELLS = 4_000_000;

/** Compare two Markdown texts block by block (common prefix and suffix first, then an LCS of the rest). */
export function diffMarkdown(before: string, after: string): DiffBlock[] {
  const a = splitBlocks(before);
  const b = splitBlocks(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const out: DiffBlock[] = a.slice(0, start).map((markdown) => ({ op: 'same', markdown }));
  out.push(...middle(a.slice(start, endA), b.slice(start, endB)));
  out.push(...a.slice(endA).map((markdown): DiffBlock => ({ op: 'same', markdown })));
  return out;
}

function middle(a: string[], b: string[]): DiffBlock[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_CELLS) {
    return [
      ...a.map((markdown): DiffBlock => ({ op: 'removed', markdown })),
      ...b.map((markdown): DiffBlock => ({ op: 'added', markdown })),
    ];
  }
  // lcs[i * (m + 1) + j] = length of the LCS of a[i..] and b[j..]
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lcs[i * (m + 1) + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * (m + 1) + j + 1]! + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
    }
  }
  const out: DiffBlock[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', markdown: a[i]! });
      i += 1;
      j += 1;
    } else if (lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!) {
      out.push({ op: 'removed', markdown: a[i]! });
      i += 1;
    } else {
      out.push({ op: 'added', markdown: b[j]! });
      j += 1;
    }
  }
  for (; i < n; i += 1) out.push({ op: 'removed', markdown: a[i]! });
  for (; j < m; j += 1) out.push({ op: 'added', markdown: b[j]! });
  return out;
}

/** Count changes in plain terms: within each run of edits, paired removals and additions are changes. */
export function summarizeDiff(blocks: DiffBlock[]): DiffSummary {
  const summary: DiffSummary = { changed: 0, added: 0, removed: 0 };
  let added = 0;
  let removed = 0;
  const closeRun = () => {
    const paired = Math.min(added, removed);
    summary.changed += paired;
    summary.added += added - paired;
    summary.removed += removed - paired;
    added = 0;
    removed = 0;
  };
  for (const block of blocks) {
    if (block.op === 'added') added += 1;
    else if (block.op === 'removed') removed += 1;
    else closeRun();
  }
  closeRun();
  return summary;
}
