// The catalogue of every rule of the calculation contract, by name (CLI, HTTP, worked examples).
import { SbError } from '../core/errors.ts';
import { creditCodeRule, idNumberRule } from '../registry/identity.rules.ts';
import { contributionRules } from '../contributions/contributions.calc.ts';
import { injuryRules } from '../injury/injury.calc.ts';
import { ledgerRules } from '../ledger/ledger.calc.ts';
import { federationRules } from '../federation/transfer.rules.ts';
import { nationalCentralAdjustmentRule } from '../federation/central.rules.ts';
import { pensionRules } from '../pension/pension.calc.ts';
import { unemploymentRules } from '../unemployment/unemployment.calc.ts';
import type { RuleDefinition } from '../core/rule.ts';

const ALL: Array<RuleDefinition<never, object>> = [
  idNumberRule,
  creditCodeRule,
  ...contributionRules,
  ...pensionRules,
  ...unemploymentRules,
  ...injuryRules,
  ...ledgerRules,
  ...federationRules,
  nationalCentralAdjustmentRule,
] as Array<RuleDefinition<never, object>>;

export const RULES: ReadonlyMap<string, RuleDefinition<unknown, object>> = new Map(
  ALL.map((r) => [r.name, r as unknown as RuleDefinition<unknown, object>]),
);

export function getRule(name: unknown): RuleDefinition<unknown, object> {
  const rule = typeof name === 'string' ? RULES.get(name) : undefined;
  if (!rule) {
    throw new SbError('SB_ERR_UNKNOWN_RULE', {
      field: 'rule',
      // the rules there are, not the name sent: a public route's answer repeats nothing a caller typed
      zh: `可用：${[...RULES.keys()].join('、')}`,
      en: `available: ${[...RULES.keys()].join(', ')}`,
    });
  }
  return rule;
}
