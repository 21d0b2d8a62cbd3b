// Benchmark of the pure pension rules in process: 1,000,000 `employee-pension` and 1,000,000
// `retirement-age` results through the typed functions, and a smaller count through runRule (JSON
// input parsing, validation and the trace, as the CLI and the API call them).
//   node --import tsx bench/rules.bench.ts [count]
// A benchmark, not a test: it prints sizes, times and rates and never fails on timing.
import { cpus } from 'node:os';
import { getRule } from '../src/calc/rules-catalogue.ts';
import { runRule } from '../src/core/rule.ts';
import { daysInMonth, makeDate } from '../src/core/dates.ts';
import { fen } from '../src/core/money.ts';
import { projectParams } from '../src/core/params-loader.ts';
import { Trace } from '../src/core/trace.ts';
import { computeEmployeePension, type EmployeePensionInput } from '../src/pension/employee-pension.rules.ts';
import {
  computeRetirementAge,
  RETIREMENT_CATEGORIES,
  type RetirementAgeInput,
} from '../src/pension/retirement-age.rules.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const N_RUNRULE = Math.max(1, Math.floor(N / 10));
const params = projectParams();

/** A small deterministic generator, so every run computes the same population. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pensionInputs(n: number): EmployeePensionInput[] {
  const rnd = lcg(42);
  return Array.from({ length: n }, (_, i) => {
    const beijing = i % 2 === 0;
    const input: EmployeePensionInput = {
      region: beijing ? '110000' : '000000',
      retirementDate: makeDate(
        rnd() < 0.5 ? 2024 : 2025,
        1 + Math.floor(rnd() * 12),
        1 + Math.floor(rnd() * 28),
      ),
      averageContributionIndex: Math.round((0.4 + rnd() * 3) * 1000) / 1000,
      contributionMonths: 200 + Math.floor(rnd() * 300),
      personalAccountFen: fen(Math.floor(rnd() * 50_000_000)),
      ageMonths: 600 + Math.floor(rnd() * 157),
    };
    if (!beijing) input.benefitBaseWageFen = fen(800_000 + Math.floor(rnd() * 600_000));
    if (beijing && i % 4 === 0)
      input.transitional = {
        deemedMonths: Math.floor(rnd() * 120),
        actualMonthsBefore199807: 69,
        actualIndex: 1.1,
      };
    return input;
  });
}

function retirementInputs(n: number): RetirementAgeInput[] {
  const rnd = lcg(7);
  return Array.from({ length: n }, () => {
    const year = 1962 + Math.floor(rnd() * 48);
    const month = 1 + Math.floor(rnd() * 12);
    return {
      birthDate: makeDate(year, month, Math.min(1 + Math.floor(rnd() * 31), daysInMonth(year, month))),
      category: RETIREMENT_CATEGORIES[Math.floor(rnd() * 3)] ?? 'male',
    };
  });
}

interface Row {
  what: string;
  count: number;
  seconds: number;
  checksum: number;
}
const rows: Row[] = [];

function time(what: string, count: number, body: () => number): void {
  const t0 = process.hrtime.bigint();
  const checksum = body();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  rows.push({ what, count, seconds, checksum });
  console.log(
    `${what.padEnd(46)} ${String(count).padStart(9)}  ${seconds.toFixed(2).padStart(7)} s  ${Math.round(
      count / seconds,
    )
      .toLocaleString('en-US')
      .padStart(10)} /s  checksum ${checksum}`,
  );
}

console.log(
  `# pension rules benchmark — node ${process.version}, ${cpus().length} cores, ${params.definitions.size} parameter files`,
);
const tGen = process.hrtime.bigint();
const pensions = pensionInputs(N);
const retirements = retirementInputs(N);
console.log(
  `# generated ${N.toLocaleString('en-US')} + ${N.toLocaleString('en-US')} inputs in ${(Number(process.hrtime.bigint() - tGen) / 1e9).toFixed(2)} s`,
);
console.log(
  `${'computation'.padEnd(46)} ${'count'.padStart(9)}  ${'time'.padStart(9)}  ${'rate'.padStart(13)}`,
);

time('employee-pension, pure function', N, () => {
  let sum = 0;
  for (const input of pensions) sum += computeEmployeePension(input, params, new Trace()).totalFen;
  return sum;
});

time('retirement-age, pure function', N, () => {
  let sum = 0;
  for (const input of retirements) sum += computeRetirementAge(input, params, new Trace()).ageMonths;
  return sum;
});

const pensionRule = getRule('employee-pension');
const retirementRule = getRule('retirement-age');
const pensionJson = pensions.slice(0, N_RUNRULE).map((p) => JSON.parse(JSON.stringify(p)) as unknown);
const retirementJson = retirements.slice(0, N_RUNRULE).map((p) => JSON.parse(JSON.stringify(p)) as unknown);

time('employee-pension, runRule (parse + trace)', N_RUNRULE, () => {
  let sum = 0;
  for (const input of pensionJson) sum += Number(runRule(pensionRule, input, params)['totalFen']);
  return sum;
});

time('retirement-age, runRule (parse + trace)', N_RUNRULE, () => {
  let sum = 0;
  for (const input of retirementJson) sum += Number(runRule(retirementRule, input, params)['ageMonths']);
  return sum;
});

const pure = rows.find((r) => r.what.startsWith('employee-pension, pure'));
const viaRule = rows.find((r) => r.what.startsWith('employee-pension, runRule'));
if (pure && viaRule) {
  console.log(
    `# runRule / pure per result (employee-pension): ${(viaRule.seconds / viaRule.count / (pure.seconds / pure.count)).toFixed(2)}×`,
  );
}
console.log(`# peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
