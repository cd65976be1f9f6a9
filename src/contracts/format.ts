/** Presenters shared by the server-rendered trust center and the admin app, so both show the same figures. */

const BYTE_UNITS = ['KB', 'MB', 'GB'] as const;

/** "512 B", "1.2 MB", "34 MB": one decimal below 10 units, whole numbers above. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}
