/** Milliseconds a `Retry-After` header asks for (delay-seconds or an HTTP date), or null if absent or invalid. */
export function retryAfterMs(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}
