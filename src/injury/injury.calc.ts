// Work-injury rules (disability, death) of the calculation contract.
import type { RuleDefinition } from '../core/rule.ts';
import { injuryDeadlineRule } from './injury-deadline.rules.ts';
import { injuryDeathRule } from './injury-death.rules.ts';
import { injuryDisabilityRule } from './injury-disability.rules.ts';

export const injuryRules: Array<RuleDefinition<never, object>> = [
  injuryDisabilityRule as unknown as RuleDefinition<never, object>,
  injuryDeathRule as unknown as RuleDefinition<never, object>,
  injuryDeadlineRule as unknown as RuleDefinition<never, object>,
];
