// Work-injury rules (disability, death) of the calculation contract.
import type { RuleDefinition } from '../calc/rule.ts';

export const injuryRules: Array<RuleDefinition<never, object>> = [];
