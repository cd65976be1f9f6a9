import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

const EXPIRES_SECONDS = 3600;

const amzDate = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const parseAmzDate = (v: string) =>
  Date.parse(
    `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}T${v.slice(9, 11)}:${v.slice(11, 13)}:${v.slice(13, 15)}Z`,
  );

export type FileUrlCheck = 'ok' | 'expired' | 'bad_signature';

/**
 * Pre-signed, expiring download URLs in the style of the S3 links Notion hands out for hosted files
 * (`X-Amz-Expires=3600`, `expiry_time` one hour ahead).
 */
export class FileUrlSigner {
  private readonly secret = randomBytes(32);

  private signature(key: string, date: string, expires: string): string {
    return createHmac('sha256', this.secret).update(`${key}\n${date}\n${expires}`).digest('hex');
  }

  /** A URL for `key`; with `expired` it was issued long enough ago to be past its expiry. */
  sign(baseUrl: string, key: string, expired: boolean): { url: string; expiry_time: string } {
    const issuedAt = expired ? Date.now() - 2 * EXPIRES_SECONDS * 1000 : Date.now();
    const date = amzDate(issuedAt);
    const expires = String(EXPIRES_SECONDS);
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Date': date,
      'X-Amz-Expires': expires,
      'X-Amz-Signature': this.signature(key, date, expires),
      'X-Amz-SignedHeaders': 'host',
      'x-id': 'GetObject',
    });
    return {
      url: `${baseUrl}/files/${encodeURIComponent(key)}?${query.toString()}`,
      expiry_time: new Date(parseAmzDate(date) + EXPIRES_SECONDS * 1000).toISOString(),
    };
  }

  check(key: string, query: URLSearchParams): FileUrlCheck {
    const date = query.get('X-Amz-Date') ?? '';
    const expires = query.get('X-Amz-Expires') ?? '';
    const given = Buffer.from(query.get('X-Amz-Signature') ?? '', 'hex');
    const expected = Buffer.from(this.signature(key, date, expires), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature';
    return parseAmzDate(date) + Number(expires) * 1000 < Date.now() ? 'expired' : 'ok';
  }
}

/** An S3-style XML error document, as the file host answers for expired or forged links. */
export function s3ErrorXml(code: string, message: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message>` +
    `<RequestId>${randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase()}</RequestId></Error>`
  );
}
