/** Small stroke icons drawn inline, so they look the same whatever fonts the machine has. */
export type IconName = 'page' | 'database' | 'file' | 'markdown' | 'external';

const PATHS: Record<IconName, string> = {
  page: 'M6 2.5h5.5L15 6v11.5H6zM11.5 2.5V6H15',
  database: 'M3.5 4.5h13v11h-13zM3.5 8.5h13M3.5 12h13M8 8.5v7',
  file: 'M13.5 9.5l-4.8 4.8a2.5 2.5 0 01-3.5-3.5l5.6-5.6a1.7 1.7 0 012.4 2.4l-5.5 5.5a.8.8 0 01-1.2-1.2l4.8-4.8',
  markdown: 'M6 2.5h5.5L15 6v11.5H6zM8.5 10.5h4M8.5 13.5h4M8.5 7.5h1.5',
  external: 'M11 3.5h5.5V9M16.5 3.5L9 11M14 12v4.5H3.5V6H8',
};

/** An icon from the set above, decorative unless given a label. */
export function Icon({ name, size = 18, label }: { name: IconName; size?: number; label?: string }) {
  return (
    <svg
      className={`icon icon-${name}`}
      width={size}
      height={size}
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      strokeLinecap="round"
      strokeLinejoin="round"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
