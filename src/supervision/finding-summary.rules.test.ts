// A finding's sentence counts in English as a reader does: "acted 1 time", "3 months", never "time(s)".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tellFinding, type FindingFacts } from './finding-summary.rules.ts';

const facts = (detector: string, evidence: unknown, over: Partial<FindingFacts> = {}): FindingFacts => ({
  detector,
  evidence,
  amountAtRiskFen: 930_000,
  periodFrom: '2026-06',
  periodTo: '2026-08',
  personName: '张三',
  employerName: '演示单位',
  staffName: '王经办',
  ...over,
});

test('a staff member who acted once reads "1 time"; twice, "2 times"; Chinese counts 次 either way', () => {
  const once = tellFinding(facts('staff_own_records', { relation: 'self', auditIds: [7] }));
  assert.deepEqual(once, {
    zh: '经办人员王经办对本人的记录办理业务1次',
    en: 'Staff member 王经办 acted 1 time on their own record',
  });
  const twice = tellFinding(facts('staff_own_records', { relation: 'self', auditIds: [7, 9] }));
  assert.equal(twice?.en, 'Staff member 王经办 acted 2 times on their own record');
});

test('one month paid after death is "1 month"; three are "3 months"; 1,234 is grouped', () => {
  const payments = (k: number) => Array.from({ length: k }, (_, i) => ({ period: `2026-0${i + 1}` }));
  const one = tellFinding(facts('pension_after_death', { deathDate: '2026-05-20', payments: payments(1) }));
  assert.equal(one?.en, 'Died 20 May 2026; pension still paid for 1 month after, ¥9,300.00');
  assert.equal(one?.zh, '张三于2026年5月20日死亡，此后仍发放养老金1个月，共¥9,300.00');
  const three = tellFinding(facts('double_pension', { months: 3 }));
  assert.match(three?.en ?? '', /paid for 3 months;/);
  const many = tellFinding(facts('unemployment_while_employed', { months: 1234 }));
  assert.match(many?.en ?? '', /paid for 1,234 months another/);
});

test('the other counted nouns agree with their number', () => {
  const hired = tellFinding(
    facts('late_career_hire', {
      startDate: '2026-05-19',
      retirementDate: '2026-05-20',
      backPaymentMonths: 1,
    }),
  );
  assert.equal(hired?.en, 'Hired 1 day before retirement; 1 month paid back');
  const injuries = tellFinding(facts('employer_injuries', { cases: 1, workers: 1 }));
  assert.equal(injuries?.en, '1 injury case from Jun 2026 to Aug 2026 among 1 worker');
  const injured = tellFinding(facts('employer_injuries', { cases: 4, workers: 30 }));
  assert.equal(injured?.en, '4 injury cases from Jun 2026 to Aug 2026 among 30 workers');
  const back = tellFinding(facts('back_payment_undocumented', { months: 1, documented: false }));
  assert.match(back?.en ?? '', /^1 month paid back \(/);
  for (const told of [hired, injuries, injured, back]) assert.doesNotMatch(told?.en ?? '', /\(s\)/);
});

test('a count of zero is still told (as before), and missing evidence still is not', () => {
  assert.equal(
    tellFinding(facts('double_pension', { months: 0 }))?.en,
    'Employee and resident basic pension both paid for 0 months; the resident pension to refund is ¥9,300.00',
  );
  assert.equal(tellFinding(facts('double_pension', {})), null);
});
