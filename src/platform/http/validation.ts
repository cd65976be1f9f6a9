import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError, appError, type ErrorCode } from '../errors.ts';
import { readBoundedText } from './body-limits.ts';
import { assertJsonShape, assertNoControlChars } from './input-hygiene.ts';

/** At most this many problems are listed, each clipped: an error answer never grows with the input. */
const MAX_ISSUES = 10;
const MAX_TEXT = 200;
const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);

const issuesOf = (error: z.ZodError) =>
  error.issues.slice(0, MAX_ISSUES).map((i) => ({ path: clip(i.path.join('.')), message: clip(i.message) }));

function describe(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'Invalid input.';
  const where = first.path.length ? `${first.path.join('.')}: ` : '';
  return clip(`${where}${first.message}`);
}

/** Parse data against a schema or throw a 400 naming the first problem (the first few in details). */
export function parseInput<S extends z.ZodType>(
  schema: S,
  data: unknown,
  code: ErrorCode = 'invalid_input',
): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw appError(code, describe(result.error), issuesOf(result.error));
  return result.data;
}

/**
 * Read and validate a JSON body: a wrong content type is 415, a body over the route's cap 413, too deep or
 * too many values 400 before parsing, malformed JSON 400, control characters 400 naming the field, and only
 * then the schema. Never a 500.
 */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new AppError({ code: 'unsupported_media_type', message: 'Send the request body as application/json.' });
  }
  const text = await readBoundedText(c);
  assertJsonShape(text);
  let data: unknown;
  try {
    data = text.length === 0 ? {} : JSON.parse(text);
  } catch {
    throw appError('malformed_json', 'The request body is not valid JSON.');
  }
  assertNoControlChars(data, 'invalid_body');
  return parseInput(schema, data, 'invalid_body');
}
