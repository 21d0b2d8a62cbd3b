// The session: who is logged in, and which portal their role opens.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { addDays, daysBetween } from '../../src/core/dates.ts';
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
import { todayIso } from './format.ts';

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
  /** days from the browser's Shanghai date to the agency's today the session gave (0 with no session) */
  dayOffset: number;
}

/** How far the agency's today (the server's clock, or a demo's fixed date) is from this browser's. */
const offsetOf = (s: SessionAnswer): number => daysBetween(todayIso(), s.today);

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(true);
  const [dayOffset, setDayOffset] = useState(0);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      setUser(null);
    });
    api
      .me()
      .then((s) => {
        setCsrfToken(s.csrfToken);
        setUser(s.user);
        setDayOffset(offsetOf(s));
      })
      .catch((e: unknown) => {
        if (!(e instanceof ApiError) || e.status !== 401) console.warn(e);
      })
      .finally(() => setChecking(false));
    return () => setUnauthenticatedHandler(null);
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const s = await api.login(username, password);
    setCsrfToken(s.csrfToken);
    setUser(s.user);
    setDayOffset(offsetOf(s));
    return s.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setCsrfToken(null);
      setUser(null);
      setDayOffset(0);
    }
  }, []);

  const value = useMemo(
    () => ({ user, checking, login, logout, dayOffset }),
    [user, checking, login, logout, dayOffset],
  );
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

/**
 * The agency's today, YYYY-MM-DD: the day the server decides by, kept as an offset from this browser's
 * date so it moves on at midnight. A PC whose clock is a day off (or a demo city on a fixed date) would
 * otherwise offer a day the server refuses, or refuse one it accepts. The browser's date without a session.
 */
export function useAgencyToday(): string {
  const { dayOffset } = useAuth();
  return addDays(todayIso(), dayOffset);
}
