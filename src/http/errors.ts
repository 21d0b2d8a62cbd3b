// One error shape for every answer: {"error": {"code", "message", "field?"}}; never a stack trace.
import type { FastifyError, FastifyInstance } from 'fastify';
import { ERRORS, SbError, isSbError, type ErrorBody } from '../core/errors.ts';
import { IsoDateString, PeriodString } from './schemas.ts';

/**
 * Database refusals that input can provoke (a number out of range, a broken constraint) are the
 * caller's error, not the server's: answer them as such instead of a 500.
 */
function fromDatabase(err: unknown): SbError | null {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  const detail = { zh: '数据库拒绝了该值', en: 'the database refused the value' };
  switch (code) {
    case '22003': // numeric_value_out_of_range
    case '22P02': // invalid_text_representation
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
    case '22001': // string_data_right_truncation
    case '23514': // check_violation
    case '23502': // not_null_violation
    case '22021': // character_not_in_repertoire (a NUL that got past the edge)
    case '22P05': // untranslatable_character
      return new SbError('SB_ERR_VALIDATION', detail);
    case '23505': // unique_violation
      return new SbError('SB_ERR_DUPLICATE');
    case '23503': // foreign_key_violation
      return new SbError('SB_ERR_NOT_FOUND', {
        zh: '引用的记录不存在',
        en: 'a referenced record does not exist',
      });
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
      return new SbError('SB_ERR_CONFLICT');
    default:
      return null;
  }
}

function fromFastify(err: FastifyError): SbError | null {
  if (err.validation && err.validation.length > 0) {
    const v = err.validation[0];
    const params = v?.params ?? {};
    const missing = typeof params['missingProperty'] === 'string' ? params['missingProperty'] : undefined;
    const extra = typeof params['additionalProperty'] === 'string' ? params['additionalProperty'] : undefined;
    const path = (v?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const field = [path, missing ?? extra].filter(Boolean).join('.') || (err.validationContext ?? undefined);
    // a day that is no day, or a month that is no month: the code's message and the field, never the value
    if (
      (v?.keyword === 'format' && params['format'] === 'date') ||
      params['pattern'] === IsoDateString.pattern
    )
      return new SbError('SB_ERR_INVALID_DATE', field ? { field } : {});
    if (params['pattern'] === PeriodString.pattern)
      return new SbError('SB_ERR_INVALID_PERIOD', field ? { field } : {});
    const code = missing
      ? 'SB_ERR_REQUIRED'
      : v?.keyword === 'type'
        ? 'SB_ERR_INVALID_TYPE'
        : 'SB_ERR_VALIDATION';
    const detail = extra ? `unknown field ${extra}` : (v?.message ?? '');
    return new SbError(code, { ...(field ? { field } : {}), zh: detail, en: detail });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return Object.assign(
        new SbError('SB_ERR_VALIDATION', { zh: '请求体过大', en: 'request body too large' }),
        { status: 413 },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return Object.assign(
        new SbError('SB_ERR_VALIDATION', { zh: '不支持的内容类型', en: 'unsupported content type' }),
        { status: 415 },
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new SbError('SB_ERR_VALIDATION', { field: '(body)', zh: 'JSON 格式错误', en: 'malformed JSON' });
    default:
      break;
  }
  if (err.statusCode === 429)
    return new SbError('SB_ERR_LOCKED', { zh: '请求过于频繁', en: 'too many requests' });
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return Object.assign(new SbError('SB_ERR_VALIDATION', { zh: err.message, en: err.message }), {
      status: err.statusCode,
    });
  }
  return null;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const sb = isSbError(error) ? error : (fromDatabase(error) ?? fromFastify(error));
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
    const sb = new SbError('SB_ERR_NOT_FOUND', {
      zh: request.url.split('?')[0] ?? '',
      en: request.url.split('?')[0] ?? '',
    });
    return reply.status(404).send({ error: sb.toBody() });
  });
}
