/**
 * Who is logged in, from GET /api/auth/me, shared by the header and the pages that need a role.
 * The session itself is an httpOnly cookie: the browser never sees the token.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { fetchSessionUser, logout as postLogout, type SessionUser } from '../api/endpoints';

interface SessionValue {
  /** undefined while asking the server; null when nobody is logged in. */
  user: SessionUser | null | undefined;
  setUser(user: SessionUser | null): void;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

let sessionCheck: Promise<{ user: SessionUser | null }> | null = null;

/**
 * Asks who is logged in, once per page load: called as the app starts (main.tsx), beside the
 * client configuration and the page's chunk, rather than after React's first render — a staff
 * page waits for the answer.
 */
export function checkSession(): Promise<{ user: SessionUser | null }> {
  sessionCheck ??= fetchSessionUser();
  return sessionCheck;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);

  useEffect(() => {
    let active = true;
    checkSession().then(
      (reply) => active && setUser(reply.user),
      // Not knowing the session must not break the public map: treat it as logged out.
      () => active && setUser(null),
    );
    return () => {
      active = false;
    };
  }, []);

  const logout = useCallback(async () => {
    try {
      await postLogout();
    } finally {
      setUser(null);
    }
  }, []);

  const value = useMemo(() => ({ user, setUser, logout }), [user, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
