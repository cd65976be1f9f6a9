import type { Actor } from '../accounts/roles.ts';

/** Per-request values set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    actor: Actor | undefined;
    csrfToken: string | undefined;
    sessionToken: string | undefined;
  };
}
