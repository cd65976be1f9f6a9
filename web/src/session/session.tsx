import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Me } from '../../../src/contracts/accounts.ts';
import type { Role } from '../../../src/contracts/common.ts';
import { api, setCsrfToken, setUnauthorizedHandler } from '../api/client.ts';

interface Session {
  /** undefined while loading, null when signed out. */
  me: Me | null | undefined;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** Loads the signed-in user once and keeps the CSRF token in the API client. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const adopt = useCallback((value: Me | null) => {
    setCsrfToken(value?.csrfToken ?? null);
    setMe(value);
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => adopt(null));
    api<Me>('/api/me')
      .then(adopt)
      // Signed out (401) or server unreachable: either way the sign-in page is where to start.
      .catch(() => adopt(null));
    return () => setUnauthorizedHandler(null);
  }, [adopt]);

  const login = useCallback(async (email: string, password: string) => {
    adopt(await api<Me>('/api/auth/login', { method: 'POST', json: { email, password } }));
  }, [adopt]);

  const logout = useCallback(async () => {
    try {
      await api('/api/auth/logout', { method: 'POST' });
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

const RANK: Record<Role, number> = { viewer: 0, content_manager: 1, admin: 2 };

export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', content_manager: 'Content manager', viewer: 'Viewer' };
export const ROLE_OPTIONS = Object.keys(ROLE_LABELS) as Role[];

/** Whether `role` grants at least the rights of `needed`. */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** Text explaining why a control is unavailable, or null when the user may use it. */
export function roleReason(role: Role, needed: Role, action: string): string | null {
  return hasRole(role, needed) ? null : `Only ${needed === 'admin' ? 'admins' : 'content managers and admins'} can ${action}.`;
}
