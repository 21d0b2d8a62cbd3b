// Working days with China's public holidays and 调休 working weekends (params/hall/public-holidays.yaml):
// worked examples from the State Council notices for 2025 and 2026, and a year without its notice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectParams } from './params-loader.ts';
import {
  addWorkingDays,
  buildCalendar,
  calendarFrom,
  HOLIDAYS_PARAM,
  isWorkingDay,
  onWorkingDay,
  workingDaysBetween,
} from './working-days.ts';

const cal = calendarFrom(projectParams());

test('the parameter file holds 2025 and 2026, each with its State Council notice as the reference', () => {
  assert.match(
    cal.get(2025)?.reference.zh ?? '',
    /国务院办公厅关于2025年部分节假日安排的通知.*国办发明电〔2024〕12号/,
  );
  assert.match(cal.get(2026)?.reference.zh ?? '', /国务院办公厅关于2026年部分节假日安排的通知/);
  assert.equal(projectParams().definitions.get(HOLIDAYS_PARAM)?.unit, 'table');
});

test('15 working days from Friday 2025-09-26 across the National Day holiday end on 2025-10-23, not 10-17', () => {
  // 09-28 (Sun) and 10-11 (Sat) are worked; 10-01…10-08 are off.
  assert.equal(addWorkingDays('2025-09-26', 15, cal), '2025-10-23');
  assert.equal(addWorkingDays('2025-09-26', 15), '2025-10-17', 'Monday to Friday only');
  assert.equal(addWorkingDays('2025-09-26', 1, cal), '2025-09-28', 'the Sunday worked counts');
});

test('20 working days from 2026-02-10 across the Spring Festival: 02-14 and 02-28 (Saturdays) worked, 02-15…02-23 off → 2026-03-16', () => {
  assert.equal(addWorkingDays('2026-02-10', 20, cal), '2026-03-16');
});

test('10 working days from 2025-04-15 (the Sunday 04-27 worked, 05-01…05-05 off) → 2025-04-28; 20 → 2025-05-15', () => {
  assert.equal(addWorkingDays('2025-04-15', 10, cal), '2025-04-28');
  assert.equal(addWorkingDays('2025-04-15', 20, cal), '2025-05-15');
});

test('single days: New Year 2025 off, Saturday 2026-01-03 off, Sunday 2026-01-04 worked, an ordinary Saturday off', () => {
  assert.equal(isWorkingDay('2025-01-01', cal), false);
  assert.equal(isWorkingDay('2025-01-02', cal), true);
  assert.equal(isWorkingDay('2026-01-03', cal), false);
  assert.equal(isWorkingDay('2026-01-04', cal), true);
  assert.equal(isWorkingDay('2025-04-19', cal), false);
  assert.equal(isWorkingDay('2026-10-07', cal), false);
  assert.equal(isWorkingDay('2026-10-10', cal), true);
});

test('a year without its notice (2027) counts Monday to Friday', () => {
  assert.equal(isWorkingDay('2027-01-01', cal), true, 'New Year 2027 not yet published');
  assert.equal(addWorkingDays('2027-03-05', 5, cal), '2027-03-12');
});

test('working days between: the inverse of adding them across holidays, negative when overdue', () => {
  for (const from of ['2025-01-20', '2025-09-24', '2026-02-10', '2026-09-18'])
    for (const n of [0, 1, 3, 5, 10, 15, 20, 45])
      assert.equal(workingDaysBetween(from, addWorkingDays(from, n, cal), cal), n, `${from} + ${n}`);
  assert.equal(workingDaysBetween('2025-10-23', '2025-09-26', cal), -15);
});

test('a malformed year is refused: a weekday as 调休, a range outside its year', () => {
  const year = (workdays: string[], holidays = [{ name: 'x', from: '2025-01-01', to: '2025-01-01' }]) => [
    { reference: { zh: 'r', en: 'r' }, value: { year: 2025, holidays, workdays } },
  ];
  assert.throws(() => buildCalendar(year(['2025-01-08'])), /not a Saturday or Sunday/);
  assert.throws(
    () => buildCalendar(year([], [{ name: 'x', from: '2024-12-31', to: '2025-01-01' }])),
    /not a range inside the year/,
  );
  assert.throws(
    () => buildCalendar(year(['2025-01-04'], [{ name: 'x', from: '2025-01-04', to: '2025-01-04' }])),
    /both/,
  );
});

test('a last day off moves to the next working day: National Day 2025-10-01 → 10-09; Sat 2026-02-14 (调休) stays; an ordinary Saturday → Monday', () => {
  assert.equal(onWorkingDay('2025-10-01', cal), '2025-10-09');
  assert.equal(onWorkingDay('2025-10-01'), '2025-10-01', 'Monday to Friday only');
  assert.equal(onWorkingDay('2026-02-14', cal), '2026-02-14');
  assert.equal(onWorkingDay('2026-02-15', cal), '2026-02-24');
  assert.equal(onWorkingDay('2026-03-07', cal), '2026-03-09');
});
