// Signature, sender and addressee checks of a federation message (no broker, no database).
import { strict as assert } from 'node:assert';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import {
  checkMessage,
  idHash,
  setFederationSecret,
  loadKeys,
  signBytes,
  subjectOf,
  type Envelope,
} from './fed.messaging.ts';

const pair = () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    pub: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    priv: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
};
const a = pair();
const b = pair();
const registry = { '340000': a.pub, '320000': b.pub };
const keysA = loadKeys(a.priv, registry);
const keysB = loadKeys(b.priv, registry);
const env: Envelope = {
  id: 'm-1',
  from: '340000',
  to: '320000',
  kind: 'transfer.funds',
  at: '2026-12-01T00:00:00Z',
  body: { ref: 'r' },
};
const bytes = Buffer.from(JSON.stringify(env));
const subject = subjectOf('320000', 'transfer.funds');

test('a message signed by the province it names is accepted by its addressee', () => {
  const r = checkMessage('320000', subject, bytes, signBytes(keysA.privateKey, bytes), keysB);
  assert.equal(r.refusal, null);
  assert.equal(r.env?.id, 'm-1');
});

test('signed by another province than the one it claims → refused', () => {
  const r = checkMessage('320000', subject, bytes, signBytes(keysB.privateKey, bytes), keysB);
  assert.match(r.refusal ?? '', /signature is not 340000/);
});

test('a changed body (or id) breaks the signature → refused', () => {
  const sig = signBytes(keysA.privateKey, bytes);
  const changed = Buffer.from(JSON.stringify({ ...env, body: { ref: 'r', totalFen: 1 } }));
  assert.match(checkMessage('320000', subject, changed, sig, keysB).refusal ?? '', /signature/);
  const newId = Buffer.from(JSON.stringify({ ...env, id: 'm-2' }));
  assert.match(checkMessage('320000', subject, newId, sig, keysB).refusal ?? '', /signature/);
});

test('unsigned, unknown sender, or addressed to another node → refused', () => {
  assert.equal(checkMessage('320000', subject, bytes, undefined, keysB).refusal, 'unsigned');
  const fromX = Buffer.from(JSON.stringify({ ...env, from: '110000' }));
  assert.match(
    checkMessage('320000', subject, fromX, signBytes(keysA.privateKey, fromX), keysB).refusal ?? '',
    /unknown sender/,
  );
  assert.match(
    checkMessage('330000', subject, bytes, signBytes(keysA.privateKey, bytes), keysB).refusal ?? '',
    /addressed to/,
  );
  assert.match(
    checkMessage('320000', subjectOf('320000', 'other'), bytes, signBytes(keysA.privateKey, bytes), keysB)
      .refusal ?? '',
    /addressed to/,
  );
});

test('the index key is an HMAC of the ID number under the federation secret, upper-case X and lower-case x alike', () => {
  const secret = 'k'.repeat(32);
  assert.equal(idHash('34180019900101123x', secret), idHash('34180019900101123X', secret));
  assert.match(idHash('34180019900101123X', secret), /^[0-9a-f]{64}$/);
  // Without the key the hash cannot be recomputed: the unkeyed SHA-256 of the ID number is not it,
  // and another federation's secret gives another hash.
  const unkeyed = createHash('sha256').update('34180019900101123X').digest('hex');
  assert.notEqual(idHash('34180019900101123X', secret), unkeyed);
  assert.notEqual(idHash('34180019900101123X', secret), idHash('34180019900101123X', 'j'.repeat(32)));
  assert.throws(() => setFederationSecret('short'), /SB_ERR_INVALID_CONFIG|32/);
});
