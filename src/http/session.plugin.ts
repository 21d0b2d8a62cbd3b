// Resolves the session (cookie or bearer token) into request.actor, and checks the CSRF token on
// cookie-authenticated writes.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../auth/actor.ts';
import { authorize, type Action } from '../auth/policy.ts';
import { AuthService, type ResolvedSession } from '../auth/auth.service.ts';
import { elapsedNow, now } from '../core/clock.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';
import { isApiPath, normalizePath } from './path.ts';

export const SESSION_COOKIE = 'sb_session';

declare module 'fastify' {
  interface FastifyRequest {
    session: ResolvedSession | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    /** Routes anyone may call without logging in (health, docs, login, calc, params). */
    public?: boolean;
    /** The policy action of the route: checked by role before the body is read; services check the scope. */
    action?: Action;
  }
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

/**
 * How long this process reuses a session it has just looked up (issue 18: the lookup was one of the
 * two database round trips of a citizen's read). Any write request through this server empties the
 * cache (a logout, a disabled user, a changed role take effect at once here); a change made by
 * another process (a second server, the CLI) takes effect within this time. A move of the clock
 * (`fixNow`) by more than this time empties an entry too, so expiry and idle limits are checked as before.
 */
export const SESSION_CACHE_MS = 1000;
const SESSION_CACHE_MAX = 10_000;

interface CachedSession {
  session: ResolvedSession;
  /** elapsedNow() (performance.now()) until which the entry may be used */
  until: number;
  /** now() when the session was looked up */
  clockAt: number;
}

export const sessionPlugin = fp<{ db: Db; idleMinutes: number; cacheMs?: number }>(
  async (app: FastifyInstance, { db, idleMinutes, cacheMs = SESSION_CACHE_MS }) => {
    app.decorateRequest('session', null);
    app.decorateRequest('sessionToken', null);
    const cache = new Map<string, CachedSession>();
    // A lookup in flight, shared by the requests for its token that miss meanwhile (issue 18: when an
    // entry expired, every request arriving during its fresh lookup ran one of its own). A write empties
    // it with the cache, so no request after the write joins a lookup begun before it.
    const inFlight = new Map<string, { clockAt: number; found: Promise<ResolvedSession | null> }>();
    // Moved by every write before it runs and after it answers: a lookup begun in an earlier generation
    // may have read the session the write changed, so its answer is not cached.
    let generation = 0;
    const forget = () => {
      generation += 1;
      cache.clear();
      inFlight.clear();
    };
    /** Looks the token up, shared with the requests that miss until it answers. */
    const fresh = (token: string): Promise<ResolvedSession | null> => {
      const at = { generation, clockAt: now().getTime(), started: elapsedNow() };
      const found: Promise<ResolvedSession | null> = new AuthService(db)
        .resolveSession(token, idleMinutes)
        .then((session) => {
          if (at.generation === generation) {
            if (session) {
              if (cache.size >= SESSION_CACHE_MAX) cache.clear();
              cache.set(token, { session, until: at.started + cacheMs, clockAt: at.clockAt });
            } else cache.delete(token);
          }
          return session;
        })
        // Settled, failed or not: the next miss looks up afresh (a failed lookup is never reused).
        .finally(() => {
          if (inFlight.get(token)?.found === found) inFlight.delete(token);
        });
      inFlight.set(token, { clockAt: at.clockAt, found });
      return found;
    };
    const lookup = async (token: string): Promise<ResolvedSession | null> => {
      if (cacheMs <= 0) return new AuthService(db).resolveSession(token, idleMinutes);
      const hit = cache.get(token);
      if (hit && elapsedNow() < hit.until && Math.abs(now().getTime() - hit.clockAt) < cacheMs) {
        // In the entry's last fifth, look the session up again beside this answer: under steady use the
        // entry is renewed before it expires and no request waits for a lookup (issue 18, eleventh pass:
        // the requests that waited for an expired entry's lookup were the read's slowest). The entry
        // answered is still at most cacheMs old.
        if (elapsedNow() >= hit.until - cacheMs / 5 && !inFlight.has(token))
          fresh(token).catch(() => undefined);
        return hit.session;
      }
      if (hit) cache.delete(token);
      const pending = inFlight.get(token);
      if (pending && Math.abs(now().getTime() - pending.clockAt) < cacheMs) return pending.found;
      return fresh(token);
    };
    const isWrite = (req: FastifyRequest) => !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
    // A write may end or change a session (logout, disable, role): forget every cached one before it
    // runs and again when it has answered, so no request after it uses what it changed.
    app.addHook('onResponse', async (req) => {
      if (isWrite(req)) forget();
    });
    app.addHook('onRequest', async (req) => {
      const config = req.routeOptions.config;
      // Decide on the route the router matched and on the normalized path, never on the raw URL, and
      // here in onRequest: a refused request is answered before its body is read or parsed.
      const pattern = req.routeOptions.url;
      const apiRoute = pattern !== undefined && isApiPath(pattern);
      const path = apiRoute ? pattern : normalizePath(req.url);
      if (!apiRoute && isApiPath(path)) {
        // An API path no route matches (`/api/./v1/…`, `//api/…`): 404 now, without reading a body.
        throw new SbError('SB_ERR_NOT_FOUND', { zh: path, en: path });
      }
      const guarded = apiRoute && config.public !== true;
      const fromHeader = bearer(req);
      const token = fromHeader ?? req.cookies[SESSION_COOKIE] ?? null;
      const write = isWrite(req);
      if (write) forget();
      const found = token ? await lookup(token) : null;
      if (!found) {
        if (guarded) throw new SbError('SB_ERR_UNAUTHENTICATED');
        return;
      }
      // Each request gets its own copy: the actor carries this request's id.
      const session: ResolvedSession = { ...found, actor: { ...found.actor, requestId: req.id } };
      req.session = session;
      req.sessionToken = token;
      if (write && fromHeader === null && req.headers['x-csrf-token'] !== session.csrfToken) {
        throw new SbError('SB_ERR_FORBIDDEN', {
          zh: '缺少或错误的 CSRF 令牌（x-csrf-token）',
          en: 'missing or wrong CSRF token (x-csrf-token)',
        });
      }
      if (guarded && config.action !== undefined) authorize(session.actor, config.action);
    });
  },
);

/** The logged-in actor, or 401. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.session) throw new SbError('SB_ERR_UNAUTHENTICATED');
  return req.session.actor;
}
