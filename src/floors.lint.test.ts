// The floors of docs/architecture.md are lint rules (eslint.config.js, FLOORS): an import from a lower
// floor into a higher one fails `npm run check`. These snippets are linted with the project's own
// configuration as if they were the files named, so the test fails if the rules are lost.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const root = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: join(root, filePath) });
  assert.ok(r, 'a lint result');
  const fatal = r.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], 'the snippet parses');
  return r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('an upward import fails the lint: registry (floor 1) importing contributions (floor 2)', async () => {
  const errors = await restricted(
    'src/registry/person.repository.ts',
    "import { ContributionIndexService } from '../contributions/contribution-index.service.ts';\nexport const x = ContributionIndexService;\n",
  );
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(errors[0] ?? '', /registry is floor 1/);
});

test('contributions (floor 2) may not import pension (floor 3), nor the calculation catalogue (floor 6)', async () => {
  const errors = await restricted(
    'src/contributions/record.repository.ts',
    "import { pensionRecord } from '../pension/person-record.repository.ts';\nimport { getRule } from '../calc/rules-catalogue.ts';\nexport const x = [pensionRecord, getRule];\n",
  );
  assert.equal(errors.length, 2, JSON.stringify(errors));
});

test('a downward import passes: pension (floor 3) importing contributions and core', async () => {
  const errors = await restricted(
    'src/pension/person-record.repository.ts',
    "import { contributionIndexLines } from '../contributions/record.repository.ts';\nimport { Dec } from '../core/money.ts';\nexport const x = [contributionIndexLines, Dec];\n",
  );
  assert.deepEqual(errors, []);
});

test('a pure rule imports only core and other rules', async () => {
  const errors = await restricted(
    'src/pension/employee-pension.rules.ts',
    "import { pensionRecord } from './person-record.repository.ts';\nimport { computeAnnuityDivisor } from './annuity-divisor.rules.ts';\nimport { Dec } from '../core/money.ts';\nexport const x = [pensionRecord, computeAnnuityDivisor, Dec];\n",
  );
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(errors[0] ?? '', /pure/);
});

test("the audit (floor 1) takes no capability's codes from above, nor the assembly's composed list", async () => {
  const errors = await restricted(
    'src/audit/audit.routes.ts',
    "import { CARDS_AUDIT_ACTIONS } from '../cards/cards.audit-actions.ts';\nimport { AUDIT_ACTIONS } from '../audit-actions.ts';\nexport const x = [CARDS_AUDIT_ACTIONS, AUDIT_ACTIONS];\n",
  );
  assert.equal(errors.length, 2, JSON.stringify(errors));
});

test('the hall (floor 4) and the approvals (floor 1) keep their floors too', async () => {
  const hall = await restricted(
    'src/hall/hall.routes.ts',
    "import { isDemoDatabase } from '../demo/demo-city.ts';\nexport const x = isDemoDatabase;\n",
  );
  assert.equal(hall.length, 1, JSON.stringify(hall));
  const approval = await restricted(
    'src/approval/approval.service.ts',
    "import { AwardService } from '../pension/award.service.ts';\nexport const x = AwardService;\n",
  );
  assert.equal(approval.length, 1, JSON.stringify(approval));
});

test("an event's contract (*.event.ts) is floor 0: its producers below import it, the rest of its folder stays closed", async () => {
  const below = await restricted(
    'src/unemployment/claim.repository.ts',
    "import { publishCaseStatusEvent } from '../hall/case-status.event.ts';\nimport { consumeEvents } from '../hall/events.job.ts';\nexport const x = [publishCaseStatusEvent, consumeEvents];\n",
  );
  assert.equal(below.length, 1, JSON.stringify(below));
  assert.match(below[0] ?? '', /unemployment is floor 3/);
  const contract = await restricted(
    'src/hall/case-status.event.ts',
    "import { findPerson } from '../registry/person.repository.ts';\nimport { serviceByCode } from './catalogue.ts';\nimport { sql } from 'kysely';\nimport type { Db } from '../db/connection.ts';\nexport const x = [findPerson, serviceByCode, sql];\nexport type D = Db;\n",
  );
  assert.equal(contract.length, 2, JSON.stringify(contract));
  assert.match(contract[0] ?? '', /floor 0/);
});
