// One list of units: a parameter file may declare every unit a trace step says (money in yuan, loaded
// as fen), and its step carries it — the loader once kept its own list, and a file could not say
// `days` or `rate` though a step could.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseParamFile } from './params-loader.ts';
import { ParamStore, paramTraceStep, type ParamUnit } from './params.ts';
import { STEP_UNITS } from './trace.ts';

/** A figure of each unit as a file writes it, and as it is loaded (a new unit needs one here to compile). */
const SAMPLES: Record<Exclude<ParamUnit, `code:${string}`>, [yaml: string, loaded: unknown]> = {
  yuan: ['12.5', 1250],
  percent: ['60', 60],
  bp: ['50', 50],
  rate: ['0.08', 0.08],
  index: ['1.2', 1.2],
  months: ['12', 12],
  days: ['30', 30],
  years: ['1', 1],
  age: ['60', 60],
  count: ['3', 3],
  number: ['1.5', 1.5],
  date: ['2020-01-01', '2020-01-01'],
  boolean: ['true', true],
  text: ['"按月"', '按月'],
  table: ['{ a: 1 }', { a: 1 }],
};

const load = (unit: string, value: string): ParamStore => {
  const text = `description: 一个参数 / a parameter\nreference: { zh: 条例, en: Regulations }\nunit: ${unit}\nvalues:\n  2020-01-01: { value: ${value} }\n`;
  return new ParamStore(new Map([['t/x', parseParamFile('params/t/x.yaml', text, 't/x')]]));
};

test('every unit a step may say, a parameter file may declare, and its step carries it (yuan as fen)', () => {
  for (const stepUnit of STEP_UNITS) {
    const unit = stepUnit === 'fen' ? 'yuan' : stepUnit;
    const [yaml, loaded] = SAMPLES[unit];
    const r = load(unit, yaml).tryResolve('t/x', '000000', '2020-06-01');
    assert.ok(r, unit);
    assert.deepEqual(r.value, loaded, unit);
    assert.equal(paramTraceStep(r).unit, stepUnit, unit);
  }
  assert.equal(Object.keys(SAMPLES).length, STEP_UNITS.length);
});

test('a file says money in yuan, never fen, and a figure must fit its unit', () => {
  assert.throws(() => load('fen', '12'), /key "unit": must be one of yuan, percent, .*or code:<list>/);
  assert.throws(() => load('days', '1.5'), /expected an integer/);
  assert.throws(() => load('text', '12'), /expected a text/);
});
