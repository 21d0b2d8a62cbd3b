// Contribution rules (assessment, account interest) of the calculation contract.
import type { RuleDefinition } from '../calc/rule.ts';

export const contributionRules: Array<RuleDefinition<never, object>> = [];
