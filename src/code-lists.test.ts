// A parameter file may say its figures are codes of a list (`unit: code:injury.payer`): the list must
// exist and hold every code, or start-up stops naming the file — the payer table was a bare `table`,
// and the trace said who pays only because the rule overrode the file's unit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkParamCodeLists } from './code-lists.ts';
import { parseParamFile, projectParams } from './core/params-loader.ts';
import { ParamStore } from './core/params.ts';

const file = (unit: string, value: string): ParamStore => {
  const text = `description: 支付主体 / payer\nreference: { zh: 条例, en: Regulations }\nunit: ${unit}\nvalues:\n  2011-01-01: { value: ${value} }\n`;
  return new ParamStore(new Map([['t/payer', parseParamFile('params/t/payer.yaml', text, 't/payer')]]));
};

test("the project's parameter files name only lists that exist; the payer table is one", () => {
  checkParamCodeLists(projectParams());
  assert.equal(
    projectParams().definitions.get('injury/disability-allowance-payer')?.unit,
    'code:injury.payer',
  );
});

test('a code list that does not exist, or a code outside its list, stops the load naming the file', () => {
  checkParamCodeLists(file('code:injury.payer', '{ "1": fund, "5": employer }'));
  assert.throws(
    () => checkParamCodeLists(file('code:injury.payers', '{ "1": fund }')),
    /params\/t\/payer\.yaml: key "unit": no code list "injury\.payers"/,
  );
  assert.throws(
    () => checkParamCodeLists(file('code:injury.payer', '{ "1": fund, "5": employr }')),
    /"employr" \(from 2011-01-01\) is not a code of injury\.payer/,
  );
  assert.throws(() => file('code:payer', 'fund'), /key "unit": must be one of .*or code:<list>/);
});
