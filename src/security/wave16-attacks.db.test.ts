// The sixteenth wave (sec41): the machines' routes found from one list, every CSV export read after hostile
// names were written, the bank receipt file's length, and the public calculations' input fields walked one
// level down as wave 15 walks the routes' schemas. Each test goes through the real server (app.inject) on a
// real database; the holes were seen failing first (docs/security.md, wave 16).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'kysely';
import { parse as parseYaml } from 'yaml';
import { MACHINES, machineOfRoute } from '../auth/machines.ts';
import { RULES } from '../calc/rules-catalogue.ts';
import { MAX_UPLOAD_LINES } from '../contributions/declaration.rules.ts';
import { makeCreditCode, makeIdNumber } from '../core/ids.ts';
import { BANK_RECEIPT_HEADER, postBankReceipts } from '../testing/bill-fixtures.ts';
import { TEST_REGION } from '../testing/test-app.ts';
import { attackerWalk } from './attackers.ts';
import type { OpenApi } from './id-walk.ts';

const TODAY = '2026-04-20';

/** A name as a Chinese input method in full-width mode types a formula: a spreadsheet normalises it to `=…`. */
const PERSON_NAME = '＝1＋2';
const EMPLOYER_NAME = '＠SUM（1）单位';

describe('wave 16', () => {
  const w = attackerWalk([], TODAY);
  const { as, call, error } = w;

  test('machines: every route under a machine’s prefix takes its key and nothing else (anonymous, a staff session, a wrong key: 401), and every key route is a machine’s of src/auth/machines.ts', async () => {
    const failures: string[] = [];
    const machineRoutes = w.t.app.routeTable.filter((r) => machineOfRoute(r.url) !== undefined);
    for (const r of machineRoutes) {
      const m = machineOfRoute(r.url);
      const url = r.url.replace(/:\w+/g, '1');
      for (const headers of [
        {},
        as['clerk']?.headers ?? {},
        m?.keyHeader ? { [m.keyHeader]: `${m.keyKind}_0123456789_${'A'.repeat(43)}` } : {},
      ]) {
        const a = await w.t.app.inject({ method: r.method as 'POST', url, headers, payload: {} });
        if (a.statusCode !== 401 || !r.public) failures.push(`${r.method} ${r.url} → ${a.statusCode}`);
      }
    }
    // a route that calls itself a machine's API (`/…-api/`) and is no machine's would be walked as a login's
    const strays = w.t.app.routeTable
      .filter((r) => /^\/api\/v1\/[a-z]+-api\//.test(r.url) && machineOfRoute(r.url) === undefined)
      .map((r) => r.url);
    assert.deepEqual([failures, strays], [[], []]);
    assert.deepEqual(
      [...new Set(machineRoutes.map((r) => machineOfRoute(r.url)?.role))].sort(),
      MACHINES.filter((m) => m.routePrefix !== null)
        .map((m) => m.role)
        .sort(),
      'each machine with a prefix has routes',
    );
  });

  test('every CSV export route, found by its path or its declared text/csv answer, read after a person and an employer were named with a full-width ＝ and ＠: no cell a spreadsheet reads as a formula', async () => {
    const person = await call('clerk', 'POST', '/api/v1/persons', {
      idNumber: makeIdNumber('341802', '1971-02-03', 61),
      name: PERSON_NAME,
      region: TEST_REGION,
    });
    assert.equal(person.statusCode, 201, person.body);
    const employer = await call('clerk', 'POST', '/api/v1/employers', {
      creditCode: makeCreditCode(TEST_REGION, 1616),
      name: EMPLOYER_NAME,
      region: TEST_REGION,
      industryClass: 1,
      size: 'sme',
    });
    assert.equal(employer.statusCode, 201, employer.body);
    const run = await call('policy', 'POST', '/api/v1/simulations', { years: 2, name: PERSON_NAME });
    assert.equal(run.statusCode, 200, run.body);
    // how each export is read, and whose words it carries; a new export fails here until it is added
    const readers: Record<string, { who: string | null; url: string; carries: string[] }> = {
      'GET /api/v1/audit.csv': {
        who: 'supervisor',
        url: '/api/v1/audit.csv',
        carries: [PERSON_NAME, EMPLOYER_NAME],
      },
      'GET /api/v1/simulations/{id}/export.csv': {
        who: 'policy',
        url: `/api/v1/simulations/${run.json<{ id: number }>().id}/export.csv`,
        carries: [PERSON_NAME],
      },
      'GET /api/v1/contributions/declarations/template.csv': {
        who: null,
        url: '/api/v1/contributions/declarations/template.csv',
        carries: [],
      },
    };
    const doc = (w.t.app as unknown as { swagger(): OpenApi }).swagger();
    const exports = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops as Record<string, { responses?: Record<string, { content?: object }> }>)
        .filter(
          ([m, op]) =>
            m === 'get' && (path.endsWith('.csv') || 'text/csv' in (op.responses?.['200']?.content ?? {})),
        )
        .map(([m]) => `${m.toUpperCase()} ${path}`),
    );
    assert.deepEqual(exports.sort(), Object.keys(readers).sort(), 'the CSV exports');
    const formulas: string[] = [];
    for (const [route, r] of Object.entries(readers)) {
      const csv = await call(r.who, 'GET', r.url);
      assert.equal(csv.statusCode, 200, `${route}: ${csv.body.slice(0, 200)}`);
      const rows: string[][] = parseCsv(csv.body.replace(/^\uFEFF/, ''), {
        relax_column_count: true,
        relax_quotes: true,
      });
      const cells = rows.flat();
      for (const words of r.carries)
        assert.ok(
          cells.some((c) => c.includes(words)),
          `${route} carries ${words}`,
        );
      // a plain number (a negative balance) is a number; anything else starting like a formula once normalised is one
      for (const cell of cells)
        if (/^[=+\-@\t\r]/.test(cell.slice(0, 1).normalize('NFKC')) && !/^-[0-9]+(\.[0-9]+)?$/.test(cell))
          formulas.push(`${route}: ${cell.slice(0, 40)}`);
    }
    assert.deepEqual(formulas, []);
  });

  test(`a bank receipt file of more than ${MAX_UPLOAD_LINES} lines is refused as a whole, naming the limit, and writes nothing (it had no cap but the 8 MB body)`, async () => {
    const clerk = as['clerk'];
    assert.ok(clerk);
    const lines = Array.from(
      { length: MAX_UPLOAD_LINES + 1 },
      (_, i) => `W16-${String(i).padStart(6, '0')},2026-04-01,1,100`,
    );
    const r = await postBankReceipts(w.t, clerk, `${BANK_RECEIPT_HEADER}\n${lines.join('\n')}\n`);
    assert.equal(r.statusCode, 400, r.body.slice(0, 300));
    const e = r.json<{ error: { code: string; lines: unknown[] } }>().error;
    assert.equal(e.code, 'SB_ERR_INVALID_UPLOAD');
    assert.deepEqual(e.lines, [
      {
        line: MAX_UPLOAD_LINES + 2,
        field: '(file)',
        reason: `at most ${MAX_UPLOAD_LINES} lines per file`,
        reasonZh: `每个文件最多 ${MAX_UPLOAD_LINES} 行`,
      },
    ]);
    const written = await sql<{ n: string }>`
      SELECT count(*) AS n FROM contribution_payment WHERE bank_ref LIKE 'W16-%'`.execute(w.t.ctx.db);
    assert.equal(Number(written.rows[0]?.n), 0, 'nothing was written');
  });

  test('the public calculations: every input field of every rule (from its worked examples), and one level down each field of an object or of a list’s first item, refuses text for a number, a number for text, a list for a scalar and the reverse, a boolean as text and a list of 10,001 items, naming the field and repeating nothing', async () => {
    const started = Date.now();
    const examples = workedExamples();
    const failures: string[] = [];
    const missing = [...RULES.keys()].filter((r) => !examples.has(r));
    let probes = 0;
    let n = 0;
    // each request from an address of its own: the public limit (60 a minute an address) is not what is probed
    const compute = (rule: string, payload: unknown) =>
      w.t.app.inject({
        method: 'POST',
        url: `/api/v1/calc/${rule}`,
        payload: payload as object,
        remoteAddress: `10.16.${Math.floor(++n / 250)}.${n % 250}`,
      });
    for (const [rule, input] of examples) {
      const ok = await compute(rule, input);
      if (ok.statusCode !== 200) {
        failures.push(`${rule}: its worked example → ${ok.statusCode}`);
        continue;
      }
      for (const p of calcProbes(input)) {
        probes += 1;
        const r = await compute(rule, p.input);
        const field = r.statusCode === 400 ? error(r)?.field : undefined;
        const named = field !== undefined && p.names.includes(field.replace(/\[(\d+)\]/g, '.$1'));
        const echoed = typeof p.value === 'string' && p.value.length > 8 && r.body.includes(p.value);
        if (!named || echoed)
          failures.push(`${rule} ${p.names[0]} ${p.what} → ${r.statusCode} ${r.body.slice(0, 160)}`);
      }
    }
    const unknown = await compute('＜script＞w16', {});
    if (unknown.statusCode < 400 || unknown.statusCode >= 500 || unknown.body.includes('script'))
      failures.push(`an unknown rule → ${unknown.statusCode} ${unknown.body.slice(0, 160)}`);
    console.log(`wave 16 calc walk: ${examples.size} rules, ${probes} probes; ${Date.now() - started} ms`);
    assert.deepEqual([failures, missing], [[], []]);
    assert.ok(probes > 100, `${probes} probes`);
  });
});

/** Each rule's first worked example that computes (src/**∕cases/*.yaml, as src/calc/cases.test.ts reads them). */
function workedExamples(): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (dir.endsWith('cases') && e.name.endsWith('.yaml')) {
        const file = parseYaml(readFileSync(full, 'utf8')) as {
          rule?: string;
          cases?: { rule?: string; input?: unknown; error?: unknown }[];
        };
        for (const c of file.cases ?? []) {
          const rule = c.rule ?? file.rule;
          if (rule !== undefined && c.error === undefined && isRecord(c.input) && !out.has(rule))
            out.set(rule, c.input);
        }
      }
    }
  };
  walk(join(import.meta.dirname, '..'));
  return out;
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

interface CalcProbe {
  /** the names the answer may give the field: `lines.0.period` (the calculations write `lines[0].period`) */
  names: string[];
  what: string;
  value: unknown;
  input: Record<string, unknown>;
}

/** The hostile values of one value by its kind in a worked example, each with the whole input it goes in. */
function valueProbes(good: unknown): { what: string; value: unknown }[] {
  if (typeof good === 'string')
    return [
      { what: 'a number for text', value: 7 },
      { what: 'a list for text', value: [good] },
    ];
  if (typeof good === 'number')
    return [
      { what: 'the number as text', value: `${good}` },
      { what: 'a list for a number', value: [good] },
    ];
  if (typeof good === 'boolean') return [{ what: 'a boolean as text', value: String(good) }];
  if (Array.isArray(good) && good.length > 0)
    return [
      { what: 'one item for a list', value: good[0] },
      { what: 'a list of 10,001 items', value: Array.from({ length: 10_001 }, (): unknown => good[0]) },
    ];
  if (isRecord(good)) return [{ what: 'a list for an object', value: [good] }];
  return [];
}

/** Every field of a rule's input and, one level down, every field of an object or of a list's first item. */
function calcProbes(input: Record<string, unknown>): CalcProbe[] {
  const out: CalcProbe[] = [];
  for (const [k, good] of Object.entries(input)) {
    for (const p of valueProbes(good)) out.push({ names: [k], ...p, input: { ...input, [k]: p.value } });
    const inner = isRecord(good) ? good : Array.isArray(good) && isRecord(good[0]) ? good[0] : undefined;
    if (inner === undefined) continue;
    const at = isRecord(good) ? k : `${k}.0`;
    for (const [c, cgood] of Object.entries(inner))
      for (const p of valueProbes(cgood)) {
        const changed = { ...inner, [c]: p.value };
        out.push({
          names: [`${at}.${c}`],
          ...p,
          input: { ...input, [k]: isRecord(good) ? changed : [changed, ...(good as unknown[]).slice(1)] },
        });
      }
  }
  return out;
}
