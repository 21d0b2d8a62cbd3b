// Working days: Monday to Friday (holidays not modelled, see docs/hall.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from './working-days.rules.ts';

test('2025-04-15 (Tue) + 10 working days = 2025-04-29 (Tue): two weekends skipped', () => {
  assert.equal(addWorkingDays('2025-04-15', 10), '2025-04-29');
});

test('a Friday + 1 working day = the Monday after; + 0 = the same day', () => {
  assert.equal(addWorkingDays('2025-04-18', 1), '2025-04-21');
  assert.equal(addWorkingDays('2025-04-18', 0), '2025-04-18');
});

test('Saturday and Sunday are not working days; 1970-01-01 was a Thursday', () => {
  assert.equal(isWorkingDay('2025-04-19'), false);
  assert.equal(isWorkingDay('2025-04-20'), false);
  assert.equal(isWorkingDay('1970-01-01'), true);
  assert.equal(isWorkingDay('1970-01-03'), false);
});

test('working days between: the inverse of adding them, negative when overdue', () => {
  for (const n of [0, 1, 3, 5, 10, 20, 45])
    assert.equal(workingDaysBetween('2025-04-15', addWorkingDays('2025-04-15', n)), n);
  assert.equal(workingDaysBetween('2025-04-29', '2025-04-15'), -10);
});
