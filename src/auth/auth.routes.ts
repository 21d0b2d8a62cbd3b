// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.ts';
import { today } from '../core/clock.ts';
import { errorResponses, IsoDateString } from '../http/schemas.ts';
import { actorOf, SESSION_COOKIE } from '../http/session.plugin.ts';
import { AuthService } from './auth.service.ts';

const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Union(
    ['citizen', 'employer', 'clerk', 'reviewer', 'supervisor', 'admin', 'hospital', 'policy'].map((r) =>
      Type.Literal(r),
    ),
  ),
  personId: Type.Union([Type.Integer(), Type.Null()]),
  employerId: Type.Union([Type.Integer(), Type.Null()]),
  region: Type.Union([Type.String(), Type.Null()]),
});
const SessionAnswer = Type.Object({
  user: User,
  csrfToken: Type.String(),
  expiresAt: Type.String(),
  // The pages' date pickers bound a day by it, not by the browser's clock (a PC a day off, a demo's date).
  today: Type.String({
    ...IsoDateString,
    description:
      "the agency's today (Asia/Shanghai; SHEBAO_TODAY fixes it for a demo): the last day an event may have",
  }),
  token: Type.Optional(Type.String()),
});

/**
 * Failed logins are limited per address by the service (20 in 15 minutes lock the address, whatever the
 * names; 5 per name and address); right ones are not, so a service hall's counters behind one address
 * all log in at nine (a route limit of 30 a minute counting every request locked them out). What stays
 * here is a ceiling on all requests from an address, against floods: each login costs a password hash.
 */
const LOGIN_FLOOD_CEILING = { max: 300, timeWindow: '1 minute' };

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true, rateLimit: LOGIN_FLOOD_CEILING },
      schema: {
        tags: ['auth'],
        summary: '登录 / Log in',
        description:
          'Sets an httpOnly session cookie; also returns the CSRF token to send as x-csrf-token on writes. `token` is returned only with ?bearer=true for API clients.',
        querystring: Type.Object({ bearer: Type.Optional(Type.Boolean()) }),
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: SessionAnswer, ...errorResponses, 429: errorResponses[400] },
      },
    },
    async (req, reply) => {
      const s = await new AuthService(ctx.db).login(req.body.username, req.body.password, {
        sessionHours: ctx.config.sessionHours,
        source: req.ip,
        requestId: req.id,
      });
      reply.setCookie(SESSION_COOKIE, s.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.config.secureCookies,
        expires: new Date(s.expiresAt),
      });
      return {
        user: s.user,
        csrfToken: s.csrfToken,
        expiresAt: s.expiresAt,
        today: today(),
        ...(req.query.bearer ? { token: s.token } : {}),
      };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { action: 'session.own' },
      schema: {
        tags: ['auth'],
        summary: '退出登录 / Log out',
        querystring: Type.Object({ everywhere: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await new AuthService(ctx.db).logout(req.sessionToken ?? '', actor, req.query.everywhere === true);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { action: 'session.own' },
      schema: {
        tags: ['auth'],
        summary: '当前用户 / Who am I',
        response: { 200: SessionAnswer, ...errorResponses },
      },
    },
    async (req) => {
      actorOf(req);
      const s = req.session!;
      return { user: s.user, csrfToken: s.csrfToken, expiresAt: s.expiresAt, today: today() };
    },
  );
};
