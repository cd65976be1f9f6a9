import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import type { Me } from '../../../src/contracts/accounts.ts';
import type { Role } from '../../../src/contracts/common.ts';
import { hasRole } from '../../../src/contracts/roles.ts';
import { setCsrfToken, setUnauthorizedHandler } from '../api/client.ts';
import { endpoints } from '../api/endpoints.ts';
import { queryKeys } from '../api/queries.ts';

interface Session {
  /** undefined while loading, null when signed out. */
  me: Me | null | undefined;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** Signed out (401) or server unreachable: either way the sign-in page is where to start. */
async function loadMe(): Promise<Me | null> {
  const me = await endpoints.auth.me().catch(() => null);
  setCsrfToken(me?.csrfToken ?? null);
  return me;
}

/** Loads the signed-in user once and keeps the CSRF token in the API client. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { data: me } = useQuery({ queryKey: queryKeys.me, queryFn: loadMe, staleTime: Infinity, retry: false });

  const adopt = useCallback(
    (value: Me | null) => {
      setCsrfToken(value?.csrfToken ?? null);
      // Whatever the previous user could read must not show to the next one signing in on this tab.
      if (!value) queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.me[0] });
      queryClient.setQueryData(queryKeys.me, value);
    },
    [queryClient],
  );

  useEffect(() => {
    setUnauthorizedHandler(() => adopt(null));
    return () => setUnauthorizedHandler(null);
  }, [adopt]);

  const login = useCallback(
    async (email: string, password: string) => adopt(await endpoints.auth.login({ email, password })),
    [adopt],
  );

  const logout = useCallback(async () => {
    try {
      await endpoints.auth.logout();
    } finally {
      adopt(null);
    }
  }, [adopt]);

  const value = useMemo(() => ({ me, login, logout }), [me, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session; only valid below SessionProvider. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside SessionProvider');
  return session;
}

/** The signed-in user; only valid on pages behind the sign-in guard. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe needs a signed-in user');
  return me;
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Admin',
  content_manager: 'Content manager',
  viewer: 'Viewer',
};
export const ROLE_OPTIONS = Object.keys(ROLE_LABELS) as Role[];

/** Text explaining why a control is unavailable, or null when the user may use it. */
export function roleReason(role: Role, needed: Role, action: string): string | null {
  return hasRole(role, needed)
    ? null
    : `Only ${needed === 'admin' ? 'admins' : 'content managers and admins'} can ${action}.`;
}
