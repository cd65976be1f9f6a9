import { Nango } from '@nangohq/node';
import { z } from 'zod';
import { appError } from '../platform/errors.ts';

/**
 * The SDK insists on an API key even though signature checks only use the signing key; this
 * placeholder never reaches the network because this instance makes no requests.
 */
const VERIFY_ONLY_API_KEY = 'webhook-verification-only';

/** True when `X-Nango-Hmac-Sha256` is the HMAC-SHA256 of the exact raw body under `signingKey`. */
export function verifyNangoWebhook(
  rawBody: string,
  headers: Headers | Record<string, unknown>,
  signingKey: string,
): boolean {
  if (!signingKey) return false;
  const plain = headers instanceof Headers ? Object.fromEntries(headers.entries()) : headers;
  const nango = new Nango({
    apiKey: VERIFY_ONLY_API_KEY,
    webhookSigningKey: signingKey,
  });
  try {
    return nango.verifyIncomingWebhookRequest(rawBody, plain);
  } catch {
    return false;
  }
}

const tags = z.record(z.string(), z.string());

const authWebhookSchema = z.object({
  type: z.literal('auth'),
  operation: z.enum(['creation', 'override', 'refresh', 'deletion', 'unknown']),
  success: z.boolean(),
  connectionId: z.string().min(1),
  providerConfigKey: z.string().min(1),
  provider: z.string().optional(),
  environment: z.string().optional(),
  tags: tags.optional(),
  endUser: z
    .object({
      endUserId: z.string(),
      endUserEmail: z.string().nullish(),
      organizationId: z.string().nullish(),
      tags: tags.optional(),
    })
    .optional(),
  error: z.object({ type: z.string(), description: z.string().optional() }).optional(),
});

export type NangoWebhook =
  | {
      kind: 'auth';
      success: boolean;
      operation: z.infer<typeof authWebhookSchema>['operation'];
      connectionId: string;
      providerConfigKey: string;
      organizationId: string | null;
      endUserId: string | null;
      tags: Record<string, string>;
      error?: { type: string; description: string | undefined };
    }
  | {
      kind: 'forward';
      /** The provider whose event this is (Nango's provider name, e.g. `notion`). */
      from: string;
      /** Absent when Nango matched no connection; such bodies arrive unwrapped and are ignored. */
      connectionId: string | null;
      providerConfigKey: string;
      payload: unknown;
    }
  | { kind: 'other'; type: string };

const forwardWebhookSchema = z.object({
  type: z.literal('forward'),
  from: z.string().min(1),
  connectionId: z.string().min(1).optional(),
  providerConfigKey: z.string().min(1),
  payload: z.unknown(),
});

/**
 * Parses a verified webhook body. Unknown webhook types are returned as `other` (Nango adds new ones
 * over time); a malformed `auth` or `forward` webhook throws `invalid_nango_webhook`.
 */
export function parseNangoWebhook(rawBody: string): NangoWebhook {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw appError('invalid_nango_webhook', 'The webhook body is not JSON.');
  }
  const envelope = z.object({ type: z.string() }).safeParse(json);
  if (!envelope.success) throw appError('invalid_nango_webhook', 'The webhook has no type.');
  if (envelope.data.type === 'forward') {
    const forward = forwardWebhookSchema.safeParse(json);
    if (!forward.success)
      throw appError('invalid_nango_webhook', 'The forwarded webhook is malformed.', z.flattenError(forward.error));
    return {
      kind: 'forward',
      from: forward.data.from,
      connectionId: forward.data.connectionId ?? null,
      providerConfigKey: forward.data.providerConfigKey,
      payload: forward.data.payload,
    };
  }
  if (envelope.data.type !== 'auth') return { kind: 'other', type: envelope.data.type };

  const parsed = authWebhookSchema.safeParse(json);
  if (!parsed.success)
    throw appError('invalid_nango_webhook', 'The auth webhook is malformed.', z.flattenError(parsed.error));
  const w = parsed.data;
  const allTags = w.tags ?? {};
  return {
    kind: 'auth',
    success: w.success,
    operation: w.operation,
    connectionId: w.connectionId,
    providerConfigKey: w.providerConfigKey,
    organizationId: allTags['organization_id'] ?? w.endUser?.organizationId ?? null,
    endUserId: allTags['end_user_id'] ?? w.endUser?.endUserId ?? null,
    tags: allTags,
    ...(w.error ? { error: { type: w.error.type, description: w.error.description } } : {}),
  };
}
