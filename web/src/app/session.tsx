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

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    fetchSessionUser(controller.signal).then(
      (reply) => setUser(reply.user),
      () => {
        // Not knowing the session must not break the public map: treat it as logged out.
        if (!controller.signal.aborted) setUser(null);
      },
    );
    return () => controller.abort();
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
