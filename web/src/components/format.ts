import { ACCESS_LEVEL_LABELS, ACCESS_LEVELS } from '../../../src/contracts/access-levels.ts';
import type { DocumentSummary } from '../../../src/contracts/documents.ts';

type SourceStatus = DocumentSummary['sourceStatus'];

export { ACCESS_LEVEL_LABELS };
export const ACCESS_LEVEL_OPTIONS = ACCESS_LEVELS;

export const SOURCE_STATUS_LABELS: Record<SourceStatus, string> = {
  ok: 'Source OK',
  trashed: 'Source trashed',
  unshared: 'Source unshared',
  deleted: 'Source deleted',
  disconnected: 'Source disconnected',
};
export const SOURCE_STATUS_OPTIONS = Object.keys(SOURCE_STATUS_LABELS) as SourceStatus[];

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "Nov 24, 2025, 7:41 PM", or an em dash for no date. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : dateTime.format(d);
}

/** "3 minutes ago" / "in 4 hours". */
export function formatRelative(iso: string | null | undefined): string {
  if (!iso) return '—';
  const diff = (new Date(iso).getTime() - Date.now()) / 1000;
  if (Number.isNaN(diff)) return '—';
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, seconds] of units) {
    if (Math.abs(diff) >= seconds) return relative.format(Math.round(diff / seconds), unit);
  }
  return relative.format(Math.round(diff), 'second');
}

/** A `<input type="date">` value as the end of that local day in ISO form, or null when empty. */
export function endOfDayIso(date: string): string | null {
  if (!date) return null;
  const d = new Date(`${date}T23:59:59`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
