/** True for PostgreSQL's unique_violation (23505) on the named constraint or index. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && e.constraint === constraint;
}

/**
 * True for PostgreSQL refusing text it cannot store: a NUL byte in text (22021) or in jsonb (22P05). Input
 * hygiene at the boundary refuses these first; this is the backstop for a path that missed it.
 */
export function isUnstorableText(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === '22021' || code === '22P05';
}
