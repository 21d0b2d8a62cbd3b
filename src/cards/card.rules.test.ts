// The card's state table and the regional temporary-loss validity (params/cards/temporary-loss-days.yaml).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectParams } from '../core/params-loader.ts';
import { nextStatus } from './card.rules.ts';

test('a temporary loss is undone by unblocking; a formal loss is final; only an activated or issued card is lost temporarily', () => {
  assert.equal(nextStatus('activated', 'temporary-loss'), 'temp_lost');
  assert.equal(nextStatus('temp_lost', 'unblock'), 'activated');
  assert.equal(nextStatus('temp_lost', 'formal-loss'), 'lost');
  assert.equal(nextStatus('lost', 'unblock'), null);
  assert.equal(nextStatus('lost', 'activate'), null);
  assert.equal(nextStatus('applied', 'temporary-loss'), null);
  assert.equal(nextStatus('applied', 'issue'), null, 'production comes before issue');
  assert.equal(nextStatus('cancelled', 'cancel'), null);
});

test('temporary loss holds 5 days in Shanghai, 10 in Yongkang, 7 elsewhere (the default)', () => {
  const p = projectParams();
  const days = (region: string) => p.get<number>('cards/temporary-loss-days', region, '2026-12-01');
  assert.equal(days('310101'), 5);
  assert.equal(days('330784'), 10);
  assert.equal(days('320206'), 7);
  assert.equal(days('341802'), 7);
});
