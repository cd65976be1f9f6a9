import { Nango } from '@nangohq/node';
import { z } from 'zod';
import type { NangoSettings } from '../platform/app-services.ts';
import { AppError } from '../platform/errors.ts';

/** The error for any Notion-connection feature on a server with neither Nango nor sandbox mode. */
export const nangoNotConfigured = () =>
  new AppError({
    code: 'nango_not_configured',
    message: 'Notion connections are not configured on this server (set NANGO_SECRET_KEY).',
  });

export interface NangoClientOptions {
  host: string;
  secretKey: string;
  webhookSigningKey?: string | undefined;
  /** The Nango integration unique key for Notion (e.g. `notion`). */
  integrationId: string;
}

export interface ConnectSession {
  connectLink: string;
  sessionToken: string;
  expiresAt: Date;
}

/** What callers may know about a connection; credentials never leave this module. */
export interface ConnectionSummary {
  connectionId: string;
  integrationId: string;
  tags: Record<string, string>;
  organizationId: string | null;
  endUserId: string | null;
  createdAt: Date;
}

export interface ConnectSessionInput {
  tenantId: string;
  tenantName: string;
  userId: string;
  userEmail: string;
}

export interface NangoClient {
  createConnectSession(input: ConnectSessionInput): Promise<ConnectSession>;
  createReconnectSession(input: ConnectSessionInput & { connectionId: string }): Promise<ConnectSession>;
  listTenantConnections(tenantId: string): Promise<ConnectionSummary[]>;
  /** Null when Nango has no such (live) connection. */
  getConnectionSummary(connectionId: string): Promise<ConnectionSummary | null>;
  /** Idempotent: a connection that is already gone counts as deleted. */
  deleteConnection(connectionId: string): Promise<void>;
}

const sessionResponseSchema = z.object({
  data: z.object({
    token: z.string().min(1),
    connect_link: z.url(),
    expires_at: z.iso.datetime({ offset: true }),
  }),
});

const tagsSchema = z
  .record(z.string(), z.string())
  .nullish()
  .transform((t) => t ?? {});
const endUserSchema = z
  .object({
    id: z.string(),
    organization: z.object({ id: z.string() }).nullish(),
  })
  .nullish();

// Only these fields are read, so `credentials` is stripped by zod before anything else sees it.
const connectionBaseSchema = z.object({
  connection_id: z.string(),
  provider_config_key: z.string(),
  tags: tagsSchema,
  end_user: endUserSchema,
});
// Nango names the creation time `created_at` on GET-one but `created` in lists.
const connectionSchema = connectionBaseSchema.extend({
  created_at: z.string(),
});
const listSchema = z.object({
  connections: z.array(connectionBaseSchema.extend({ created: z.string() })),
});

const axiosErrorSchema = z.object({
  isAxiosError: z.literal(true),
  code: z.string().nullish(),
  response: z
    .object({
      status: z.number(),
      data: z.unknown(),
    })
    .nullish(),
});
const nangoErrorBodySchema = z.object({
  error: z.object({ code: z.string() }),
});

interface NangoFailure {
  status: number | null;
  nangoCode: string | null;
}

/** The status and Nango error code of an SDK (axios) error; null for anything else. */
function describeFailure(err: unknown): NangoFailure | null {
  const parsed = axiosErrorSchema.safeParse(err);
  if (!parsed.success) return null;
  const response = parsed.data.response;
  if (!response) return { status: null, nangoCode: parsed.data.code ?? null };
  const body = nangoErrorBodySchema.safeParse(response.data);
  return {
    status: response.status,
    nangoCode: body.success ? body.data.error.code : null,
  };
}

/**
 * Maps an SDK failure to an AppError. The original error is deliberately not attached as `cause`:
 * axios errors carry the request config, including our `Authorization` header.
 */
function toAppError(operation: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  const failure = describeFailure(err);
  const detail = failure
    ? `status=${failure.status ?? 'none'} code=${failure.nangoCode ?? 'none'}`
    : `error=${err instanceof Error ? err.message : String(err)}`;
  const internal = `nango ${operation} failed: ${detail}`;
  const status = failure?.status ?? null;
  if (status !== null && status >= 400 && status < 500 && status !== 429) {
    return new AppError({
      code: 'nango_rejected',
      message: 'The integration service rejected the request.',
      internal,
    });
  }
  return new AppError({
    code: 'nango_unavailable',
    message: 'The integration service is unavailable. Try again in a moment.',
    internal,
  });
}

function unexpectedShape(operation: string, error: z.ZodError): AppError {
  return new AppError({
    code: 'nango_unavailable',
    message: 'The integration service returned an unexpected response.',
    internal: `nango ${operation}: unexpected response shape: ${z.prettifyError(error)}`,
  });
}

function summary(c: z.infer<typeof connectionBaseSchema>, created: string): ConnectionSummary {
  return {
    connectionId: c.connection_id,
    integrationId: c.provider_config_key,
    tags: c.tags,
    organizationId: c.tags['organization_id'] ?? c.end_user?.organization?.id ?? null,
    endUserId: c.tags['end_user_id'] ?? c.end_user?.id ?? null,
    createdAt: new Date(created),
  };
}

/** A thin, credential-free wrapper over the official `@nangohq/node` SDK. */
export function createNangoClient(options: NangoClientOptions): NangoClient {
  const nango = new Nango({
    apiKey: options.secretKey,
    host: options.host,
    webhookSigningKey: options.webhookSigningKey,
  });
  const integrationId = options.integrationId;

  const call = async <T>(operation: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toAppError(operation, err);
    }
  };

  const toSession = (operation: string, raw: unknown): ConnectSession => {
    const parsed = sessionResponseSchema.safeParse(raw);
    if (!parsed.success) throw unexpectedShape(operation, parsed.error);
    return {
      connectLink: parsed.data.data.connect_link,
      sessionToken: parsed.data.data.token,
      expiresAt: new Date(parsed.data.data.expires_at),
    };
  };

  const identity = (input: ConnectSessionInput) => ({
    end_user: { id: input.userId, email: input.userEmail },
    organization: { id: input.tenantId, display_name: input.tenantName },
    tags: {
      organization_id: input.tenantId,
      end_user_id: input.userId,
      end_user_email: input.userEmail,
    },
  });

  return {
    async createConnectSession(input) {
      const raw = await call('createConnectSession', () =>
        nango.createConnectSession({
          ...identity(input),
          allowed_integrations: [integrationId],
        }),
      );
      return toSession('createConnectSession', raw);
    },

    async createReconnectSession(input) {
      const raw = await call('createReconnectSession', () =>
        nango.createReconnectSession({
          connection_id: input.connectionId,
          integration_id: integrationId,
          ...identity(input),
        }),
      );
      return toSession('createReconnectSession', raw);
    },

    async listTenantConnections(tenantId) {
      const raw = await call('listConnections', () =>
        nango.listConnections({
          integrationId,
          tags: { organization_id: tenantId },
        }),
      );
      const parsed = listSchema.safeParse(raw);
      if (!parsed.success) throw unexpectedShape('listConnections', parsed.error);
      return parsed.data.connections
        .map((c) => summary(c, c.created))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    },

    async getConnectionSummary(connectionId) {
      let raw: unknown;
      try {
        raw = await nango.getConnection(integrationId, connectionId);
      } catch (err) {
        if (describeFailure(err)?.status === 404) return null;
        throw toAppError('getConnection', err);
      }
      const parsed = connectionSchema.safeParse(raw);
      if (!parsed.success) throw unexpectedShape('getConnection', parsed.error);
      return summary(parsed.data, parsed.data.created_at);
    },

    async deleteConnection(connectionId) {
      try {
        await nango.deleteConnection(integrationId, encodeURIComponent(connectionId));
      } catch (err) {
        const failure = describeFailure(err);
        // Nango answers 400 `unknown_connection` (not 404) for a connection that is already gone.
        if (failure?.status === 404 || failure?.nangoCode === 'unknown_connection') return;
        throw toAppError('deleteConnection', err);
      }
    },
  };
}

const clients = new WeakMap<NangoSettings, NangoClient>();

/** The Nango client for this server's settings (one per settings object), or null when Nango is not configured. */
export function nangoClientOf(s: { nangoSettings: NangoSettings | null }): NangoClient | null {
  if (!s.nangoSettings) return null;
  let client = clients.get(s.nangoSettings);
  if (!client) clients.set(s.nangoSettings, (client = createNangoClient(s.nangoSettings)));
  return client;
}
