// Resolves the session (cookie or bearer token) into request.actor, and checks the CSRF token on
// cookie-authenticated writes.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../auth/actor.ts';
import { resolveSession, type ResolvedSession } from '../auth/auth.service.ts';
import { SbError } from '../core/errors.ts';
import type { Db } from '../db/connection.ts';

export const SESSION_COOKIE = 'sb_session';

declare module 'fastify' {
  interface FastifyRequest {
    session: ResolvedSession | null;
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    /** Routes anyone may call without logging in (health, docs, login, calc, params). */
    public?: boolean;
  }
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

export const sessionPlugin = fp<{ db: Db }>(async (app: FastifyInstance, { db }) => {
  app.decorateRequest('session', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRequest', async (req) => {
    const fromHeader = bearer(req);
    const token = fromHeader ?? req.cookies[SESSION_COOKIE] ?? null;
    if (!token) return;
    const session = await resolveSession(db, token);
    if (!session) return;
    session.actor.requestId = req.id;
    req.session = session;
    req.sessionToken = token;
    const write = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
    if (write && fromHeader === null && req.headers['x-csrf-token'] !== session.csrfToken) {
      throw new SbError('SB_ERR_FORBIDDEN', { zh: '缺少或错误的 CSRF 令牌（x-csrf-token）', en: 'missing or wrong CSRF token (x-csrf-token)' });
    }
  });
});

/** The logged-in actor, or 401. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.session) throw new SbError('SB_ERR_UNAUTHENTICATED');
  return req.session.actor;
}
