// One error shape for every answer: {"error": {"code", "message", "field?"}}; never a stack trace.
import type { FastifyError, FastifyInstance } from 'fastify';
import { ERRORS, SbError, isSbError, type ErrorBody } from '../core/errors.ts';

function fromFastify(err: FastifyError): SbError | null {
  if (err.validation && err.validation.length > 0) {
    const v = err.validation[0];
    const params = (v?.params ?? {}) as Record<string, unknown>;
    const missing = typeof params['missingProperty'] === 'string' ? params['missingProperty'] : undefined;
    const extra = typeof params['additionalProperty'] === 'string' ? params['additionalProperty'] : undefined;
    const path = (v?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const field = [path, missing ?? extra].filter(Boolean).join('.') || (err.validationContext ?? undefined);
    const code = missing ? 'SB_ERR_REQUIRED' : v?.keyword === 'type' ? 'SB_ERR_INVALID_TYPE' : 'SB_ERR_VALIDATION';
    const detail = extra ? `unknown field ${extra}` : (v?.message ?? '');
    return new SbError(code, { ...(field ? { field } : {}), zh: detail, en: detail });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return Object.assign(new SbError('SB_ERR_VALIDATION', { zh: '请求体过大', en: 'request body too large' }), { status: 413 });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return Object.assign(new SbError('SB_ERR_VALIDATION', { zh: '不支持的内容类型', en: 'unsupported content type' }), { status: 415 });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new SbError('SB_ERR_VALIDATION', { field: '(body)', zh: 'JSON 格式错误', en: 'malformed JSON' });
    default:
      break;
  }
  if (err.statusCode === 429) return new SbError('SB_ERR_LOCKED', { zh: '请求过于频繁', en: 'too many requests' });
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return Object.assign(new SbError('SB_ERR_VALIDATION', { zh: err.message, en: err.message }), { status: err.statusCode });
  }
  return null;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const sb = isSbError(error) ? error : fromFastify(error);
    if (sb) {
      if (sb.status >= 500) request.log.error({ err: error }, 'request failed');
      return reply.status(sb.status).send({ error: sb.toBody() });
    }
    request.log.error({ err: error }, 'unhandled error');
    const spec = ERRORS.SB_ERR_INTERNAL;
    const body: ErrorBody = { code: 'SB_ERR_INTERNAL', message: `${spec.zh} / ${spec.en}` };
    return reply.status(500).send({ error: body });
  });
  app.setNotFoundHandler((request, reply) => {
    const sb = new SbError('SB_ERR_NOT_FOUND', { zh: request.url.split('?')[0] ?? '', en: request.url.split('?')[0] ?? '' });
    return reply.status(404).send({ error: sb.toBody() });
  });
}
