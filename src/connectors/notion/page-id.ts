import { appError } from '../../platform/errors.ts';

const HEX32 = /([0-9a-f]{32})(?:[?#].*)?$/i;

/**
 * Normalise a Notion page id or page URL to the dashed lowercase form Notion returns, so the same page
 * always maps to the same document whichever form a user pasted.
 */
export function normalizePageId(input: string): string {
  const compact = input.trim().replace(/-/g, '');
  const match = HEX32.exec(compact);
  if (!match?.[1]) throw appError('invalid_page_id', `"${input.slice(0, 80)}" is not a Notion page id or URL.`);
  const h = match[1].toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
