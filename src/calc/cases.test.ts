// Runs every worked example in src/**/cases/*.yaml through the same path as the CLI and the API.
//
// File format:
//   rule: employee-pension            # default rule for the file's cases
//   source: …                         # default source
//   cases:
//     - name: "WE-01 basic pension (1000 + 1000×1.5)/2 × 40 × 1% = 500.00"
//       source: …
//       input: { … }
//       expected: { basicPensionFen: 50000 }      # partial deep match on the output
//       error: { code: SB_ERR_…, field: … }       # instead of expected, for bad input
//       uncertain: true                            # expects a trace step flagged uncertain
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { isSbError } from '../core/errors.ts';
import { projectParams } from '../core/params-loader.ts';
import { getRule } from './rules-catalogue.ts';
import { runRule } from '../core/rule.ts';
import { stepUnitProblem } from '../testing/trace-units.ts';

interface CaseSpec {
  name: string;
  rule?: string;
  source?: string;
  input: unknown;
  expected?: Record<string, unknown>;
  error?: { code: string; field?: string };
  uncertain?: boolean;
}

const SRC = join(import.meta.dirname, '..');

function caseFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...caseFiles(full));
    else if (dir.endsWith('cases') && name.endsWith('.yaml')) out.push(full);
  }
  return out.sort();
}

/** Every key of `expected` must be present in `actual` with an equal value (recursively for objects). */
function assertSubset(actual: unknown, expected: unknown, path: string): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    assert.ok(
      actual !== null && typeof actual === 'object',
      `${path}: expected an object, got ${JSON.stringify(actual)}`,
    );
    for (const [k, v] of Object.entries(expected))
      assertSubset((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
  } else {
    assert.deepEqual(
      actual,
      expected,
      `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    );
  }
}

const params = projectParams();
const files = caseFiles(SRC);
let total = 0;

for (const file of files) {
  const doc = parse(readFileSync(file, 'utf8')) as { rule?: string; source?: string; cases: CaseSpec[] };
  describe(relative(SRC, file), () => {
    for (const c of doc.cases) {
      total += 1;
      test(c.name, () => {
        const rule = getRule(c.rule ?? doc.rule);
        assert.ok(c.source ?? doc.source, 'every case names its source');
        assert.ok(
          (c.expected === undefined) !== (c.error === undefined),
          'a case has either expected or error',
        );
        if (c.error) {
          assert.throws(
            () => runRule(rule, c.input, params),
            (e: unknown) => {
              assert.ok(isSbError(e), `expected an SbError, got ${String(e)}`);
              assert.equal(e.code, c.error?.code);
              if (c.error?.field !== undefined) assert.equal(e.field, c.error.field);
              return true;
            },
          );
          return;
        }
        const result = runRule(rule, c.input, params);
        assertSubset(result, c.expected, 'output');
        assert.ok(result.trace.length > 0, 'a result carries a trace');
        // each step's figure fits the unit the page formats it by (¥ for fen, % for a rate, words for a code)
        assert.deepEqual(result.trace.map(stepUnitProblem).filter(Boolean), [], 'trace units');
        for (const [k, v] of Object.entries(result)) {
          // A money figure is integer fen, or null where the rule answers without it (and says why in the trace).
          if (k.endsWith('Fen'))
            assert.ok(v === null || Number.isSafeInteger(v), `${k} is an integer number of fen (or null)`);
        }
        if (c.uncertain !== undefined) {
          assert.equal(
            result.trace.some((s) => s.uncertain === true),
            c.uncertain,
            'uncertain flag in the trace',
          );
        }
      });
    }
  });
}

test('the worked examples are loaded', () => {
  assert.ok(files.length > 0 && total > 0, `found ${files.length} files with ${total} cases`);
});
