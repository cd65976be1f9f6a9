import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs. Secrets are redacted by path so that a careless `log.info({ headers })` can
 * never leak a session cookie, API token or Nango key.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: [
        '*.authorization', '*.Authorization', '*.cookie', '*.password', '*.token', '*.secretKey',
        '*.access_token', '*.headers.authorization', '*.headers.cookie', 'password', 'token',
      ],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
