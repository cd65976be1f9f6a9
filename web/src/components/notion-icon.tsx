import { Icon } from './icons.tsx';

/** Pull an emoji or image URL out of a Notion icon object, whatever its shape. */
function iconParts(icon: unknown): { emoji?: string; url?: string } {
  if (typeof icon === 'string') return /^(https?:|data:image\/)/.test(icon) ? { url: icon } : { emoji: icon };
  if (typeof icon !== 'object' || icon === null) return {};
  const record = icon as Record<string, unknown>;
  if (typeof record['emoji'] === 'string') return { emoji: record['emoji'] };
  for (const key of ['external', 'file', 'custom_emoji']) {
    const inner = record[key];
    if (typeof inner === 'object' && inner !== null && typeof (inner as { url?: unknown }).url === 'string') {
      const url = (inner as { url: string }).url;
      if (/^https?:/.test(url)) return { url };
    }
  }
  return {};
}

/** A page, database or workspace icon, falling back to a neutral glyph. */
export function NotionIcon({
  icon,
  kind = 'page',
  size = 20,
}: {
  icon: unknown;
  kind?: 'page' | 'database' | 'workspace';
  size?: number;
}) {
  const { emoji, url } = iconParts(icon);
  const style = { width: size, height: size, fontSize: Math.round(size * 0.8) };
  if (url) return <img className="notion-icon" src={url} alt="" style={style} referrerPolicy="no-referrer" />;
  if (emoji)
    return (
      <span className="notion-icon notion-icon-emoji" aria-hidden="true" style={style}>
        {emoji}
      </span>
    );
  if (kind === 'workspace')
    return (
      <span className="notion-icon notion-icon-workspace" aria-hidden="true" style={style}>
        N
      </span>
    );
  return (
    <span className="notion-icon notion-icon-generic" aria-hidden="true" style={style}>
      <Icon name={kind} size={Math.round(size * 0.9)} />
    </span>
  );
}
