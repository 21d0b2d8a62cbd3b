// The entry hash is sha256(prev_hash, '\n', canonical JSON of the entry's fields). hashAuditRow writes
// the canonical text from a fixed key order (issue 18); it must equal the generic canonical form for
// every entry, or a chain written by one would not verify against the other.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonical, hashAuditRow, type AuditRowForHash } from './audit.repository.ts';

const reference = (r: AuditRowForHash): string => {
  const { prev_hash, ...fields } = r;
  return createHash('sha256').update(prev_hash).update('\n').update(canonical(fields)).digest('hex');
};

// Entries as the writer hashes them: an ISO time, numeric ids, a trimmed region, null for absent.
const entry: fc.Arbitrary<AuditRowForHash> = fc.record({
  at: fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString()),
  actor_user_id: fc.option(fc.integer({ min: 1, max: 2 ** 40 }), { nil: null }),
  actor_username: fc.string(),
  actor_role: fc.constantFrom('clerk', 'reviewer', 'supervisor', 'admin', 'system'),
  action: fc.string(),
  entity_type: fc.string(),
  entity_id: fc.option(fc.string(), { nil: null }),
  region: fc.option(fc.stringMatching(/^[0-9]{6}$/), { nil: null }),
  subject_person_id: fc.option(fc.integer({ min: 1, max: 2 ** 40 }), { nil: null }),
  before: fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: null }),
  after: fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: null }),
  reason: fc.option(fc.string({ unit: 'grapheme' }), { nil: null }),
  request_id: fc.option(fc.string(), { nil: null }),
  prev_hash: fc.stringMatching(/^[0-9a-f]{64}$/),
});

test('an entry’s hash equals sha256 over the generic canonical JSON of its fields, for any entry', () => {
  fc.assert(
    fc.property(entry, (r) => assert.equal(hashAuditRow(r), reference(r))),
    { numRuns: 2000 },
  );
});

test('a person read as the clerk’s statement queues it hashes as the generic form does', () => {
  const r: AuditRowForHash = {
    at: '2026-12-02T16:00:00.123Z',
    actor_user_id: 2,
    actor_username: 'clerk',
    actor_role: 'clerk',
    action: 'person.read',
    entity_type: 'person',
    entity_id: '25',
    region: '341800',
    subject_person_id: 25,
    before: null,
    after: { b: 1, a: [{ z: '孙晓东', y: null }] },
    reason: null,
    request_id: 'req-1',
    prev_hash: '0'.repeat(64),
  };
  assert.equal(hashAuditRow(r), reference(r));
});
