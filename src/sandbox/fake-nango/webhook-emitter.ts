import { createHash, createHmac } from 'node:crypto';
import os from 'node:os';
import type { NangoAuthWebhookBody, NangoForwardWebhookBody } from '@nangohq/types';
import type { Logger } from '../../platform/logger.ts';

/** What the fake sends: Nango's own body types, so a drift from the real shapes fails typecheck. */
export type FakeWebhookBody =
  | NangoAuthWebhookBody
  | NangoForwardWebhookBody
  // A forwarded provider event that matched no connection goes out unwrapped (Nango webhooks/lib/forward.ts).
  | UnroutedForwardBody;

/** The provider's raw event, as Nango forwards it when no connection matches. */
export interface UnroutedForwardBody {
  unrouted: true;
  payload: Record<string, unknown>;
}

/**
 * Environment webhook settings (Nango: Environment settings → Webhooks). Defaults follow Nango's
 * dashboard defaults except `onAuthCreation`, which every Nango setup guide tells you to switch on.
 */
export interface WebhookSettings {
  onAuthCreation: boolean;
  onAuthRefreshError: boolean;
  /** Off by default in Nango (PR #7235). */
  onConnectionDeletion: boolean;
  /** The Notion integration's "forward webhooks" switch. */
  forwardWebhooks: boolean;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  onAuthCreation: true,
  onAuthRefreshError: true,
  onConnectionDeletion: false,
  forwardWebhooks: true,
};

export interface WebhookDelivery {
  url: string | null;
  body: FakeWebhookBody;
  outcome: 'delivered' | 'failed' | 'dropped';
  attempts: number;
  status: number | null;
}

export interface WebhookEmitterOptions {
  signingKey: string;
  resolveUrl: () => string | undefined;
  logger: Logger;
  /** Waits before retry 1 and 2; Nango uses ~3 s then ~6 s. */
  retryDelaysMs: readonly number[];
  timeoutMs: number;
}

const USER_AGENT = `nango/0.71.10 (${os.platform()}/${os.release()}; node.js/${process.versions.node})`;

/**
 * Sorted keys, no whitespace, undefined dropped — what `safe-stable-stringify` gives Nango. The signature
 * covers these exact bytes, so receivers must verify the raw body rather than a re-serialisation.
 */
function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const obj = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .map((k) => [k, obj[k]]),
    );
  });
}

/**
 * Nango's outgoing webhook headers for a raw body (webhooks/lib/utils.ts `deliver`): the provider's own
 * headers first (forward webhooks), then both signatures over the exact bytes, keyed with the
 * environment's webhook signing key — never the API key.
 */
function webhookHeaders(
  signingKey: string,
  rawBody: string,
  forwarded: Record<string, string>,
): Record<string, string> {
  return {
    ...forwarded,
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'x-nango-hmac-sha256': createHmac('sha256', signingKey).update(rawBody).digest('hex'),
    'x-nango-signature': createHash('sha256').update(`${signingKey}${rawBody}`).digest('hex'),
  };
}

/** Signs and posts webhooks, retrying only network errors and 5xx like Nango does. */
export class WebhookEmitter {
  enabled = true;
  settings: WebhookSettings = { ...DEFAULT_WEBHOOK_SETTINGS };
  readonly deliveries: WebhookDelivery[] = [];
  private readonly pending = new Set<Promise<WebhookDelivery>>();

  constructor(private readonly opts: WebhookEmitterOptions) {}

  /** Starts delivery in the background and returns its promise (also tracked for `flush`). */
  send(
    body: FakeWebhookBody,
    urlOverride: string | null,
    forwardedHeaders: Record<string, string> = {},
  ): Promise<WebhookDelivery> {
    const promise = this.deliver(body, urlOverride, forwardedHeaders).finally(() => this.pending.delete(promise));
    this.pending.add(promise);
    return promise;
  }

  /** Resolves once every delivery started so far has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  reset(): void {
    this.enabled = true;
    this.settings = { ...DEFAULT_WEBHOOK_SETTINGS };
    this.deliveries.length = 0;
  }

  private async deliver(
    body: FakeWebhookBody,
    urlOverride: string | null,
    forwardedHeaders: Record<string, string>,
  ): Promise<WebhookDelivery> {
    const url = urlOverride || this.opts.resolveUrl() || null;
    const record: WebhookDelivery = {
      url,
      body,
      outcome: 'dropped',
      attempts: 0,
      status: null,
    };
    this.deliveries.push(record);
    if (!this.enabled || url === null) return record;

    const rawBody = stableStringify('unrouted' in body ? body.payload : body);
    const headers = webhookHeaders(this.opts.signingKey, rawBody, forwardedHeaders);
    const maxAttempts = this.opts.retryDelaysMs.length + 1;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      record.attempts = attempt;
      let retryable: boolean;
      try {
        const signal = AbortSignal.timeout(this.opts.timeoutMs);
        const res = await fetch(url, {
          method: 'POST',
          headers,
          body: rawBody,
          redirect: 'manual',
          signal,
        });
        await res.body?.cancel();
        record.status = res.status;
        if (res.status < 300) {
          record.outcome = 'delivered';
          return record;
        }
        retryable = res.status >= 500;
      } catch (err) {
        record.status = null;
        retryable = true;
        this.opts.logger.warn(
          {
            url,
            attempt,
            err: err instanceof Error ? err.message : String(err),
          },
          'fake nango: webhook delivery error',
        );
      }
      if (!retryable) break;
      const wait = this.opts.retryDelaysMs[attempt - 1];
      if (wait !== undefined) await new Promise((r) => setTimeout(r, wait));
    }
    record.outcome = 'failed';
    this.opts.logger.warn(
      {
        url,
        attempts: record.attempts,
        status: record.status,
        type: 'unrouted' in body ? 'forward' : body.type,
      },
      'fake nango: webhook not delivered',
    );
    return record;
  }
}
