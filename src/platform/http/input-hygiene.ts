import { appError } from '../errors.ts';

/** No request body of ours needs more; a body past either limit is refused before JSON.parse and zod. */
export const JSON_SHAPE_LIMITS = { maxDepth: 32, maxMembers: 10_000 } as const;

/**
 * Reject JSON text that nests deeper or holds more keys/array items than any endpoint accepts, in one pass
 * over the characters (strings skipped), before it is parsed: parsing 400,000 keys and then having a schema
 * list each of them costs far more than counting separators.
 */
export function assertJsonShape(text: string, limits = JSON_SHAPE_LIMITS): void {
  let depth = 0;
  let members = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
      continue;
    }
    if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > limits.maxDepth) {
        throw appError('json_too_complex', `The request body nests deeper than ${limits.maxDepth} levels.`);
      }
    } else if (ch === 0x7d || ch === 0x5d) depth--;
    else if (ch === 0x2c && ++members > limits.maxMembers) {
      throw appError('json_too_complex', `The request body holds more than ${limits.maxMembers} values.`);
    }
  }
}

/**
 * Control characters other than tab, line feed and carriage return. NUL cannot be stored by PostgreSQL at
 * all, and the others have no business in names, titles or Markdown; they are refused at the boundary with
 * the field named rather than failing deep in the database.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_ALL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export const hasControlChars = (value: string) => CONTROL.test(value);

/** Remove control characters where dropping them is harmless (free text in public forms, file names). */
export const stripControlChars = (value: string) => value.replace(CONTROL_ALL, '');

/** The dotted path of the first string (key or value) in `value` holding a control character, if any. */
export function findControlChars(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return hasControlChars(value) ? path.join('.') || '(body)' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findControlChars(value[i], [...path, String(i)]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (hasControlChars(key)) return [...path, key.replace(CONTROL_ALL, '?')].join('.');
      const found = findControlChars(item, [...path, key]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Throw a 400 naming the field when any string in `value` holds a control character. */
export function assertNoControlChars(value: unknown, code: 'invalid_body' | 'invalid_query' | 'invalid_path'): void {
  const field = findControlChars(value);
  if (field === undefined) return;
  throw appError(code, `${field}: must not contain control characters (such as NUL).`, [
    { path: field, message: 'must not contain control characters' },
  ]);
}
