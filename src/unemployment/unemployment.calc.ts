// Unemployment rules (benefit, skill subsidy, stable-employment refund) of the calculation contract.
import type { RuleDefinition } from '../calc/rule.ts';

export const unemploymentRules: Array<RuleDefinition<never, object>> = [];
