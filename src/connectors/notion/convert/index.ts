import { mediaAsset } from './blocks/media.ts';
import type { Container, RenderContext } from './context.ts';
import { renderSequence } from './render.ts';
import type { BlockNode, ConvertAsset, ConvertOptions, ConvertResult, ConvertWarning } from './types.ts';

export type { BlockNode, ConvertAsset, ConvertOptions, ConvertResult, ConvertWarning } from './types.ts';

function walk(tree: readonly BlockNode[], visit: (node: BlockNode) => boolean | void): boolean {
  for (const node of tree) {
    if (visit(node) === true || walk(node.children, visit)) return true;
  }
  return false;
}

function allAssets(tree: readonly BlockNode[]): ConvertAsset[] {
  const assets: ConvertAsset[] = [];
  walk(tree, (node) => {
    const asset = mediaAsset(node.block);
    if (asset !== null) assets.push(asset);
  });
  return assets;
}

/**
 * Converts a fetched block tree to GitHub-flavoured Markdown. Pure: no I/O, clock or randomness.
 * `assets` lists every media/file block in document order (both Notion-hosted and external).
 */
export function convertBlocks(tree: BlockNode[], options: ConvertOptions = {}): ConvertResult {
  const warnings: ConvertWarning[] = [];
  const ctx: RenderContext = {
    lines: [],
    warnings,
    assetUrls: options.assetUrls,
    pending: null,
    listRuns: 0,
    renderChildren: (nodes, container) => renderSequence(nodes, ctx, container),
  };
  const root: Container = {
    prefix: '',
    started: false,
    afterParagraph: false,
    lastList: null,
  };
  renderSequence(tree, ctx, root);
  const markdown = ctx.lines.length > 0 ? `${ctx.lines.join('\n')}\n` : '';
  return { markdown, assets: allAssets(tree), warnings };
}

/** Notion-hosted (`source: 'file'`) media/file assets, in document order: the ones to re-host before converting. */
export function collectAssets(tree: BlockNode[]): ConvertAsset[] {
  return allAssets(tree).filter((asset) => asset.source === 'file');
}

/** The document's attachment: the first `pdf` block depth-first, else the first `file` block; undefined if none. */
export function pickAttachment(tree: BlockNode[]): ConvertAsset | undefined {
  let file: ConvertAsset | undefined;
  let pdf: ConvertAsset | undefined;
  walk(tree, (node) => {
    const type = node.block.type;
    if (type !== 'pdf' && (type !== 'file' || file !== undefined)) return false;
    const asset = mediaAsset(node.block);
    if (asset === null) return false;
    if (type === 'pdf') pdf = asset;
    else file = asset;
    return pdf !== undefined;
  });
  return pdf ?? file;
}
