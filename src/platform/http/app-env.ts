import type { Actor } from './request-context.ts';

/** Per-request values set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    /** The caller's address (see clientIpMiddleware). */
    clientIp: string;
    actor: Actor | undefined;
    csrfToken: string | undefined;
    sessionToken: string | undefined;
  };
}
