// The security headers of every answer (helmet's: CSP, HSTS, X-Frame-Options, …), computed once at
// start. @fastify/helmet builds helmet's middleware again for every request — its CSP directives
// parsed, a dozen closures made — which was a measurable part of a short API read (issue 18). The
// options are static (no nonces, no per-request directives), so the headers are the same for every
// answer: they are set from a list, at the same point (onRequest, on the raw response) and with the
// same values as helmet sets them (src/http/security-headers.db.test.ts compares them).
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** What the server sends; a directive value must be a list of fixed strings (no function). */
export const SECURITY_HEADER_OPTIONS = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
    },
  },
};

interface HeaderRecorder {
  setHeader(name: string, value: string): void;
  removeHeader(name: string): void;
  getHeader(name: string): undefined;
}
type HelmetMiddleware = (req: object, res: HeaderRecorder, next: (err?: unknown) => void) => void;

// The helmet that @fastify/helmet depends on (the same version and defaults as before).
const helmet = createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))('helmet') as (
  options: object,
) => HelmetMiddleware;

/** The headers helmet sets with these options, and the ones it removes, by running it once. */
export function securityHeaders(options: object = SECURITY_HEADER_OPTIONS): {
  set: Array<[string, string]>;
  removed: string[];
} {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  let finished = false;
  helmet(options)(
    {},
    {
      setHeader: (name, value) => void set.push([name, String(value)]),
      removeHeader: (name) => void removed.push(name),
      getHeader: () => undefined,
    },
    (err) => {
      if (err !== undefined && err !== null)
        throw err instanceof Error ? err : new Error('security headers: helmet refused the options');
      finished = true;
    },
  );
  // Static options answer at once; anything else would need helmet per request.
  if (!finished) throw new Error('security headers: helmet did not answer at once (per-request options?)');
  return { set, removed };
}

export const securityHeadersPlugin = fp<{ options?: object }>(
  async (app: FastifyInstance, { options }) => {
    const { set, removed } = securityHeaders(options);
    app.addHook('onRequest', (_req, reply, done) => {
      const raw = reply.raw;
      for (const [name, value] of set) raw.setHeader(name, value);
      for (const name of removed) raw.removeHeader(name);
      done();
    });
  },
  { name: 'shebao-security-headers' },
);
