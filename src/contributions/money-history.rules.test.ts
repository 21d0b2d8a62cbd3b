// Which approval a history step carried out (money-history.rules.ts): named by the entry where it names
// it, inferred for older entries only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { releasedApprovals, type ApprovalToMatch, type StepToMatch } from './money-history.rules.ts';

const step = (o: Partial<StepToMatch>): StepToMatch => ({
  action: 'payment.reverse',
  actorUsername: 'clerk1',
  at: '2021-10-20T02:00:00.000Z',
  paymentId: 7,
  billId: 3,
  namedApprovalId: null,
  ...o,
});
const approval = (o: Partial<ApprovalToMatch>): ApprovalToMatch => ({
  id: 1,
  kind: 'payment.reverse',
  status: 'released',
  makerUsername: 'clerk1',
  checkerUsername: 'reviewer1',
  decidedAt: '2021-10-20T02:00:00.000Z',
  billId: null,
  paymentIds: [7],
  ...o,
});

test('an entry that names its approval gets that one, even where the inference would pick another', () => {
  // approval 2 was released later by the same maker on the same payment: the inference takes the latest
  const approvals = [
    approval({ id: 1, checkerUsername: 'reviewer1' }),
    approval({ id: 2, checkerUsername: 'reviewer2', decidedAt: '2021-10-20T02:00:00.500Z' }),
  ];
  assert.deepEqual(releasedApprovals([step({ namedApprovalId: 1 })], approvals), [
    { approvalId: 1, releasedBy: 'reviewer1' },
  ]);
  assert.deepEqual(releasedApprovals([step({})], approvals), [{ approvalId: 2, releasedBy: 'reviewer2' }]);
});

test('an older entry is matched to the maker’s latest release of its kind on its payment, decided no later than a second after it', () => {
  const approvals = [
    approval({ id: 1 }),
    approval({ id: 2, kind: 'payment.allocate' }),
    approval({ id: 3, makerUsername: 'clerk2' }),
    approval({ id: 4, paymentIds: [8] }),
    approval({ id: 5, decidedAt: '2021-10-20T02:00:02.000Z' }),
    approval({ id: 6, status: 'prepared', decidedAt: null }),
  ];
  assert.deepEqual(releasedApprovals([step({ action: 'payment.refund' })], approvals), [
    { approvalId: 1, releasedBy: 'reviewer1' },
  ]);
  // an action no release writes has none
  assert.deepEqual(releasedApprovals([step({ action: 'payment.held-again' })], approvals), [null]);
});

test('one release, one entry per payment: a joint allocation names its approval on each receipt, a later allocation by hand none', () => {
  const approvals = [approval({ id: 9, kind: 'payment.allocate', paymentIds: [7, 8] })];
  const allocate = (paymentId: number, at: string) => step({ action: 'payment.allocate', paymentId, at });
  assert.deepEqual(
    releasedApprovals(
      [
        allocate(7, '2021-10-20T02:00:00.000Z'),
        allocate(8, '2021-10-20T02:00:00.000Z'),
        allocate(7, '2021-10-21T02:00:00.000Z'),
      ],
      approvals,
    ),
    [{ approvalId: 9, releasedBy: 'reviewer1' }, { approvalId: 9, releasedBy: 'reviewer1' }, null],
  );
});

test('a cancellation is matched by its bill; an approval an entry names is not inferred for another', () => {
  const cancel = approval({ id: 4, kind: 'bill.cancel', billId: 3, paymentIds: [] });
  assert.deepEqual(
    releasedApprovals(
      [step({ action: 'bill.cancel', paymentId: null })],
      [cancel, { ...cancel, id: 5, billId: 4 }],
    ),
    [{ approvalId: 4, releasedBy: 'reviewer1' }],
  );
  assert.deepEqual(
    releasedApprovals(
      [step({}), step({ namedApprovalId: 1, at: '2021-10-20T03:00:00.000Z' })],
      [approval({})],
    ),
    [null, { approvalId: 1, releasedBy: 'reviewer1' }],
  );
});
