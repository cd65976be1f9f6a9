import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError, appError, type ErrorCode } from '../errors.ts';

const issuesOf = (error: z.ZodError) => error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

function describe(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'Invalid input.';
  const where = first.path.length ? `${first.path.join('.')}: ` : '';
  return `${where}${first.message}`;
}

/** Parse data against a schema or throw a 400 naming the first problem (all problems in details). */
export function parseInput<S extends z.ZodType>(
  schema: S,
  data: unknown,
  code: ErrorCode = 'invalid_input',
): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw appError(code, describe(result.error), issuesOf(result.error));
  return result.data;
}

/** Read and validate a JSON body; malformed JSON and a wrong content type are 400s, never 500s. */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new AppError({
      code: 'unsupported_media_type',
      message: 'Send the request body as application/json.',
    });
  }
  let data: unknown;
  try {
    const text = await c.req.text();
    data = text.length === 0 ? {} : JSON.parse(text);
  } catch {
    throw appError('malformed_json', 'The request body is not valid JSON.');
  }
  return parseInput(schema, data, 'invalid_body');
}
