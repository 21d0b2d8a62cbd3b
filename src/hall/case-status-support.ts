// Test support for the hall's case.status tests: emit an event as another capability would, run the
// consumer, and read the application it made over HTTP. The app is passed as a getter because the
// tests make it in before().
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { LoginResult, TestApp } from '../testing/test-app.ts';
import { consumeEvents } from './events.job.ts';

export function caseStatusTools<App>(app: () => TestApp) {
  const get = (url: string, who: LoginResult) =>
    app().app.inject({ method: 'GET', url, headers: who.headers });
  const emit = (payload: Record<string, unknown>, topic = 'case.status') =>
    app()
      .ctx.db.insertInto('outbox')
      .values({ topic, payload: JSON.stringify(payload) })
      .returning('id')
      .executeTakeFirstOrThrow();
  /** The consumer twice: the case event, then the application's own status event (the message). */
  const consume = async (): Promise<void> => {
    await consumeEvents(app().ctx);
    await consumeEvents(app().ctx);
  };
  const idOf = async (ref: string): Promise<number> => {
    const r = await sql<{ id: number }>`SELECT id FROM hall_application WHERE source_ref = ${ref}`.execute(
      app().ctx.db,
    );
    const id = r.rows[0]?.id;
    assert.ok(id !== undefined, `an application for ${ref}`);
    return Number(id);
  };
  const read = async (id: number, who: LoginResult): Promise<App> => {
    const r = await get(`/api/v1/applications/${id}`, who);
    assert.equal(r.statusCode, 200, r.body);
    return r.json<App>();
  };
  return { get, emit, consume, idOf, read };
}
