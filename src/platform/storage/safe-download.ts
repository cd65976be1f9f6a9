import { randomUUID } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import ipaddr from 'ipaddr.js';
import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { AppError, isAppError, type ErrorCode } from '../errors.ts';
import type { FileStorage } from './storage.ts';
import { assertValidKey } from './storage-key.ts';

export interface DownloadPolicy {
  maxBytes: number;
  /** Limit for connecting, for the response headers, and for each silence between body chunks. */
  timeoutMs: number;
  /**
   * Hosts that may be fetched over plain http. They are also exempt from the private-address check:
   * the operator lists them on purpose (the sandbox's fake Notion file host and tests run on loopback),
   * and the exemption is by exact hostname, so a URL naming any other host still gets every check.
   * Keep it empty in production.
   */
  allowHttpHosts: string[];
  maxRedirects?: number;
  /** Exact types (`application/pdf`) or prefixes ending in `/` (`image/`); absent means any type. */
  allowedContentTypes?: string[];
  /** Cap on the whole download, so a trickling server cannot hold a worker forever; default 10 × timeoutMs. */
  totalTimeoutMs?: number;
}

export interface DownloadedFile {
  key: string;
  size: number;
  sha256: string;
  contentType: string;
  fileName: string;
}

/** Resolves a hostname to every address it has (the shape of `dns.promises.lookup(host, { all: true })`). */
export type ResolveHost = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export interface DownloadOptions {
  storage: FileStorage;
  keyPrefix: string;
  policy: DownloadPolicy;
  fileNameHint?: string;
  signal?: AbortSignal;
  /** DNS resolution; replaceable so tests can map names to addresses without real DNS. */
  lookup?: ResolveHost;
}

const DEFAULT_MAX_REDIRECTS = 5;
// file-type needs at most this many leading bytes to recognise any format it knows.
const SNIFF_BYTES = 4100;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Formats that carry no magic number; for these the server's declaration is the best evidence there is.
// SVG is deliberately absent: it is script-capable, so an unsniffable body never passes as an image.
const TEXT_LIKE = /^(text\/[a-z0-9.+-]+|application\/(json|xml|[a-z0-9.+-]+\+(json|xml)))$/;

const systemLookup: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const downloadError = (
  code: ErrorCode,
  message: string,
  extra: { details?: unknown; internal?: string; cause?: unknown } = {},
) => new AppError({ code, message, ...extra });

const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');

/**
 * True only for globally routable unicast addresses (IPv4-mapped IPv6 is judged as the IPv4 inside).
 * IPv4-compatible IPv6 (`::/96`, deprecated) is refused outright: ipaddr.js calls it unicast, yet some
 * stacks route `::a9fe:a9fe` to 169.254.169.254.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv6' && parsed.match(IPV4_COMPATIBLE)) return false;
  return parsed.range() === 'unicast';
}

/**
 * Stream a remote file into storage under `${keyPrefix}/${sha256}` with SSRF protection: https only
 * (http for allow-listed hosts), every hop's addresses vetted and the connection pinned to the vetted
 * address, manual redirects, size/type/time limits. On failure nothing is left in storage.
 */
export async function downloadToStorage(url: string, opts: DownloadOptions): Promise<DownloadedFile> {
  assertValidKey(opts.keyPrefix);
  const { policy } = opts;
  const deadline = AbortSignal.timeout(policy.totalTimeoutMs ?? policy.timeoutMs * 10);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  const maxRedirects = policy.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let current = parseUrl(url);

  for (let redirects = 0; ; redirects++) {
    const pinned = await vetTarget(current, policy, opts.lookup ?? systemLookup);
    const agent = pinnedAgent(pinned, policy.timeoutMs);
    try {
      const res = await request(current, {
        method: 'GET',
        dispatcher: agent,
        signal,
        headers: {
          accept: '*/*',
          'accept-encoding': 'identity',
          'user-agent': 'trust-center-file-import',
        },
      });
      if (REDIRECT_STATUSES.has(res.statusCode)) {
        discard(res.body);
        if (redirects >= maxRedirects) {
          throw downloadError(
            'download_too_many_redirects',
            `The file host redirected more than ${maxRedirects} times.`,
          );
        }
        current = redirectTarget(current, res.headers.location);
        continue;
      }
      return await storeResponse(res, current, opts);
    } catch (err) {
      throw toDownloadError(err, {
        maxBytes: policy.maxBytes,
        callerSignal: opts.signal,
        deadline,
      });
    } finally {
      await agent.destroy();
    }
  }
}

function parseUrl(raw: string, base?: URL): URL {
  try {
    return new URL(raw, base);
  } catch (cause) {
    throw downloadError('download_invalid_url', 'The file address is not a valid URL.', { cause });
  }
}

function redirectTarget(from: URL, location: string | string[] | undefined): URL {
  if (typeof location !== 'string' || location === '') {
    throw downloadError('download_failed', 'The file host sent a redirect without a location.');
  }
  return parseUrl(location, from);
}

interface PinnedAddress {
  hostname: string;
  address: string;
  family: number;
}

/** Check scheme and every resolved address of `url`'s host; return the address to connect to. */
async function vetTarget(url: URL, policy: DownloadPolicy, resolve: ResolveHost): Promise<PinnedAddress> {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const allowListed = policy.allowHttpHosts.some((h) => h.toLowerCase() === hostname);
  const schemeOk = url.protocol === 'https:' || (url.protocol === 'http:' && allowListed);
  if (!schemeOk) {
    throw downloadError('download_scheme_not_allowed', 'Only https file addresses can be downloaded.', {
      details: { scheme: url.protocol.replace(/:$/, '') },
    });
  }
  const family = isIP(hostname);
  const addresses = family !== 0 ? [{ address: hostname, family }] : await resolveAll(resolve, hostname);
  // One bad address is enough to refuse: picking "the good one" would let a name mix in an internal target.
  const forbidden = allowListed ? undefined : addresses.find((a) => !isPublicAddress(a.address));
  const first = addresses[0];
  if (forbidden || !first) {
    throw downloadError(
      'download_forbidden_address',
      'The file address points to a network location that is not allowed.',
      {
        internal: `refused ${hostname} -> ${forbidden?.address ?? 'no address'}`,
      },
    );
  }
  return { hostname, address: first.address, family: first.family };
}

async function resolveAll(resolve: ResolveHost, hostname: string) {
  try {
    return await resolve(hostname);
  } catch (cause) {
    throw downloadError('download_failed', 'The file host could not be resolved.', {
      cause,
      details: { hostname },
    });
  }
}

/**
 * A one-shot agent whose DNS lookup can only answer with the vetted address, so the socket goes exactly
 * where the check looked: a DNS answer that changes between check and connect (rebinding) is never used.
 */
function pinnedAgent(pinned: PinnedAddress, timeoutMs: number): Agent {
  const lookup: LookupFunction = (hostname, options, callback) => {
    if (hostname.toLowerCase() !== pinned.hostname) {
      callback(
        Object.assign(new Error(`unexpected lookup for ${hostname}`), {
          code: 'ENOTFOUND',
        }),
        '',
        0,
      );
    } else if (options.all) {
      callback(null, [{ address: pinned.address, family: pinned.family }]);
    } else {
      callback(null, pinned.address, pinned.family);
    }
  };
  return new Agent({
    connect: { lookup, timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connections: 1,
  });
}

async function storeResponse(res: Dispatcher.ResponseData, url: URL, opts: DownloadOptions): Promise<DownloadedFile> {
  const { policy, storage } = opts;
  if (res.statusCode === 403) {
    discard(res.body);
    throw downloadError('download_expired_url', 'The file link has expired; fetch the block again for a fresh link.');
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    discard(res.body);
    throw downloadError('download_failed', `The file host answered with HTTP ${res.statusCode}.`, {
      details: { status: res.statusCode },
    });
  }
  const declaredLength = Number(headerValue(res.headers['content-length']));
  if (Number.isFinite(declaredLength) && declaredLength > policy.maxBytes) {
    discard(res.body);
    throw tooLarge(policy.maxBytes);
  }

  const chunks = res.body[Symbol.asyncIterator]();
  const head = await readHead(chunks);
  const sniffed = await fileTypeFromBuffer(head);
  const declaredType = headerValue(res.headers['content-type'])?.split(';')[0]?.trim().toLowerCase() ?? '';
  const contentType = sniffed?.mime ?? (TEXT_LIKE.test(declaredType) ? declaredType : 'application/octet-stream');
  if (!typeAllowed(contentType, policy.allowedContentTypes)) {
    await chunks.return?.();
    throw downloadError('download_type_mismatch', `The file is of type ${contentType}, which is not accepted here.`, {
      details: {
        contentType,
        declaredType,
        allowed: policy.allowedContentTypes,
      },
    });
  }

  // Stored under a temporary key first: the final key is the content hash, known only at the end.
  const tempKey = `${opts.keyPrefix}/incoming-${randomUUID()}`;
  try {
    const { size, sha256 } = await storage.put(tempKey, Readable.from(replay(head, chunks)), {
      contentType,
      maxBytes: policy.maxBytes,
    });
    const key = `${opts.keyPrefix}/${sha256}`;
    await storage.move(tempKey, key);
    const fileName = pickFileName({
      contentDisposition: headerValue(res.headers['content-disposition']),
      url,
      hint: opts.fileNameHint,
      ext: sniffed?.ext,
    });
    return { key, size, sha256, contentType, fileName };
  } catch (err) {
    await storage.delete(tempKey).catch(() => undefined);
    throw err;
  }
}

/** Drop a response body we will not read; the resulting abort is expected, not an error to report. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined).destroy();
}

const headerValue = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

const tooLarge = (maxBytes: number) =>
  downloadError('download_too_large', `The file is larger than the limit of ${maxBytes} bytes.`, {
    details: { maxBytes },
  });

function typeAllowed(contentType: string, allowed: string[] | undefined): boolean {
  if (!allowed) return true;
  return allowed.some((a) => (a.endsWith('/') ? contentType.startsWith(a) : contentType === a));
}

/** Pull chunks until at least SNIFF_BYTES are in hand (or the body ends); the rest stays unread. */
async function readHead(chunks: AsyncIterator<Buffer>): Promise<Buffer> {
  const head: Buffer[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    length += next.value.length;
  }
  return Buffer.concat(head);
}

async function* replay(head: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    if (head.length > 0) yield head;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    // Runs when storage stops early (size cap, failure): releases the socket instead of draining it.
    await rest.return?.();
  }
}

function toDownloadError(
  err: unknown,
  ctx: {
    maxBytes: number;
    callerSignal: AbortSignal | undefined;
    deadline: AbortSignal;
  },
): AppError {
  const { callerSignal, deadline } = ctx;
  const timeout = () => downloadError('download_timeout', 'The file host took too long to respond.', { cause: err });
  if (isAppError(err)) return err.code === 'file_too_large' ? tooLarge(ctx.maxBytes) : err;
  if (deadline.aborted) return timeout();
  if (callerSignal?.aborted) {
    const reason: unknown = callerSignal.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') return timeout();
    return downloadError('download_aborted', 'The download was cancelled.', { cause: err });
  }
  if (
    err instanceof undiciErrors.ConnectTimeoutError ||
    err instanceof undiciErrors.HeadersTimeoutError ||
    err instanceof undiciErrors.BodyTimeoutError
  ) {
    return timeout();
  }
  return downloadError('download_failed', 'The file could not be downloaded.', {
    cause: err,
    internal: err instanceof Error ? err.message : String(err),
  });
}

const MAX_NAME_LENGTH = 200;

/** Best display name: Content-Disposition, then the URL's last path segment, then the hint; made safe. */
export function pickFileName(input: { contentDisposition?: string; url: URL; hint?: string; ext?: string }): string {
  const candidates = [
    dispositionName(input.contentDisposition),
    percentDecode(input.url.pathname.split('/').pop() ?? '', 'utf8'),
    input.hint ?? '',
  ];
  const name = candidates.map(sanitizeFileName).find((n) => n !== '') ?? 'download';
  if (input.ext && !/\.[A-Za-z0-9]{1,8}$/.test(name)) return `${name}.${input.ext}`;
  return name;
}

function dispositionName(header: string | undefined): string {
  if (!header) return '';
  // RFC 6266: the extended `filename*` (RFC 8187, percent-encoded with a charset) wins over `filename`.
  const extended = /filename\*\s*=\s*([\w!#$%&+^`{}~-]*)'[^']*'([^;\s]+)/i.exec(header);
  if (extended?.[2]) {
    return percentDecode(extended[2], extended[1]?.toLowerCase() === 'iso-8859-1' ? 'latin1' : 'utf8');
  }
  const plain = /filename\s*=\s*(?:"((?:\\.|[^"\\])*)"|([^;]+))/i.exec(header);
  return (plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2] ?? '').trim();
}

/** Lenient percent-decoding: malformed escapes stay as typed instead of failing the whole download. */
function percentDecode(value: string, encoding: 'utf8' | 'latin1'): string {
  const bytes = value
    .split(/(%[0-9a-f]{2})/i)
    .map((part) =>
      /^%[0-9a-f]{2}$/i.test(part) ? Buffer.from([parseInt(part.slice(1), 16)]) : Buffer.from(part, encoding),
    );
  return Buffer.concat(bytes).toString(encoding);
}

/** Strip anything a file system or a Content-Disposition header could misread; '' when nothing is left. */
export function sanitizeFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = base
    // Control characters are exactly what must go: they break headers and file systems.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (cleaned.replace(/_/g, '') === '') return '';
  const chars = Array.from(cleaned);
  if (chars.length <= MAX_NAME_LENGTH) return cleaned;
  const ext = /\.[A-Za-z0-9]{1,8}$/.exec(cleaned)?.[0] ?? '';
  return chars.slice(0, MAX_NAME_LENGTH - ext.length).join('') + ext;
}
