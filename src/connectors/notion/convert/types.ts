/** Raw Notion block JSON (2022-06-28 or 2025-09-03 shape); only the parts a renderer reads are validated. */
export type NotionBlock = {
  id: string;
  type: string;
  has_children?: boolean;
  [k: string]: unknown;
};

/** A block with the children the fetcher listed for it (empty when it has none or they were not fetched). */
export interface BlockNode {
  block: NotionBlock;
  children: BlockNode[];
}

export type AssetKind = 'image' | 'file' | 'pdf' | 'video' | 'audio';

/** A media/file block's payload: `file` = hosted by Notion (signed URL, ~1 h), `external` = any public URL. */
export interface ConvertAsset {
  blockId: string;
  kind: AssetKind;
  url: string;
  source: 'file' | 'external';
  name: string;
  expiryTime?: string;
}

export interface ConvertWarning {
  blockId: string;
  blockType: string;
  code: string;
  message: string;
}

export interface ConvertResult {
  markdown: string;
  assets: ConvertAsset[];
  warnings: ConvertWarning[];
}

export interface ConvertOptions {
  /** blockId -> re-hosted URL; used instead of Notion's expiring URL when present. */
  assetUrls?: ReadonlyMap<string, string>;
}
