// Resolves the session (cookie or bearer token) into request.actor, and checks the CSRF token on
// cookie-authenticated writes.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../auth/actor.ts';
import { authorize, type Action } from '../auth/policy.ts';
import { resolveSession, type ResolvedSession } from '../auth/auth.service.ts';
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

export const sessionPlugin = fp<{ db: Db; idleMinutes: number }>(
  async (app: FastifyInstance, { db, idleMinutes }) => {
    app.decorateRequest('session', null);
    app.decorateRequest('sessionToken', null);
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
      const session = token ? await resolveSession(db, token, idleMinutes) : null;
      if (!session) {
        if (guarded) throw new SbError('SB_ERR_UNAUTHENTICATED');
        return;
      }
      session.actor.requestId = req.id;
      req.session = session;
      req.sessionToken = token;
      const write = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
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
