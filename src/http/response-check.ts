// Tests only (SHEBAO_CHECK_RESPONSES=1, set by scripts/test.mjs): an answer whose response schema
// silently drops a field the service returned fails with a 500 naming the field. Fastify's
// serializer leaves out every property a schema does not declare, so a field added to a service
// without its schema would otherwise just vanish from the API.
import type { FastifyInstance, FastifyRequest } from 'fastify';

function droppedPaths(original: unknown, sent: unknown, path: string, out: string[]): void {
  if (Array.isArray(original)) {
    if (!Array.isArray(sent)) return;
    original.slice(0, Math.min(original.length, sent.length, 20)).forEach((x, i) => {
      droppedPaths(x, sent[i], `${path}[${i}]`, out);
    });
    return;
  }
  if (original === null || typeof original !== 'object') return;
  if (sent === null || typeof sent !== 'object') return;
  for (const [k, v] of Object.entries(original)) {
    if (!(k in sent)) out.push(`${path}.${k}`);
    else droppedPaths(v, (sent as Record<string, unknown>)[k], `${path}.${k}`, out);
  }
}

export function installResponseCheck(app: FastifyInstance): void {
  const kept = new WeakMap<FastifyRequest, unknown>();
  app.addHook('preSerialization', async (req, _reply, payload) => {
    kept.set(req, payload);
    return payload;
  });
  app.addHook('onSend', async (req, reply, payload) => {
    const original = kept.get(req);
    if (original === undefined || typeof payload !== 'string' || reply.statusCode >= 400) return payload;
    if (!String(reply.getHeader('content-type') ?? '').includes('json')) return payload;
    const out: string[] = [];
    droppedPaths(JSON.parse(JSON.stringify(original)) as unknown, JSON.parse(payload) as unknown, '', out);
    if (out.length > 0)
      throw new Error(
        `the response schema of ${req.method} ${req.routeOptions.url ?? req.url} drops ${out.slice(0, 8).join(', ')}`,
      );
    return payload;
  });
}
