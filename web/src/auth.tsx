// The session: who is logged in, and which portal their role opens.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { roleCan, type Action } from './access.ts';
import {
  api,
  ApiError,
  setCsrfToken,
  setUnauthenticatedHandler,
  type Role,
  type SessionAnswer,
  type User,
} from './api.ts';
import { setAgencyToday } from './format.ts';

export type Portal = 'citizen' | 'employer' | 'agency' | 'hospital';

export function portalOf(role: Role): Portal {
  switch (role) {
    case 'citizen':
      return 'citizen';
    case 'employer':
      return 'employer';
    case 'clerk':
    case 'reviewer':
    case 'supervisor':
    case 'admin':
    case 'policy':
      return 'agency';
    case 'hospital':
      return 'hospital';
  }
}

export const portalHome = (role: Role): string => `/${portalOf(role)}`;

interface Auth {
  user: User | null;
  /** true until the first /auth/me answered */
  checking: boolean;
  login: (username: string, password: string) => Promise<User>;
  logout: () => Promise<void>;
}

/**
 * The session's user and token, and its today: every default day (todayIso) is the agency's, set here
 * before the pages render with the user.
 */
function startSession(s: SessionAnswer): User {
  setCsrfToken(s.csrfToken);
  setAgencyToday(s.today);
  return s.user;
}

function endSession(): void {
  setCsrfToken(null);
  setAgencyToday(null);
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(true);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      endSession();
      setUser(null);
    });
    api
      .me()
      .then((s) => setUser(startSession(s)))
      .catch((e: unknown) => {
        if (!(e instanceof ApiError) || e.status !== 401) console.warn(e);
      })
      .finally(() => setChecking(false));
    return () => setUnauthenticatedHandler(null);
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const user = startSession(await api.login(username, password));
    setUser(user);
    return user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      endSession();
      setUser(null);
    }
  }, []);

  const value = useMemo(() => ({ user, checking, login, logout }), [user, checking, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** `can('ledger.verify')`: may the logged-in user's role do this (web/src/access.ts)? */
export function useCan(): (action: Action) => boolean {
  const { user } = useAuth();
  return useCallback((action: Action) => roleCan(user?.role, action), [user]);
}
