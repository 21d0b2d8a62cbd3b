// One request budget for the public lookups that are not calculations: the region lookups and the online
// payment's gateway routes. Each route's own `config.rateLimit` gets a store of its own in
// @fastify/rate-limit, so five routes at 60 gave an anonymous address 300 a minute (wave 11); one limiter
// made once and hooked onto all five is one store, one count. The calculations keep their own budget
// (src/calc/calc.routes.ts): the citizen's estimate calls them as the form changes.
import type { FastifyInstance } from 'fastify';

export type PublicLookupLimit = ReturnType<FastifyInstance['rateLimit']>;

/**
 * 60 a minute an address over the five. A browser asks for the regions once a page load and for a
 * payment order's page once or twice a payment; the gateway's notices come from the gateway's own address,
 * which asks for nothing else, so it keeps the 60 it had. The address is the socket's unless
 * TRUSTED_PROXIES names the proxy.
 */
export const makePublicLookupLimit = (app: FastifyInstance): PublicLookupLimit =>
  app.rateLimit({ max: 60, timeWindow: '1 minute' });
