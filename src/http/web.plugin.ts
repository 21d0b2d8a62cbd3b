// Serves the built web portals (web/dist) at /, with index.html for every non-API path so that
// the app's own routes (/agency/persons/12) survive a reload. Without a build, / says how to make one.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { SbError } from '../core/errors.ts';

const DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export const webPlugin: FastifyPluginAsync<{ root?: string }> = async (app, opts) => {
  const root = opts.root ?? DIST;
  if (!existsSync(`${root}/index.html`)) {
    app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(
          '社保 Shebao: the web app is not built. Run `node scripts/build-web.mjs` (npm start does it). API: /api/docs\n',
        ),
    );
    return;
  }
  // Hashed assets are immutable; index.html is always revalidated so a new build is picked up.
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: false,
    setHeaders: (res, path) => {
      res.setHeader(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', root);
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => sendIndex(reply));
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    // Unknown API paths and missing files with an extension keep their 404.
    if (path.startsWith('/api/') || path === '/api' || /\.[a-z0-9]+$/i.test(path)) {
      throw new SbError('SB_ERR_NOT_FOUND', { zh: path, en: path });
    }
    return sendIndex(reply);
  });
};
