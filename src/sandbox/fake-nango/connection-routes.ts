import { Hono } from 'hono';
import { z } from 'zod';
import type {
  ApiEndUser,
  ApiPublicConnection,
  DeletePublicConnection,
  GetPublicConnection,
  GetPublicConnections,
  PatchPublicConnection,
} from '@nangohq/types';
import { emitDeletion, type FakeEnvironment } from './auth-flow.ts';
import { nangoError, rejectQuery, secretKeyAuth, zodErrors } from './nango-errors.ts';
import { endUserSchema, organizationSchema, tagsSchema } from './session-schemas.ts';
import type { FakeConnection } from './store.ts';

const stringBool = z.enum(['true', 'false']);

const getOneQuerySchema = z.strictObject({
  provider_config_key: z.string().min(1),
  force_refresh: stringBool.optional(),
  refresh_token: stringBool.optional(),
  refresh_github_app_jwt_token: stringBool.optional(),
});

const listQuerySchema = z.strictObject({
  connectionId: z.string().optional(),
  search: z.string().optional(),
  endUserId: z.string().optional(),
  integrationId: z.string().optional(),
  endUserOrganizationId: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  limit: z.coerce.number().int().min(1).max(2000).optional(),
  page: z.coerce.number().int().min(0).optional(),
});

const metadataBodySchema = z.strictObject({
  connection_id: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  provider_config_key: z.string().min(1),
  metadata: z.record(z.string(), z.unknown()),
});

const patchBodySchema = z.strictObject({
  end_user: endUserSchema.extend({ organization: organizationSchema.optional() }).optional(),
  tags: tagsSchema.optional(),
  webhook_url_override: z.union([z.url(), z.literal('')]).optional(),
});

/** Nango's GET-one timestamps use `+00:00` instead of `Z`. */
const pgTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

function endUserView(conn: FakeConnection): ApiEndUser | null {
  if (!conn.endUser) return null;
  return {
    id: conn.endUser.id,
    display_name: conn.endUser.display_name ?? null,
    email: conn.endUser.email ?? null,
    tags: conn.endUser.tags ?? null,
    organization: conn.organization
      ? {
          id: conn.organization.id,
          display_name: conn.organization.display_name ?? null,
        }
      : null,
  };
}

/** Fields both the list and the get-one shapes carry. */
function connectionBase(conn: FakeConnection): Omit<ApiPublicConnection, 'created'> {
  return {
    id: conn.id,
    connection_id: conn.connectionId,
    provider_config_key: conn.providerConfigKey,
    provider: conn.provider,
    errors: conn.authErrorLogId === null ? [] : [{ type: 'auth', log_id: conn.authErrorLogId }],
    end_user: endUserView(conn),
    tags: conn.tags,
    metadata: conn.metadata,
  };
}

/** The list-item shape (note `created`, not `created_at`). */
function listItem(conn: FakeConnection): ApiPublicConnection {
  return {
    ...connectionBase(conn),
    created: new Date(conn.createdAt).toISOString(),
  };
}

/**
 * Nango parses query strings with `qs`, so `tags[k]=v` arrives as a nested object; only that one
 * bracket form is used by the SDK, so a tiny parser covers it.
 */
function parseListQuery(url: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const tags: Record<string, string> = {};
  for (const [key, value] of new URL(url).searchParams) {
    const tag = /^tags\[(.+)\]$/.exec(key);
    if (tag?.[1] !== undefined) tags[tag[1]] = value;
    else out[key] = value;
  }
  if (Object.keys(tags).length > 0) out['tags'] = tags;
  return out;
}

/** `/connections` routes: get, list, delete, patch and metadata. */
export function connectionRoutes(env: FakeEnvironment, opts: { secretKey: string }) {
  const app = new Hono();
  // Hono's `/connections/*` also matches `/connections` itself.
  app.use('/connections/*', secretKeyAuth(opts.secretKey));

  const writeMetadata = (merge: boolean) =>
    app.on(merge ? 'PATCH' : 'POST', '/connections/metadata', async (c) => {
      const badQuery = rejectQuery(c);
      if (badQuery) return badQuery;
      const parsed = metadataBodySchema.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success)
        return nangoError(c, 400, 'invalid_body', undefined, {
          errors: zodErrors(parsed.error),
        });
      const b = parsed.data;
      const ids = Array.isArray(b.connection_id) ? b.connection_id : [b.connection_id];
      const conns: FakeConnection[] = [];
      for (const id of ids) {
        const conn = env.store.liveConnection(id, b.provider_config_key);
        if (!conn) {
          return nangoError(
            c,
            404,
            'unknown_connection',
            `Connection with connection id ${id} and provider config key ${b.provider_config_key} not found. Please make sure the connection exists in the Nango dashboard`,
          );
        }
        conns.push(conn);
      }
      for (const conn of conns) {
        conn.metadata = merge ? { ...conn.metadata, ...b.metadata } : { ...b.metadata };
        conn.updatedAt = env.store.now();
      }
      return c.json(b, merge ? 200 : 201);
    });
  writeMetadata(false);
  writeMetadata(true);

  app.get('/connections', (c) => {
    const parsed = listQuerySchema.safeParse(parseListQuery(c.req.url));
    if (!parsed.success)
      return nangoError(c, 400, 'invalid_query_params', undefined, {
        errors: zodErrors(parsed.error),
      });
    const q = parsed.data;
    const integrations = q.integrationId?.split(',').map((s) => s.trim());
    const search = q.search?.toLowerCase();
    const matches = env.store
      .liveConnections()
      .filter((conn) => q.connectionId === undefined || conn.connectionId === q.connectionId)
      .filter((conn) => !integrations || integrations.includes(conn.providerConfigKey))
      .filter((conn) => q.endUserId === undefined || conn.endUser?.id === q.endUserId)
      .filter((conn) => q.endUserOrganizationId === undefined || conn.organization?.id === q.endUserOrganizationId)
      .filter((conn) => Object.entries(q.tags ?? {}).every(([k, v]) => conn.tags[k.toLowerCase()] === v))
      .filter(
        (conn) =>
          search === undefined ||
          [conn.connectionId, conn.endUser?.id, conn.endUser?.email, conn.endUser?.display_name].some((s) =>
            s?.toLowerCase().includes(search),
          ),
      )
      .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
    const limit = q.limit ?? 10_000;
    const page = q.page ?? 0;
    const body: GetPublicConnections['Success'] = {
      connections: matches.slice(page * limit, (page + 1) * limit).map(listItem),
    };
    return c.json(body);
  });

  app.get('/connections/:connectionId', (c) => {
    const parsed = getOneQuerySchema.safeParse(c.req.query());
    if (!parsed.success)
      return nangoError(c, 400, 'invalid_query_params', undefined, {
        errors: zodErrors(parsed.error),
      });
    if (parsed.data.provider_config_key !== env.integrationId)
      return nangoError(c, 400, 'unknown_provider_config', 'Provider does not exists');
    const conn = env.store.liveConnection(c.req.param('connectionId'), parsed.data.provider_config_key);
    if (!conn) return nangoError(c, 404, 'not_found', 'Failed to find connection');
    const body: GetPublicConnection['Success'] = {
      ...connectionBase(conn),
      connection_config: conn.connectionConfig,
      webhook_url_override: conn.webhookUrlOverride,
      created_at: pgTime(conn.createdAt),
      updated_at: pgTime(conn.updatedAt),
      last_fetched_at: null,
      // The fake's single key behaves like a full-access key, which includes read_credentials.
      credentials: conn.credentials,
    };
    return c.json(body);
  });

  app.patch('/connections/:connectionId', async (c) => {
    const key = c.req.query('provider_config_key');
    if (key !== env.integrationId) return nangoError(c, 400, 'unknown_provider_config', 'Provider does not exists');
    const conn = env.store.liveConnection(c.req.param('connectionId'), key);
    if (!conn) return nangoError(c, 404, 'not_found', 'Failed to find connection');
    const parsed = patchBodySchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success)
      return nangoError(c, 400, 'invalid_body', undefined, {
        errors: zodErrors(parsed.error),
      });
    const b = parsed.data;
    if (b.end_user) {
      const { organization, ...endUser } = b.end_user;
      conn.endUser = endUser;
      conn.organization = organization ?? conn.organization;
    }
    if (b.tags) conn.tags = b.tags;
    if (b.webhook_url_override !== undefined) conn.webhookUrlOverride = b.webhook_url_override || null;
    conn.updatedAt = env.store.now();
    const body: PatchPublicConnection['Success'] = { success: true };
    return c.json(body);
  });

  app.delete('/connections/:connectionId', (c) => {
    const key = c.req.query('provider_config_key');
    const conn = key === undefined ? undefined : env.store.liveConnection(c.req.param('connectionId'), key);
    if (!conn) return nangoError(c, 400, 'unknown_connection');
    // Soft delete, and no token revocation at Notion: Nango defines no pre-deletion script for Notion.
    conn.deleted = true;
    conn.updatedAt = env.store.now();
    void emitDeletion(env, conn);
    const body: DeletePublicConnection['Success'] = { success: true };
    return c.json(body);
  });

  return app;
}
