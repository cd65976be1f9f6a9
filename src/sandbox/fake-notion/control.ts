import { createHmac, randomBytes } from 'node:crypto';
import type { FakeNotionStore, PageEdit } from './store.ts';
import { newSubscription, webhookEvent, type NotionWebhookEvent } from './webhook-events.ts';

/** Receives each webhook delivery: the event, its raw body and Notion's headers (with `x-notion-signature`). */
export type WebhookListener = (event: NotionWebhookEvent, rawBody: string, headers: Record<string, string>) => void;

export type FailureStatus = 429 | 500 | 502 | 503 | 504 | 529;

export interface RequestLogEntry {
  seq: number;
  method: string;
  path: string;
  /** Query string including the leading "?", or "". */
  query: string;
  notionVersion: string | null;
  status: number;
  /** True for any request that would change Notion (refused by the fake). */
  write: boolean;
}

export interface RequestCounters {
  total: number;
  writes: number;
  byStatus: Record<string, number>;
  /** Keyed by "METHOD /v1/<resource>/:id/<sub>" so ids do not split the counts. */
  byRoute: Record<string, number>;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const UUIDISH = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Collapses ids in a path so counters group by endpoint. */
function routeKey(method: string, path: string): string {
  const shape = path
    .split('/')
    .map((part) => (UUIDISH.test(part) ? ':id' : part))
    .join('/');
  return `${method} ${shape.startsWith('/files/') ? '/files/:key' : shape}`;
}

/**
 * The fake's test knobs and its request log. The same object is exposed in-process (`control`) and
 * over HTTP under `/__fake/`.
 */
export class FakeNotionControl {
  latencyMs: number;
  expiredFileUrls = false;
  /** The integration's "read content" capability; without it Notion answers 403 restricted_resource. */
  readContent = true;
  /** How long an edit takes to reach search results (Notion: search "is not immediate"). */
  searchLagMs = 0;
  /** Whether the integration has an active webhook subscription. */
  webhooksEnabled = true;
  /** The subscription's verification token: the key of `X-Notion-Signature`. */
  readonly verificationToken = `secret_${randomBytes(24).toString('hex')}`;
  private readonly subscription = newSubscription();
  private readonly listeners = new Set<WebhookListener>();
  private events: NotionWebhookEvent[] = [];
  private rateLimit: { rps: number; burst: number } | null = null;
  private readonly buckets = new Map<string, Bucket>();
  private failures: { remaining: number; status: FailureStatus } = {
    remaining: 0,
    status: 500,
  };
  private revokeAll = false;
  private readonly revokedTokens = new Set<string>();
  private log: RequestLogEntry[] = [];
  private seq = 0;
  private readonly store: FakeNotionStore;

  constructor(store: FakeNotionStore, latencyMs: number) {
    this.store = store;
    this.latencyMs = latencyMs;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Token bucket per bearer token (Notion limits per connection); null switches limiting off. */
  setRateLimit(limit: { rps: number; burst: number } | null): void {
    this.rateLimit = limit;
    this.buckets.clear();
  }

  /** The next `count` API requests answer with `status` before doing anything else. */
  failNext(count: number, status: FailureStatus): void {
    this.failures = { remaining: count, status };
  }

  /** Invalidates one token, or with no argument every token (as when an integration is removed). */
  revoke(token?: string): void {
    if (token === undefined) this.revokeAll = true;
    else this.revokedTokens.add(token);
  }

  unrevoke(): void {
    this.revokeAll = false;
    this.revokedTokens.clear();
  }

  setExpiredFileUrls(expired: boolean): void {
    this.expiredFileUrls = expired;
  }

  setReadContent(allowed: boolean): void {
    this.readContent = allowed;
  }

  setSearchLag(ms: number): void {
    this.searchLagMs = ms;
  }

  setWebhooksEnabled(enabled: boolean): void {
    this.webhooksEnabled = enabled;
  }

  /**
   * Edits, trashes, locks or unshares a page as a Notion user would, and sends the webhook events Notion
   * sends for it; false if the page does not exist.
   */
  editPage(id: string, edit: PageEdit): boolean {
    const changes = this.store.editPage(id, edit);
    if (changes === null) return false;
    const timestamp = new Date().toISOString();
    for (const change of changes) this.deliver(webhookEvent(change, this.store.spec, this.subscription, timestamp));
    return true;
  }

  /** Subscribes to webhook deliveries (the sandbox hands them to the fake Nango); returns the unsubscribe. */
  onWebhookEvent(listener: WebhookListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every event sent so far, oldest first (repeats included). */
  webhookEvents(): NotionWebhookEvent[] {
    return [...this.events];
  }

  /** Sends an event again as Notion's retries do: same id, next `attempt_number`; null if unknown. */
  redeliverEvent(id: string): NotionWebhookEvent | null {
    const last = this.events.findLast((event) => event.id === id);
    if (!last) return null;
    const again = { ...last, attempt_number: last.attempt_number + 1 };
    this.deliver(again);
    return again;
  }

  private deliver(event: NotionWebhookEvent): void {
    if (!this.webhooksEnabled) return;
    this.events.push(event);
    const rawBody = JSON.stringify(event);
    const headers = {
      'content-type': 'application/json',
      'x-notion-signature': `sha256=${createHmac('sha256', this.verificationToken).update(rawBody).digest('hex')}`,
    };
    for (const listener of this.listeners) listener(event, rawBody, headers);
  }

  requests(): RequestLogEntry[] {
    return [...this.log];
  }

  writeAttempts(): RequestLogEntry[] {
    return this.log.filter((entry) => entry.write);
  }

  counters(): RequestCounters {
    const counters: RequestCounters = {
      total: 0,
      writes: 0,
      byStatus: {},
      byRoute: {},
    };
    for (const entry of this.log) {
      counters.total += 1;
      if (entry.write) counters.writes += 1;
      counters.byStatus[entry.status] = (counters.byStatus[entry.status] ?? 0) + 1;
      const key = routeKey(entry.method, entry.path);
      counters.byRoute[key] = (counters.byRoute[key] ?? 0) + 1;
    }
    return counters;
  }

  resetLog(): void {
    this.log = [];
  }

  // ---- used by the app ----

  record(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.seq += 1;
    this.log.push({ seq: this.seq, ...entry });
  }

  takeFailure(): FailureStatus | null {
    if (this.failures.remaining <= 0) return null;
    this.failures.remaining -= 1;
    return this.failures.status;
  }

  isRevoked(token: string): boolean {
    return this.revokeAll || this.revokedTokens.has(token);
  }

  /** Takes a token from the caller's bucket; returns seconds to wait when empty, else null. */
  takeRateToken(token: string): number | null {
    const limit = this.rateLimit;
    if (!limit) return null;
    const now = Date.now();
    const bucket = this.buckets.get(token) ?? {
      tokens: limit.burst,
      updatedAt: now,
    };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * limit.rps);
    bucket.updatedAt = now;
    this.buckets.set(token, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return null;
    }
    // Notion sends whole seconds in Retry-After.
    return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.rps));
  }
}
