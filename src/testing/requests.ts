// Requests to the test app as one of a test's logins, by name: `call('clerk', 'POST', url, body)`.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { LoginResult } from './test-app.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * A request function over `as` (username → login). `app` is read at each call, so the helper can
 * be made before the app is. `null` for an anonymous caller; a name not logged in fails the test.
 */
export function callAs(app: () => FastifyInstance, as: Record<string, LoginResult>) {
  return (who: string | null, method: Method, url: string, payload?: unknown) => {
    const login = who === null ? null : as[who];
    assert.ok(login !== undefined, `${who} is not logged in`);
    return app().inject({
      method,
      url,
      headers: login?.headers ?? {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  };
}

/** The stable code of an error answer. */
export const errorCode = (r: { json: <T>() => T }): string =>
  r.json<{ error: { code: string } }>().error.code;

/** One request to `app` as `who` (null: anonymous), with a body when one is given. */
export const send = (
  app: FastifyInstance,
  who: LoginResult | null,
  method: Method,
  url: string,
  payload?: unknown,
) =>
  app.inject({
    method,
    url,
    headers: who?.headers ?? {},
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
