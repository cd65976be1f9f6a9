import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * HTTP client errors (axios, the Notion SDK) carry the request they made — its config, headers and the raw
 * request/response objects — and with them our Authorization header. Only what explains the failure is kept.
 */
const DROPPED_ERROR_FIELDS = new Set(['config', 'request', 'response', 'headers']);

type SerializedError = Record<string, unknown>;

const isSerializedError = (v: unknown): v is SerializedError =>
  typeof v === 'object' && v !== null && 'type' in v && 'message' in v && 'stack' in v;

function stripError(serialized: SerializedError): SerializedError {
  const out: SerializedError = {};
  for (const [key, value] of Object.entries(serialized)) {
    if (DROPPED_ERROR_FIELDS.has(key)) continue;
    if (Array.isArray(value)) out[key] = value.map((v: unknown) => (isSerializedError(v) ? stripError(v) : v));
    else out[key] = isSerializedError(value) ? stripError(value) : value;
  }
  return out;
}

/** pino's error serializer (type, message, stack, code and other own fields) without request details. */
function serializeError(err: unknown): unknown {
  const serialized: unknown = pino.stdSerializers.err(err as Error);
  return isSerializedError(serialized) ? stripError(serialized) : serialized;
}

/**
 * Structured JSON logs. Secrets are redacted by path so that a careless `log.info({ headers })` can
 * never leak a session cookie, API token or Nango key. `destination` defaults to stdout.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: undefined,
    serializers: { err: serializeError },
    redact: {
      paths: [
        '*.authorization',
        '*.Authorization',
        '*.cookie',
        '*.password',
        '*.token',
        '*.secretKey',
        '*.access_token',
        '*.headers.authorization',
        '*.headers.cookie',
        'password',
        'token',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
