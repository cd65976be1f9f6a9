import { z } from 'zod';
import { ErrorBodySchema } from '../../contracts/common.ts';
import type { ApiRouter } from './api-router.ts';

const toSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

/** Build the OpenAPI 3.1 document from the declared routes. */
export function buildOpenApi(router: ApiRouter, serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of router.specs) {
    const path = spec.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [name] of spec.path.matchAll(/:([A-Za-z]+)/g)) {
      parameters.push({
        name: name.slice(1),
        in: 'path',
        required: true,
        schema: { type: 'string' },
      });
    }
    if (spec.query) {
      const qs = toSchema(spec.query) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(qs.properties ?? {})) {
        parameters.push({
          name,
          in: 'query',
          required: qs.required?.includes(name) ?? false,
          schema,
        });
      }
    }
    const status = String(spec.status ?? 200);
    const responses: Record<string, unknown> = {
      [status]: spec.response
        ? {
            description: 'Success',
            content: {
              [spec.responseContentType ?? 'application/json']: {
                schema: toSchema(spec.response),
              },
            },
          }
        : { description: 'Success' },
      '4XX': {
        description: 'Client error',
        content: { 'application/json': { schema: toSchema(ErrorBodySchema) } },
      },
    };
    const requestBody = spec.body
      ? {
          required: true,
          content: { 'application/json': { schema: toSchema(spec.body) } },
        }
      : spec.rawBody
        ? {
            required: true,
            description: spec.rawBody.description,
            content: { [spec.rawBody.contentType]: {} },
          }
        : undefined;
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      'x-required-role': spec.access,
      security: spec.access === 'public' ? [] : [{ session: [] }, { bearer: [] }],
      parameters,
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Trust Center API',
      version: '1.0.0',
      description: 'Documents, access levels, integrations and the Notion connector.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'tc_session',
          description: 'Browser session; mutations also need the X-CSRF-Token header.',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'Personal API token (npm run cli -- token:create).',
        },
      },
    },
    paths,
  };
}
