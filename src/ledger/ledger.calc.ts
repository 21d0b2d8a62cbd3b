// Fund rules (central adjustment) of the calculation contract.
import type { RuleDefinition } from '../calc/rule.ts';

export const ledgerRules: Array<RuleDefinition<never, object>> = [];
